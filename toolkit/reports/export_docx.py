"""Report blocks → a Word document with python-docx: real headings, tables and pictures.

Fonts follow common practice for Chinese official documents: 黑体 headings, 仿宋 body text,
宋体 tables (East Asian font set explicitly so Word does not fall back to a Latin font).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from toolkit.files import atomic_path

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def write_docx(target: Path, blocks: list[dict], *, title: str, subtitle: str = "",
               mark: str = "") -> Path:
    """Write blocks (dicts with ``kind`` heading/paragraph/bullets/table/figure) to ``target``."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    _set_style_font(document.styles["Normal"], BODY_FONT, Pt(12))
    for level, size in ((1, 16), (2, 14), (3, 12)):
        style = document.styles[f"Heading {level}"]
        _set_style_font(style, HEADING_FONT, Pt(size))
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = level > 1
    _set_style_font(document.styles["Table Grid"], TABLE_FONT, Pt(10.5))  # table cells inherit it
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.6)
    if mark:
        header = section.header.paragraphs[0]
        header.text = mark
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
        header.runs[0].font.bold = True

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    _set_run_font(run, HEADING_FONT, Pt(20), bold=True)
    if subtitle:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(subtitle)
    if mark:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(f"【{mark}】")
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0, 0)

    for block in blocks:
        kind = block["kind"]
        if kind == "heading":
            document.add_heading(block["text"], level=min(3, block.get("level", 1)))
        elif kind == "paragraph":
            para = document.add_paragraph(block["text"])
            para.paragraph_format.first_line_indent = Pt(24)
        elif kind == "bullets":
            for item in block["items"]:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            _add_caption(document, block.get("caption", ""))
            _add_table(document, block["frame"], WD_TABLE_ALIGNMENT, Pt)
            if block.get("note"):
                document.add_paragraph(block["note"]).runs[0].font.size = Pt(10)
        elif kind == "figure":
            width = min(15.0, block.get("width_px", 600) / 96 * 2.54)
            document.add_picture(io.BytesIO(block["png"]), width=Cm(width))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_caption(document, block.get("caption", ""))
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    with atomic_path(Path(target), suffix=".docx") as tmp:
        document.save(str(tmp))
    return Path(target)


def _add_caption(document, text: str) -> None:
    if not text:
        return
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = document.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(para.add_run(text), HEADING_FONT, Pt(11), bold=False)


def _add_table(document, frame, WD_TABLE_ALIGNMENT, Pt) -> None:
    columns = [str(c) for c in frame.columns]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, columns):
        cell.text = name
        _set_run_font(cell.paragraphs[0].runs[0], TABLE_FONT, Pt(10.5), bold=True)
    _repeat_header(table.rows[0])
    for values in format_frame(frame).itertuples(index=False, name=None):
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value


def format_frame(frame):
    """Every cell as text, one format per column: a float column with any fraction shows one
    decimal in every row (62.6 and 94.0, not 62.6 and 94) so figures line up for readers."""
    shown = frame.copy()
    for name in frame.columns:
        column = frame[name]
        numeric = [v for v in column if isinstance(v, float) and not math.isnan(v)]
        if numeric and any(round(v, 1) != int(v) for v in numeric):
            shown[name] = [f"{v:.1f}" if isinstance(v, float) and not math.isnan(v) else format_value(v)
                           for v in column]
        else:
            shown[name] = [format_value(v) for v in column]
    return shown


def format_value(value) -> str:
    """Table cell text: '—' for missing, at most one decimal for fractions, ISO dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0") if value != int(value) else str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _set_style_font(style, name: str, size) -> None:
    from docx.oxml.ns import qn

    style.font.name = LATIN_FONT
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _set_run_font(run, name: str, size, bold: bool) -> None:
    from docx.oxml.ns import qn

    run.font.size = size
    run.font.bold = bold
    run.font.name = LATIN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)

"""Report blocks → a Word document with python-docx, laid out as a 公文 (GB/T 9704-2012).

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; page numbers "— 1 —" in 宋体
  4号, odd pages right and even pages left, one character in, 7 mm below the text block.
- 附件说明 with later titles aligned under the first; 落款 with the date 右空四字 and the
  signing body centred on it.
- Title in 小标宋 (2号, 22 pt); 一级标题 "一、" in 黑体, 二级标题 "（一）" in 楷体, body in 仿宋,
  all 3号 (16 pt) with a fixed 28 pt line pitch; tables in 宋体 五号 (10.5 pt).
- East Asian text is tagged ``zh-CN`` and the East Asian font names are the ones Windows and
  WPS machines have (方正小标宋简体, 黑体, 楷体, 仿宋, 宋体).  Where they are missing (Linux),
  LibreOffice falls back by language to a Chinese face; ``toolkit.reports.export.office`` maps the
  names to the installed Noto Serif/Sans CJK SC so it is never a Japanese one.
- Tables: column widths from the content (``toolkit.reports.export.layout``), a header row repeated on
  every page, rows never split across pages, captions kept with their table.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from toolkit.files import atomic_path
from toolkit.reports.export.layout import column_widths, text_em

TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体", 3: "仿宋"}
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
CAPTION_FONT = "黑体"
LATIN_FONT = "Times New Roman"
LANGUAGE = "zh-CN"
TITLE_PT, BODY_PT, TABLE_PT, CAPTION_PT, NOTE_PT = 22, 16, 10.5, 12, 10.5
LINE_PITCH_PT = 28
SIGNATURE_INSET_EM = 4          # 成文日期 右空四字
PAGE_NUMBER_PT = 14             # 4号
PAGE_NUMBER_GAP_CM = 0.7        # the 页码's 一字线 7 mm below the text block
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
PAGE_WIDTH_CM = 21.0


def text_width_cm() -> float:
    return PAGE_WIDTH_CM - MARGINS_CM["left"] - MARGINS_CM["right"]


def write_docx(target: Path, blocks: list[dict], *, title: str, subtitle: str = "",
               mark: str = "") -> Path:
    """Write blocks (dicts with ``kind``: heading, paragraph, bullets, table, figure, page_break,
    annex, signature) to ``target``."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    _set_defaults(document)
    _set_style_font(document.styles["Normal"], BODY_FONT, Pt(BODY_PT))
    _line_pitch(document.styles["Normal"].paragraph_format)
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        _set_style_font(style, HEADING_FONTS[level], Pt(BODY_PT))
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = level == 3
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6 if level == 1 else 0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        style.paragraph_format.keep_with_next = True
        _line_pitch(style.paragraph_format)
    _set_style_font(document.styles["Table Grid"], TABLE_FONT, Pt(TABLE_PT))
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    for side, cm in MARGINS_CM.items():
        setattr(section, f"{side}_margin", Cm(cm))
    _page_numbers(document, section)
    if mark:
        for part in (section.header, section.even_page_header):
            header = part.paragraphs[0]
            header.text = mark
            header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_run_font(header.runs[0], BODY_FONT, Pt(12), bold=True)
            header.runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.first_line_indent = Pt(0)
    heading.paragraph_format.space_after = Pt(BODY_PT)
    _set_run_font(heading.add_run(title), TITLE_FONT, Pt(TITLE_PT), bold=False)
    heading.paragraph_format.line_spacing = Pt(TITLE_PT + 10)
    if subtitle:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(para.add_run(subtitle), HEADING_FONTS[2], Pt(BODY_PT), bold=False)
    if mark:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(f"【{mark}】")
        run.font.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0, 0)

    for block in blocks:
        _add_block(document, block)
    with atomic_path(Path(target), suffix=".docx") as tmp:
        document.save(str(tmp))
    return Path(target)


def _add_block(document, block: dict) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    kind = block["kind"]
    if kind == "heading":
        document.add_heading(block["text"], level=min(3, block.get("level", 1)))
    elif kind == "paragraph":
        para = document.add_paragraph(block["text"])
        para.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        para.paragraph_format.keep_with_next = bool(block.get("keep_with_next"))
        para.paragraph_format.keep_together = bool(block.get("keep_with_next"))
    elif kind == "bullets":
        for item in block["items"]:
            para = document.add_paragraph(item)
            para.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    elif kind == "table":
        _add_caption(document, block.get("caption", ""))
        _add_table(document, block["frame"])
        if block.get("note"):
            para = document.add_paragraph()
            _set_run_font(para.add_run(block["note"]), BODY_FONT, Pt(NOTE_PT), bold=False)
            para.paragraph_format.line_spacing = 1.0
    elif kind == "figure":
        width = min(text_width_cm(), block.get("width_px", 600) / 96 * 2.54)
        document.add_picture(io.BytesIO(block["png"]), width=Cm(width))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = Pt(0)
        picture.paragraph_format.line_spacing = 1.0
        picture.paragraph_format.keep_with_next = True
        _add_caption(document, block.get("caption", ""), above=False)
    elif kind == "page_break":
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif kind == "annex":
        _add_annex(document, block)
    elif kind == "signature":
        _add_signature(document, block["lines"])
    elif kind == "annex_note":
        _add_annex_note(document, block["titles"])
    elif kind == "addressees":
        _add_addressees(document, block["text"])
    elif kind == "imprint":
        _add_imprint(document, block)
    else:
        raise ValueError(f"unknown block kind {kind!r}")


def _add_caption(document, text: str, above: bool = True) -> None:
    if not text:
        return
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = document.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    para.paragraph_format.line_spacing = 1.15
    para.paragraph_format.space_before = Pt(6)
    para.paragraph_format.keep_with_next = above   # a caption above its table stays with it
    para.paragraph_format.keep_together = True
    _set_run_font(para.add_run(text), CAPTION_FONT, Pt(CAPTION_PT), bold=False)


def _add_annex(document, block: dict) -> None:
    """'附件1' in 黑体 at the top left of a new page, then the annex title centred in 小标宋."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    label = document.add_paragraph()
    label.paragraph_format.first_line_indent = Pt(0)
    label.paragraph_format.keep_with_next = True
    if block.get("new_page", True):
        label.add_run().add_break(WD_BREAK.PAGE)
    _set_run_font(label.add_run(block["label"]), HEADING_FONTS[1], Pt(BODY_PT), bold=False)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.line_spacing = Pt(TITLE_PT + 10)
    _set_run_font(title.add_run(block["title"]), TITLE_FONT, Pt(TITLE_PT), bold=False)


def _add_annex_note(document, titles: list[str]) -> None:
    """附件说明: 空一行, 左空二字 '附件：1. 名称'; later numbers stand under the first, a long
    name runs on under its own first character (GB/T 9704-2012 7.3.4)."""
    from docx.shared import Pt

    document.add_paragraph().paragraph_format.keep_with_next = True
    label = text_em("附件：")
    for n, title in enumerate(titles, start=1):
        number = f"{n}. " if len(titles) > 1 else ""
        para = document.add_paragraph(("附件：" if n == 1 else "") + number + title)
        hang = 0.5 * len(number.strip(". ")) + 0.5 if number else 0.0   # Times digits ½ em, '. ' ½ em
        para.paragraph_format.left_indent = Pt((2 + label + hang) * BODY_PT)
        para.paragraph_format.first_line_indent = Pt(-((label if n == 1 else 0) + hang) * BODY_PT)
        para.paragraph_format.keep_with_next = True


def _add_signature(document, lines: list[str]) -> None:
    """落款 (GB/T 9704 7.3.5.1): the date 右空四字; each line above it centred on the date (a line
    wider than the date, such as the team's members, 右空四字 too)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    spacer = document.add_paragraph()
    spacer.paragraph_format.keep_with_next = True
    date_em = _line_em(lines[-1]) if lines else 0.0
    for n, line in enumerate(lines):
        para = document.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.first_line_indent = Pt(0)
        inset = SIGNATURE_INSET_EM + max(0.0, (date_em - _line_em(line)) / 2) if n < len(lines) - 1 \
            else SIGNATURE_INSET_EM
        para.paragraph_format.right_indent = Pt(inset * BODY_PT)
        para.paragraph_format.keep_with_next = n < len(lines) - 1


def _add_addressees(document, text: str) -> None:
    """主送机关 (GB/T 9704 7.3.2): 标题下空一行, 居左顶格, 回行仍顶格, 末尾全角冒号."""
    from docx.shared import Pt

    document.add_paragraph().paragraph_format.first_line_indent = Pt(0)
    para = document.add_paragraph(text)
    para.paragraph_format.first_line_indent = Pt(0)


IMPRINT_PT = 14                 # 版记 in 4号仿宋
IMPRINT_LINE_PT = 21           # the 版记 set tight: it fits below a 落款 low on the page
RULE_EIGHTHS = {"thick": 8, "thin": 6}     # 首末条分隔线 0.35 mm ≈ 1 pt, 中间 0.25 mm ≈ ¾ pt (in ⅛ pt)


def _add_imprint(document, block: dict) -> None:
    """版记 (GB/T 9704 7.4): a table as wide as the 版心 with a thick rule above and below and a
    thin one between its rows; 抄送 左右各空一字, a long list running on under the first name after
    the colon; 印发机关 左空一字 and 印发日期 右空一字 on one line.  It follows the 落款 on the
    last page, a line below it: LibreOffice lays a table anchored to the foot of the page
    (w:tblpPr) out in the text all the same, so the foot of the page is not attempted."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    rows = ([("抄送：" + block["copies"], "")] if block.get("copies") else []) + \
        ([(block["printer"], f"{block['printed_on']}印发")] if block.get("printer") else [])
    if not rows:
        return
    width = Cm(text_width_cm())
    gap = document.add_paragraph().paragraph_format          # half a line between 落款 and 版记
    gap.keep_with_next, gap.line_spacing = True, Pt(IMPRINT_PT)
    table = document.add_table(rows=len(rows), cols=1)
    table.autofit = False
    for n, (row, (left, right)) in enumerate(zip(table.rows, rows)):
        cell = row.cells[0]
        cell.width = width
        para = cell.paragraphs[0]
        form = para.paragraph_format
        form.left_indent, form.right_indent = Pt(IMPRINT_PT), Pt(IMPRINT_PT)
        form.first_line_indent = Pt(0)
        form.line_spacing = Pt(IMPRINT_LINE_PT)
        form.keep_with_next = n < len(rows) - 1                 # the 版记 never splits across pages
        form.space_before = form.space_after = Pt(0)
        if left.startswith("抄送："):
            form.left_indent = Pt(IMPRINT_PT * (1 + 3))              # run on under the first name
            form.first_line_indent = Pt(-IMPRINT_PT * 3)
        _set_run_font(para.add_run(left), BODY_FONT, Pt(IMPRINT_PT), bold=False)
        if right:
            form.tab_stops.add_tab_stop(width - Pt(2 * IMPRINT_PT), WD_TAB_ALIGNMENT.RIGHT)
            _set_run_font(para.add_run("\t" + right), BODY_FONT, Pt(IMPRINT_PT), bold=False)
        _cell_rules(cell, top="thick" if n == 0 else "thin", bottom="thick" if n == len(rows) - 1 else None)
        _cant_split(row)
    end = document.add_paragraph()             # Word needs a paragraph after a table
    end.paragraph_format.line_spacing = Pt(1)


def _cell_rules(cell, top: str | None, bottom: str | None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tcBorders")
    for side, weight in (("top", top), ("left", None), ("bottom", bottom), ("right", None)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single" if weight else "nil")
        if weight:
            edge.set(qn("w:sz"), str(RULE_EIGHTHS[weight]))
            edge.set(qn("w:color"), "000000")
        borders.append(edge)
    cell._tc.get_or_add_tcPr().append(borders)


def _line_em(text: str) -> float:
    """Width in em of a 落款 line: Chinese 1, digits and Latin ½ (Times New Roman)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)


def _add_table(document, frame) -> None:
    """The frame as a Word table: a repeated header row, then one row per record.

    The first record's row is built and formatted through python-docx; every further row is a
    copy of it (lxml) with its own texts, the same XML as building each row through python-docx
    (which costs ≈ 1 ms per cell: the 附件 tables of a district have thousands of cells)."""
    import copy

    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    columns = [str(c) for c in frame.columns]
    rows = [list(r) for r in format_frame(frame).itertuples(index=False, name=None)]
    em_cm = TABLE_PT / 72 * 2.54
    widths = [Cm(width * em_cm) for width in column_widths(columns, rows, text_width_cm() / em_cm)]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False            # fixed layout: the widths below are kept
    header = table.rows[0]
    for cell, name in zip(header.cells, columns):
        cell.text = name
        _set_run_font(cell.paragraphs[0].runs[0], TABLE_FONT, Pt(TABLE_PT), bold=True)
    _repeat_header(header)
    _format_row(header, widths)
    if rows:
        first = table.add_row()
        for cell in first.cells:
            _set_run_font(cell.paragraphs[0].add_run(), TABLE_FONT, Pt(TABLE_PT), bold=False)
        _format_row(first, widths)
        blank = copy.deepcopy(first._tr)
        _fill_row(first._tr, rows[0])
        for values in rows[1:]:
            tr = copy.deepcopy(blank)
            table._tbl.append(tr)
            _fill_row(tr, values)
    for column, width in zip(table.columns, widths):
        column.width = width


def _format_row(row, widths) -> None:
    from docx.shared import Pt

    _cant_split(row)
    for cell, width in zip(row.cells, widths):
        for para in cell.paragraphs:
            para.paragraph_format.first_line_indent = Pt(0)
            para.paragraph_format.line_spacing = 1.0
            para.paragraph_format.space_after = Pt(0)
        cell.width = width


def _fill_row(tr, values) -> None:
    """The texts of a copied row: each cell's one run gets its value (python-docx's run text)."""
    for tc, value in zip(tr.tc_lst, values):
        if value:
            tc.p_lst[0].r_lst[0].text = value


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
    """Table cell text: '—' for missing, at most one decimal for fractions, dates in Chinese
    (2019年1月21日, GB/T 9704)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0") if value != int(value) else str(int(value))
    if hasattr(value, "year") and hasattr(value, "day"):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


# ---------------------------------------------------------------- low-level XML helpers
def _set_defaults(document) -> None:
    """Document defaults: East Asian language zh-CN (Latin en-US), East Asian font 宋体."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), LANGUAGE)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), TABLE_FONT)


def _language(rpr) -> None:
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _set_style_font(style, name: str, size) -> None:
    from docx.oxml.ns import qn

    style.font.name = LATIN_FONT
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), name)
    _language(rpr)


def _set_run_font(run, name: str, size, bold: bool) -> None:
    from docx.oxml.ns import qn

    run.font.size = size
    run.font.bold = bold
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    _language(rpr)


def _line_pitch(paragraph_format) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    paragraph_format.space_after = Pt(0)


def _page_numbers(document, section) -> None:
    """'— 1 —' in 宋体 4号 (GB/T 9704 7.5): odd pages at the right, even pages at the left, one
    character in from the text block, the number's line 7 mm below the text block."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document.settings.odd_and_even_pages_header_footer = True
    line_cm = PAGE_NUMBER_PT / 72 * 2.54
    # the footer's bottom edge, half a line below the 一字线 (measured on LibreOffice's PDF)
    section.footer_distance = Cm(MARGINS_CM["bottom"] - PAGE_NUMBER_GAP_CM - 0.5 * line_cm)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        para = footer.paragraphs[0]
        para.alignment = align
        form = para.paragraph_format
        form.first_line_indent = Pt(0)
        form.space_before = form.space_after = Pt(0)
        form.line_spacing = Pt(PAGE_NUMBER_PT)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            form.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            form.left_indent = Pt(PAGE_NUMBER_PT)
        _page_field(para)


def _page_field(para) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    _set_run_font(para.add_run("— "), TABLE_FONT, Pt(PAGE_NUMBER_PT), bold=False)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = para.add_run("1")
    _set_run_font(run, TABLE_FONT, Pt(PAGE_NUMBER_PT), bold=False)
    field.append(run._r)
    para._p.append(field)
    _set_run_font(para.add_run(" —"), TABLE_FONT, Pt(PAGE_NUMBER_PT), bold=False)


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)

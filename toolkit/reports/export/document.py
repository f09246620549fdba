"""The report a notebook builds: one call shows a block in the notebook *and* records it for
Word and Excel, so the HTML (from the executed notebook) and the .docx say the same thing.

In a notebook::

    doc = ReportDocument("东湖区社会救助督导检查报告", subtitle="2025 年第一轮", sample=True)
    doc.heading("一、基本情况")
    doc.paragraph("本轮共检查 5 个街镇……")
    doc.table(frame, caption="各街镇得分")
    doc.figure(fig, caption="各部分得分率")
    doc.signature(["东湖区督导检查组", "2025年3月3日"])   # 落款
    doc.annex("附件1", "各街镇问题明细")        # a new page
    doc.sheet("整改清单.xlsx", "整改清单", rectification_frame, lines=["期限规则：……"])
    doc.save(output_dir, formats)          # writes 报告.docx and the workbooks

Tables get column widths from their content (``toolkit.reports.export.layout``), the same in the
notebook's HTML (hence the PDF) and in Word.
"""

from __future__ import annotations

import base64
import contextvars
import html
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import SAMPLE_MARK

DOCX_NAME = "报告.docx"
FIGURE_DPI = 120  # ≈ 1,000 px across a 15 cm Word column: sharp enough, quick to encode


@dataclass
class ReportDocument:
    title: str
    subtitle: str = ""
    sample: bool = False
    blocks: list[dict] = field(default_factory=list)
    workbooks: dict[str, list] = field(default_factory=dict)
    _tables: int = 0
    _figures: int = 0

    def __post_init__(self):
        mark = f'<div class="sample-mark">{SAMPLE_MARK}</div>' if self.sample else ""
        sub = f'<p style="text-align:center">{html.escape(self.subtitle)}</p>' if self.subtitle else ""
        _show_html(f"<h1>{html.escape(self.title)}</h1>{sub}{mark}")

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append({"kind": "heading", "text": text, "level": level})
        _show_html(f"<h{level + 1}>{html.escape(text)}</h{level + 1}>")

    def paragraph(self, text: str, keep_with_next: bool = False) -> None:
        """A body paragraph; ``keep_with_next`` keeps it on the page of what follows (Word)."""
        self.blocks.append({"kind": "paragraph", "text": text, "keep_with_next": keep_with_next})
        shown = html.escape(text).replace("\n", "<br>")
        _show_html(f"<p>{shown}</p>")

    def bullets(self, items: list[str]) -> None:
        items = [str(i) for i in items]
        self.blocks.append({"kind": "bullets", "items": items})
        _show_html("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    def table(self, frame, caption: str = "", note: str = "") -> None:
        """Record and show a DataFrame (index not shown; '—' for missing values)."""
        from toolkit.reports.export.export_docx import format_frame

        if caption:
            self._tables += 1
            caption = f"表{self._tables}　{caption}"
        self.blocks.append({"kind": "table", "frame": frame.copy(), "caption": caption, "note": note})
        cap = f'<p class="caption"><b>{html.escape(caption)}</b></p>' if caption else ""
        tail = f"<p><small>{html.escape(note)}</small></p>" if note else ""
        _show_html(cap + table_html(frame) + tail)

    def page_break(self) -> None:
        self.blocks.append({"kind": "page_break"})
        _show_html('<div class="page-break"></div>')

    def annex(self, label: str, title: str) -> None:
        """Start an annex (附件) on a new page: its label top left, its title centred."""
        self.blocks.append({"kind": "annex", "label": label, "title": title})
        _show_html(f'<div class="annex"><p class="annex-label">{html.escape(label)}</p>'
                   f'<h1>{html.escape(title)}</h1></div>')

    def annex_note(self, titles: list[str]) -> None:
        """附件说明 (GB/T 9704 7.3.4): '附件：1. …', each further title aligned under the first."""
        titles = [str(t) for t in titles]
        self.blocks.append({"kind": "annex_note", "titles": titles})
        items = "".join(f"<li>{html.escape(t)}</li>" for t in titles)
        _show_html(f'<div class="annex-note"><p>附件：</p><ol>{items}</ol></div>')

    def addressees(self, text: str) -> None:
        """主送机关 (GB/T 9704 7.3.2): under the title, flush left, ending with a full-width colon;
        call it before the first paragraph of the body."""
        text = str(text).rstrip("：:") + "："
        self.blocks.append({"kind": "addressees", "text": text})
        _show_html(f'<p class="addressees">{html.escape(text)}</p>')

    def imprint(self, copies: str = "", printer: str = "", printed_on: str = "") -> None:
        """版记 (GB/T 9704 7.4): 抄送 and/or 印发机关 with 印发日期 between rules, at the foot of the
        last page; call it last.  ``printed_on`` in Chinese (2019年12月13日)."""
        copies = str(copies).rstrip("。.") + "。" if copies else ""
        self.blocks.append({"kind": "imprint", "copies": copies, "printer": printer, "printed_on": printed_on})
        lines = ([f"抄送：{copies}"] if copies else []) + ([f"{printer}　{printed_on}印发"] if printer else [])
        _show_html('<div class="imprint">' + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</div>")

    def signature(self, lines: list[str]) -> None:
        """落款: who signs (in full) and the date, right-aligned."""
        lines = [str(x) for x in lines]
        self.blocks.append({"kind": "signature", "lines": lines})
        _show_html('<div class="signature">' + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</div>")

    def figure(self, fig, caption: str = "") -> None:
        """Record and show a matplotlib figure (as PNG), then close it."""
        import sys

        buffer = io.BytesIO()
        width_px = int(min(900, fig.get_size_inches()[0] * 96))  # shown at its natural size
        fig.savefig(buffer, format="png", dpi=FIGURE_DPI)  # callers lay out (tight_layout)
        if "matplotlib.pyplot" in sys.modules:  # a pyplot figure: free it, and don't show it twice
            sys.modules["matplotlib.pyplot"].close(fig)
        if caption:
            self._figures += 1
            caption = f"图{self._figures}　{caption}"
        png = buffer.getvalue()
        self.blocks.append({"kind": "figure", "png": png, "caption": caption, "width_px": width_px})
        # one block, so a page break never separates a chart from its caption
        data = base64.b64encode(png).decode("ascii")
        cap = f'<figcaption class="caption"><b>{html.escape(caption)}</b></figcaption>' if caption else ""
        _show_html(f'<figure style="text-align:center;margin:1em 0;break-inside:avoid">'
                   f'<img src="data:image/png;base64,{data}" width="{width_px}" alt="{html.escape(caption)}">'
                   f'{cap}</figure>')

    def sheet(self, workbook: str, name: str, frame, lines: list[str] | None = None,
              inputs: dict | None = None, hidden=(), widths: dict | None = None, unprinted=()) -> None:
        """Add a sheet to an Excel workbook written by :meth:`save` (not shown in the notebook).

        ``inputs``: column name → ``export_xlsx.Input`` for the columns a recipient fills in
        (the sheet is then protected but for them); ``hidden``: columns kept in the file for
        programs but not shown or printed; ``widths``: column name → width; ``unprinted``: the last
        columns, shown on screen but right of the print area."""
        from toolkit.reports.export.export_xlsx import Sheet

        head = list(lines or [])
        highlight = set()
        if self.sample:
            head.insert(1 if head else 0, SAMPLE_MARK)
            highlight.add(SAMPLE_MARK)
        self.workbooks.setdefault(workbook, []).append(
            Sheet(name=name, frame=frame.copy(), lines=head, highlight=highlight, inputs=dict(inputs or {}),
                  hidden=tuple(hidden), widths=dict(widths or {}), unprinted=tuple(unprinted)))

    def save(self, output_dir, formats="html,docx,xlsx") -> list[Path]:
        """Write ``报告.docx`` (when 'docx' is in formats) and each workbook (when 'xlsx')."""
        from toolkit.reports.export.export_docx import write_docx
        from toolkit.reports.export.export_xlsx import write_workbook

        wanted = {f.strip() for f in (formats.split(",") if isinstance(formats, str) else formats)}
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        if "docx" in wanted:
            written.append(write_docx(out / DOCX_NAME, self.blocks, title=self.title,
                                      subtitle=self.subtitle,
                                      mark=SAMPLE_MARK if self.sample else ""))
        if "xlsx" in wanted:
            for name, sheets in self.workbooks.items():
                written.append(write_workbook(out / name, sheets))
        return written


TABLE_EM = 42.0  # the text width of a page in em at table font size (Word: 15.6 cm at 10.5 pt)


def table_html(frame) -> str:
    """A DataFrame as an HTML table with per-column widths from the content (like the .docx)."""
    from toolkit.reports.export.export_docx import format_frame
    from toolkit.reports.export.layout import column_widths

    columns = [str(c) for c in frame.columns]
    rows = [list(r) for r in format_frame(frame).itertuples(index=False, name=None)] if len(frame) else []
    widths = column_widths(columns, rows, TABLE_EM)
    total = sum(widths) or 1.0
    full = total >= TABLE_EM * 0.8
    style = ' style="width:100%"' if full else ""
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in rows)
    return (f'<table class="report-table"{style}><colgroup>{cols}</colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


_QUIET = contextvars.ContextVar("jiuzhu_quiet_document", default=False)


@contextmanager
def quiet():
    """Documents built inside are recorded for Word and Excel but not shown in the notebook (the
    自查 round's per-街镇 reports, written beside the district's)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def _show_html(markup: str) -> None:
    if _QUIET.get():
        return
    display = _display()
    if display:
        from IPython.display import HTML

        display(HTML(markup))


def _display():
    """IPython's display function inside a kernel, else None (plain Python, unit tests)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    if get_ipython() is None:
        return None
    from IPython.display import display

    return display

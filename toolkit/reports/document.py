"""The report a notebook builds: one call shows a block in the notebook *and* records it for
Word and Excel, so the HTML (from the executed notebook) and the .docx say the same thing.

In a notebook::

    doc = ReportDocument("东湖区社会救助督导检查报告", subtitle="2025 年第一轮", sample=True)
    doc.heading("一、基本情况")
    doc.paragraph("本轮共检查 5 个街镇……")
    doc.table(frame, caption="各街镇得分")
    doc.figure(fig, caption="各部分得分率")
    doc.sheet("整改清单.xlsx", "整改清单", rectification_frame, lines=["期限规则：……"])
    doc.save(output_dir, formats)          # writes 报告.docx and the workbooks
"""

from __future__ import annotations

import base64
import html
import io
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

    def paragraph(self, text: str) -> None:
        self.blocks.append({"kind": "paragraph", "text": text})
        _show_html(f"<p>{html.escape(text)}</p>")

    def bullets(self, items: list[str]) -> None:
        items = [str(i) for i in items]
        self.blocks.append({"kind": "bullets", "items": items})
        _show_html("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    def table(self, frame, caption: str = "", note: str = "") -> None:
        """Record and show a DataFrame (index not shown; '—' for missing values)."""
        from toolkit.reports.export_docx import format_value

        if caption:
            self._tables += 1
            caption = f"表{self._tables}　{caption}"
        self.blocks.append({"kind": "table", "frame": frame.copy(), "caption": caption, "note": note})
        shown = frame.map(format_value) if len(frame) else frame
        body = shown.to_html(index=False, escape=True, border=0)
        cap = f'<p class="caption"><b>{html.escape(caption)}</b></p>' if caption else ""
        tail = f"<p><small>{html.escape(note)}</small></p>" if note else ""
        _show_html(cap + body + tail)

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

    def sheet(self, workbook: str, name: str, frame, lines: list[str] | None = None) -> None:
        """Add a sheet to an Excel workbook written by :meth:`save` (not shown in the notebook)."""
        from toolkit.reports.export_xlsx import Sheet

        head = list(lines or [])
        highlight = set()
        if self.sample:
            head.insert(1 if head else 0, SAMPLE_MARK)
            highlight.add(SAMPLE_MARK)
        self.workbooks.setdefault(workbook, []).append(
            Sheet(name=name, frame=frame.copy(), lines=head, highlight=highlight))

    def save(self, output_dir, formats="html,docx,xlsx") -> list[Path]:
        """Write ``报告.docx`` (when 'docx' is in formats) and each workbook (when 'xlsx')."""
        from toolkit.reports.export_docx import write_docx
        from toolkit.reports.export_xlsx import write_workbook

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


def _show_html(markup: str) -> None:
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

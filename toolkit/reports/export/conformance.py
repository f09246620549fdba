"""Print conformance: an official document, rendered by LibreOffice as an office prints it,
measured on the PDF (``toolkit.reports.export.printed``).

For a Word document (a 公文, GB/T 9704-2012 as ``export_docx`` lays it out): A4 portrait; the
text inside the 版心 (left 28 mm, right 26 mm; CJK punctuation may hang one character); the
page number "— n —" on every page, odd pages at the right and even pages at the left one
character in, 7 mm below the 版心; the body (the pages before 附件1) within its page limit; a
落款 with a 署名 and a 成文日期 in Chinese; no program text.  For a workbook: A4, page numbers
in the footer, no program text.  No date written the ISO way (2019-01-21) in either: GB/T 9704
writes 2019年1月21日.  For both: the smallest printed Chinese text ≥ 9 pt.

:func:`check` returns a :class:`Conformance` per document; :func:`markdown_table` the table
written into docs by ``tools/print_conformance.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.reports.export.printed import MM, Page, is_a4, page_texts, pages, smallest_cjk_pt

MIN_PT = 9.0
MARGIN_MM = {"left": 28.0, "right": 26.0, "top": 37.0, "bottom": 35.0}
NUMBER_PT = 14.0                    # 4号
NUMBER_GAP_MM = (2.5, 6.0)          # top of the number's line box below the 版心 (its 一字线 at ≈ 7 mm)
TOLERANCE_MM = 1.5
HANGING = "，。、；：？！”’）》」』】"
DATE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$", re.M)
PROGRAM = re.compile(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+|jiuzhu|nbgrader|papermill|\.xlsx|\.docx|\.csv|\.ipynb|(?<!检查)轮次\s*\d"
                     r"|\b\d{4}-[A-Z]{2}-\d{2}-[0-9A-F]{8}\b|\b[0-9a-f]{16,}\b|=[0-9a-f]{8}")
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])|(?<![\d-])\d{4}-\d{1,2}-(?=\s*$)", re.M)
SIGNERS = ("民政局", "民政部门", "检查组", "人民政府", "办公室")


@dataclass
class Conformance:
    document: str
    pages: int
    smallest_pt: float | None
    body_pages: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(pdf: Path, document: str, kind: str, max_body_pages: int | None = None,
          file_names: bool = False) -> Conformance:
    """Measure ``pdf`` (LibreOffice's print of a ``kind`` 'docx' or 'xlsx' file named ``document``);
    ``file_names``: a list that must name files and echo values as typed (an import error list)
    may show them, dates written 2019-01-21 among them."""
    measured = pages(pdf)
    texts = page_texts(pdf)
    result = Conformance(document, len(measured), smallest_cjk_pt(measured))
    problems = result.problems
    if not all(is_a4(p) for p in measured):
        problems.append("纸张不是 A4")
    if result.smallest_pt is not None and result.smallest_pt < MIN_PT - 0.05:
        problems.append(f"最小文字 {result.smallest_pt:g} 磅，小于 {MIN_PT:g} 磅")
    program = sorted({m.group(0) for text in texts for m in PROGRAM.finditer(text)
                      if not (file_names and m.group(0).startswith("."))})
    if program:
        problems.append("含程序文字：" + "、".join(program[:5]))
    dates = sorted({m.group(0) for text in texts for m in ISO_DATE.finditer(text)})
    if dates and not file_names:
        problems.append("含数字写法的日期（应写作“2019年1月21日”）：" + "、".join(dates[:5]))
    cut = [n for n, text in enumerate(texts, 1) if "###" in text]
    if cut:
        problems.append(f"第 {_pages(cut)} 页有日期或数字因列宽不足印成 ###")
    if kind == "docx":
        _check_docx(measured, texts, result, max_body_pages)
    else:
        missing = [n for n, text in enumerate(texts, 1) if not re.search(rf"第\s*{n}\s*页", text)]
        if missing:
            problems.append(f"第 {_pages(missing)} 页页脚没有页码")
    return result


def _pages(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers[:5]) + ("等" if len(numbers) > 5 else "")


def _check_docx(measured: list[Page], texts: list[str], result: Conformance, max_body_pages: int | None) -> None:
    problems = result.problems
    if any(p.width > p.height for p in measured):
        problems.append("有横向页面")
    annex = next((n for n, text in enumerate(texts) if _annex_starts(text)), None)
    result.body_pages = annex if annex is not None else len(measured)
    if max_body_pages is not None and result.body_pages > max_body_pages:
        problems.append(f"正文 {result.body_pages} 页，超过 {max_body_pages} 页")
    outside = [n for n, page in enumerate(measured, 1) if _outside_block(page)]
    if outside:
        problems.append(f"第 {_pages(outside)} 页文字超出版心")
    wrong = [n for n, page in enumerate(measured, 1) if not _page_number_ok(page, n)]
    if wrong:
        problems.append(f"第 {_pages(wrong)} 页页码格式或位置不符（“— n —”，单页右、双页左空一字，版心下 7 mm）")
    body = "\n".join(texts[:result.body_pages])
    if not _signed(body):
        problems.append("正文后没有落款（署名和中文成文日期）")


def _annex_starts(text: str) -> bool:
    """The page begins with the label '附件1' (or '附件') on a line of its own."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and ln.strip() != "示例数据"]
    return bool(lines) and re.fullmatch(r"附件\s*\d*", lines[0]) is not None


def _in_body(page: Page, word) -> bool:
    return MARGIN_MM["top"] * MM - 3 < word.y0 < page.height - MARGIN_MM["bottom"] * MM


def _outside_block(page: Page) -> bool:
    left, right = MARGIN_MM["left"] * MM, page.width - MARGIN_MM["right"] * MM
    tolerance = TOLERANCE_MM * MM
    for word in page.words:
        if not _in_body(page, word):
            continue
        hang = word.text[-1:] in HANGING and word.x1 - right <= 16 + tolerance     # one hanging punctuation mark
        if word.x0 < left - tolerance or (word.x1 > right + tolerance and not hang):
            return True
    return False


def _page_number_ok(page: Page, number: int) -> bool:
    """'— n —' below the 版心: odd pages end one character in from the right, even pages start
    one character in from the left."""
    block_bottom = page.height - MARGIN_MM["bottom"] * MM
    footer = sorted((w for w in page.words if w.y0 > block_bottom), key=lambda w: w.x0)
    texts = [w.text for w in footer]
    if "".join(texts) != f"—{number}—":
        return False
    gap = (footer[0].y0 - block_bottom) / MM
    if not NUMBER_GAP_MM[0] <= gap <= NUMBER_GAP_MM[1]:
        return False
    inset = NUMBER_PT
    tolerance = TOLERANCE_MM * MM
    if number % 2:
        return abs(footer[-1].x1 - (page.width - MARGIN_MM["right"] * MM - inset)) <= tolerance
    return abs(footer[0].x0 - (MARGIN_MM["left"] * MM + inset)) <= tolerance


def _signed(body: str) -> bool:
    """A Chinese 成文日期 on a line of its own, with the 署名 on a line above it."""
    lines = [ln.strip() for ln in body.splitlines()]
    for n, line in enumerate(lines):
        if DATE.match(line):
            above = [ln for ln in lines[max(0, n - 4):n] if ln]
            if above and any(above[-1].endswith(s) or s in above[-1] for s in SIGNERS):
                return True
    return False


def markdown_table(results: list[Conformance]) -> str:
    """文件 | 页数 | 正文页数 | 最小文字（磅） | 问题 — one row per document."""
    lines = ["| 文件 | 页数 | 正文页数 | 最小文字（磅） | 问题 |", "|---|---:|---:|---:|---|"]
    for r in results:
        body = "" if r.body_pages is None else str(r.body_pages)
        size = "—" if r.smallest_pt is None else f"{r.smallest_pt:g}"
        lines.append(f"| {r.document} | {r.pages} | {body} | {size} | {'；'.join(r.problems) or '无'} |")
    return "\n".join(lines) + "\n"

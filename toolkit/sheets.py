"""Print-ready worksheets: page set-up, print titles and row heights that show wrapped text.

Leaf module (imports nothing of ours).  ``toolkit.files.save_workbook`` calls
:func:`prepare_workbook` on every workbook the toolkit writes, so each writer only has to lay
out its cells; what a writer sets itself (orientation, print titles) is kept.

- A4, readable by construction: the smallest text prints at :data:`MIN_PRINT_PT` or more.
  Portrait when the columns fit, else landscape; when even landscape would shrink the text,
  the widest text columns are narrowed (their text wraps) down to :data:`MIN_TEXT_WIDTH`, and a
  table still too wide prints on two or more pages across with its first column repeated.  A long
  table (:data:`LONG_TABLE_ROWS`) one page across has its wrapping text columns widened to fill
  the page at the smallest readable size: fewer lines a row, more rows a page.
  Margins of about 1.5 cm, page numbers in the footer, hidden columns never printed.
- The header row (the row above the frozen panes, or the writer's own print titles) repeats
  on every printed page.
- Rows with wrapped text get an explicit height for the number of lines the text needs in its
  column: LibreOffice keeps the default height of a row otherwise and cuts the text.
"""

from __future__ import annotations

import math

PORTRAIT_WIDTH = 95        # column-width units (≈ characters) that fit across A4 portrait
LINE_HEIGHT = 15.0         # points per line of 11-point text (Excel's default row is 15 pt)
MAX_HEIGHT = 409.0         # Excel's limit for a row, in points
DEFAULT_WIDTH = 8.43       # Excel's default column width
FOOTER = "第 &P 页，共 &N 页"
MIN_PRINT_PT = 9.0         # the smallest text on paper, in points
MIN_TEXT_WIDTH = 14.0      # a narrowed text column keeps at least seven Chinese characters
MAX_TEXT_WIDTH = 60.0      # a widened text column holds at most thirty Chinese characters a line
LONG_TABLE_ROWS = 60       # a table this long prints at the smallest readable size, its text columns widened
SAFETY = 1.05              # column breaks across pages and LibreOffice's rounding cost a few per cent
DATE_FORMAT = 'yyyy"年"m"月"d"日"'   # dates print as GB/T 9704 writes them (2019年1月21日); the cell stays a date
MARGIN_IN = 0.6            # left and right page margins, inches
PAGE_MM = {"portrait": 210.0 - 2 * 25.4 * MARGIN_IN, "landscape": 297.0 - 2 * 25.4 * MARGIN_IN}


def text_width(value) -> int:
    """Display width of a cell value: CJK and full-width characters count two; a date as
    :data:`DATE_FORMAT` shows it."""
    if hasattr(value, "year") and hasattr(value, "day"):
        value = f"{value.year}年{value.month}月{value.day}日"
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def lines_needed(value, width: float) -> int:
    """Lines a wrapped cell of ``width`` column units needs for ``value``."""
    usable = max(1.0, width - 1.5)         # cell padding
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(value).split("\n"))


def column_width(ws, column: int) -> float:
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions.get(get_column_letter(column))
    return float(dim.width) if dim is not None and dim.width else DEFAULT_WIDTH


def header_row(ws) -> int | None:
    """The table's header row: the row above the frozen panes, else the first of the top ten
    rows with two or more cells, all bold (None when there is no such row)."""
    from openpyxl.utils.cell import coordinate_from_string

    if ws.freeze_panes:
        _, row = coordinate_from_string(ws.freeze_panes)
        if row > 1:
            return row - 1
    for row in ws.iter_rows(min_row=1, max_row=min(10, ws.max_row)):
        filled = [c for c in row if c.value not in (None, "")]
        if len(filled) >= 2 and all(c.font is not None and c.font.b for c in filled):
            return row[0].row
    return None


def wrap_long_cells(ws, first_row: int) -> None:
    """Wrap text cells from ``first_row`` on that are wider than their column (print, not cut)."""
    from copy import copy

    widths: dict[int, float] = {}
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                continue
            if cell.alignment is not None and cell.alignment.wrap_text:
                continue
            width = widths.setdefault(cell.column, column_width(ws, cell.column))
            if text_width(cell.value) > width - 1:
                alignment = copy(cell.alignment)
                alignment.wrap_text = True
                alignment.vertical = alignment.vertical or "top"
                cell.alignment = alignment


def fit_title_rows(ws, header: int | None) -> None:
    """Title lines above the table that are wider than the table: merged across it and wrapped
    (LibreOffice prints a line's overflow too, shrinking the whole page to fit it); on a
    protected sheet (a form read back, where merges are refused) wrapped in place."""
    from copy import copy

    if not header or header <= 1:
        return
    last = ws.max_column or 1
    table = sum(column_width(ws, c) for c in range(1, last + 1) if not is_hidden(ws, c))
    merged = {r.min_row for r in ws.merged_cells.ranges}
    for row in range(1, header):
        cell = ws.cell(row=row, column=1)
        if not isinstance(cell.value, str) or row in merged or text_width(cell.value) <= table - 1:
            continue
        if any(ws.cell(row=row, column=c).value not in (None, "") for c in range(2, last + 1)):
            continue
        if not ws.protection.sheet and last > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        alignment = copy(cell.alignment)
        alignment.wrap_text = True
        alignment.vertical = alignment.vertical or "top"
        cell.alignment = alignment


def fit_row_heights(ws, first_row: int = 1) -> None:
    """Give every row with wrapped text the height its longest cell needs (merged cells too)."""
    widths: dict[int, float] = {}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = sum(column_width(ws, c) for c in range(rng.min_col, rng.max_col + 1))
    unprinted = {c for c in range(1, (ws.max_column or 1) + 1) if is_hidden(ws, c)}
    for row in ws.iter_rows(min_row=first_row):
        height = 0.0
        for cell in row:
            if not isinstance(cell.value, str) or cell.column in unprinted:
                continue
            wrapped = bool(cell.alignment and cell.alignment.wrap_text)
            if not wrapped and "\n" not in cell.value:
                continue
            width = merged.get((cell.row, cell.column)) or widths.setdefault(
                cell.column, column_width(ws, cell.column))
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            lines = lines_needed(cell.value, width * 11.0 / size)
            if lines > 1:
                height = max(height, min(MAX_HEIGHT, lines * LINE_HEIGHT * size / 11.0 + 3))
        current = ws.row_dimensions[row[0].row].height
        if height and (current is None or current < height):
            ws.row_dimensions[row[0].row].height = round(height, 1)


def used_width(ws) -> float:
    return sum(column_width(ws, c) for c in range(1, (ws.max_column or 1) + 1))


def is_hidden(ws, column: int) -> bool:
    """Whether ``column`` is left out of print: hidden, or right of the sheet's print area (columns
    shown on screen, not printed)."""
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions.get(get_column_letter(column))
    return bool(dim is not None and dim.hidden) or column > _print_area_last_column(ws)


def _print_area_last_column(ws) -> float:
    from openpyxl.utils.cell import range_boundaries

    area = ws.print_area
    if not area or "," in str(area):
        return math.inf
    return range_boundaries(str(area).split("!")[-1].replace("$", ""))[2]


def width_mm(units: float) -> float:
    """Printed width of a column of ``units`` at 100 %: 2.2 mm a unit, measured on LibreOffice's
    PDF of A4 sheets (Excel prints a unit ≈ 1.9 mm, so Excel's print is never smaller)."""
    return 2.2 * units


def printed_mm(ws) -> float:
    """Width of the printed columns at 100 % (hidden columns are not printed)."""
    return sum(width_mm(column_width(ws, c)) for c in range(1, (ws.max_column or 1) + 1) if not is_hidden(ws, c))


def smallest_font(ws, rows: int = 200) -> float:
    """The smallest font size of a filled cell in the first ``rows`` rows (11 when unset)."""
    sizes = [float(c.font.sz) if c.font is not None and c.font.sz else 11.0
             for row in ws.iter_rows(min_row=1, max_row=min(rows, ws.max_row)) for c in row
             if c.value not in (None, "")]
    return min(sizes, default=11.0)


def pages_wide(ws) -> int:
    setup = ws.page_setup
    return int(setup.fitToWidth or 1) if ws.sheet_properties.pageSetUpPr.fitToPage else 1


def print_scale(ws, orientation: str | None = None, pages: int | None = None) -> float:
    """The zoom LibreOffice or Excel uses to fit the columns to ``pages`` page widths (≤ 1)."""
    orientation = orientation or ws.page_setup.orientation or "portrait"
    pages = pages or pages_wide(ws)
    repeated = width_mm(column_width(ws, 1)) if pages > 1 else 0.0
    total = printed_mm(ws) + (pages - 1) * repeated
    return min(1.0, pages * PAGE_MM[orientation] / total) if total else 1.0


def printed_pt(ws) -> float:
    """The smallest text size on paper (points), as the sheet is set up to print."""
    return smallest_font(ws) * print_scale(ws)


def narrow_columns(ws, budget_mm: float, first_row: int = 1) -> None:
    """Narrow the widest text columns (one common cap, never below :data:`MIN_TEXT_WIDTH`) until
    the printed columns fit ``budget_mm``; their text wraps (:func:`wrap_long_cells`).  Columns
    of dates or numbers keep their width: narrowed, they would print as ###."""
    from openpyxl.utils import get_column_letter

    columns = [c for c in range(1, (ws.max_column or 1) + 1) if not is_hidden(ws, c)]
    widths = {c: column_width(ws, c) for c in columns}
    total = sum(width_mm(w) for w in widths.values())
    if total <= budget_mm:
        return
    fixed = _unwrappable_columns(ws, first_row)
    budget_mm -= sum(width_mm(w) for c, w in widths.items() if c in fixed)
    widths = {c: w for c, w in widths.items() if c not in fixed}
    if not widths:
        return
    cap = _widest_fitting(lambda cap: sum(width_mm(min(w, cap)) for w in widths.values()),
                          MIN_TEXT_WIDTH, max(widths.values()), budget_mm, steps=40)
    for c, w in widths.items():
        if w > cap:
            ws.column_dimensions[get_column_letter(c)].width = round(cap, 1)


def _widest_fitting(total, low: float, high: float, budget_mm: float, *, steps: int) -> float:
    """The largest common width in [``low``, ``high``] at which ``total(width)`` (growing with it)
    fits ``budget_mm``, by bisection; ``low`` when nothing wider fits."""
    for _ in range(steps):
        mid = (low + high) / 2
        low, high = (mid, high) if total(mid) <= budget_mm else (low, mid)
    return low


def _unwrappable_columns(ws, first_row: int) -> set[int]:
    """Columns of dates or numbers below ``first_row`` (values that do not wrap; cells formatted
    for a date count, as in a date column still to fill), with no text among them."""
    fixed, text = set(), set()
    for row in ws.iter_rows(min_row=max(1, first_row)):
        for cell in row:
            value = cell.value
            if isinstance(value, str):
                if value.strip():
                    text.add(cell.column)
            elif getattr(cell, "is_date", False) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
                fixed.add(cell.column)                 # (a merged cell has no format)
    return fixed - text


def widen_wrapped_columns(ws, budget_mm: float, first_row: int = 1) -> None:
    """Widen the text columns whose text wraps (one common floor, each up to its longest text and
    :data:`MAX_TEXT_WIDTH`) while the printed columns fit ``budget_mm``: a long table then prints
    at the smallest readable size with fewer lines a row, so more rows a page."""
    from openpyxl.utils import get_column_letter

    fixed = _unwrappable_columns(ws, first_row)
    widths = {c: column_width(ws, c) for c in range(1, (ws.max_column or 1) + 1) if not is_hidden(ws, c)}
    longest: dict[int, int] = {}
    for row in ws.iter_rows(min_row=max(1, first_row)):
        for cell in row:
            if isinstance(cell.value, str) and cell.column in widths and cell.column not in fixed:
                longest[cell.column] = max(longest.get(cell.column, 0), *(text_width(p) for p in cell.value.split("\n")))
    target = {c: min(MAX_TEXT_WIDTH, n + 2) for c, n in longest.items() if n + 2 > widths[c]}
    if not target:
        return

    def grown(floor: float) -> dict[int, float]:
        return {c: max(widths[c], min(t, floor)) for c, t in target.items()}

    def total(floor: float) -> float:
        new = grown(floor)
        return sum(width_mm(new.get(c, w)) for c, w in widths.items())

    if total(0.0) > budget_mm:
        return
    for c, w in grown(_widest_fitting(total, 0.0, MAX_TEXT_WIDTH, budget_mm, steps=30)).items():
        if w > widths[c]:
            ws.column_dimensions[get_column_letter(c)].width = math.floor(w * 10) / 10


def fit_for_reading(ws, first_row: int = 1, landscape: bool | None = None) -> tuple[str, int]:
    """Choose orientation and pages across so the smallest text prints at :data:`MIN_PRINT_PT`
    or more, narrowing wide text columns first; returns (orientation, pages across)."""
    need = SAFETY * MIN_PRINT_PT / smallest_font(ws)   # the least zoom that keeps text readable
    total = printed_mm(ws)
    if landscape is None:
        landscape = ws.page_setup.orientation == "landscape" or total * need > PAGE_MM["portrait"] \
            or used_width(ws) > PORTRAIT_WIDTH
    orientation = "landscape" if landscape else "portrait"
    if total * need > PAGE_MM[orientation]:
        narrow_columns(ws, 0.99 * PAGE_MM[orientation] / need, first_row)
    pages = 1
    while print_scale(ws, orientation, pages) < need and pages < 8:
        pages += 1
    if pages == 1 and ws.max_row - first_row >= LONG_TABLE_ROWS:
        widen_wrapped_columns(ws, 0.99 * PAGE_MM[orientation] / need, first_row)
    return orientation, pages


def print_setup(ws, header: int | None = None, landscape: bool | None = None, pages: int = 1) -> None:
    """A4, fit to ``pages`` page widths, print titles, margins and page numbers (keeps what is
    already set); a table printed across several pages repeats its first column."""
    from openpyxl.worksheet.page import PageMargins

    header = header if header is not None else header_row(ws)
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    if landscape is None:
        landscape = setup.orientation == "landscape" or used_width(ws) > PORTRAIT_WIDTH
    setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = pages
    setup.fitToHeight = 0                  # as many pages tall as needed
    if pages > 1 and not ws.print_title_cols:
        ws.print_title_cols = "A:A"
    ws.page_margins = PageMargins(left=MARGIN_IN, right=MARGIN_IN, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True      # cell borders on paper: every table reads as a table
    if header and not ws.print_title_rows:
        ws.print_title_rows = f"{header}:{header}"
    if not ws.oddFooter.center.text:
        ws.oddFooter.center.text = FOOTER


def prepare_workbook(workbook) -> None:
    """Print set-up and row heights for every worksheet of an openpyxl workbook."""
    for ws in getattr(workbook, "worksheets", []):
        if ws.max_row <= 1 and ws.max_column <= 1 and ws.cell(1, 1).value is None:
            continue
        header = header_row(ws)
        orientation, pages = fit_for_reading(ws, (header or 0) + 1)
        fit_title_rows(ws, header)
        wrap_long_cells(ws, header + 1 if header else 1)
        fit_row_heights(ws)
        print_setup(ws, header, orientation == "landscape", pages)


def print_problems(ws) -> list[str]:
    """What keeps a worksheet from printing well (empty when it is print-ready)."""
    problems = []
    setup = ws.page_setup
    if str(setup.paperSize) != str(ws.PAPERSIZE_A4):
        problems.append("纸张不是 A4")
    if not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage) \
            or not setup.fitToWidth or setup.fitToHeight != 0:
        problems.append("未设置“调整为页宽”")
    if printed_pt(ws) < MIN_PRINT_PT - 0.05:
        problems.append(f"打印后文字约 {printed_pt(ws):.1f} 磅，小于 {MIN_PRINT_PT:g} 磅")
    if pages_wide(ws) > 1 and not ws.print_title_cols:
        problems.append("分页横向打印时未重复首列")
    header = header_row(ws)
    if header and str(ws.print_title_rows or "").replace("$", "") != f"{header}:{header}":
        problems.append(f"未设置打印标题行（表头第 {header} 行）")
    margins = ws.page_margins
    if not (0.3 <= margins.left <= 1.0 and 0.3 <= margins.right <= 1.0 and 0.4 <= margins.top <= 1.2):
        problems.append("页边距不合适")
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    unprinted = {c for c in range(1, (ws.max_column or 1) + 1) if is_hidden(ws, c)}
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment is not None and cell.alignment.wrap_text \
                    and cell.column not in unprinted:
                width = column_width(ws, cell.column)
                if (cell.row, cell.column) in merged:
                    continue
                size = float(cell.font.sz or 11) if cell.font is not None else 11.0
                needed = min(MAX_HEIGHT, lines_needed(cell.value, width * 11.0 / size) * LINE_HEIGHT * size / 11.0)
                height = ws.row_dimensions[cell.row].height or LINE_HEIGHT
                if height + 0.5 < needed:
                    problems.append(f"{cell.coordinate} 行高 {height:g} 不足以显示换行文字（需要 {needed:g}）")
                    break
    return problems

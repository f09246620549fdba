"""Print-ready worksheets: page set-up, print titles and row heights that show wrapped text.

Leaf module (imports nothing of ours).  ``toolkit.files.save_workbook`` calls
:func:`prepare_workbook` on every workbook the toolkit writes, so each writer only has to lay
out its cells; what a writer sets itself (orientation, print titles) is kept.

- A4, fit to one page wide (as many pages tall as needed), landscape when the used columns
  are wider than a portrait page, margins of about 1.5 cm, page numbers in the footer.
- The header row (the row above the frozen panes, or the writer's own print titles) repeats
  on every printed page.
- Rows with wrapped text get an explicit height for the number of lines the text needs in its
  column: LibreOffice keeps the default height of a row otherwise and cuts the text.
"""

from __future__ import annotations

import math

PORTRAIT_WIDTH = 95        # column-width units (≈ characters) that fit across A4 portrait
LINE_HEIGHT = 15.0         # points per line of 11-point text (Excel's default row is 15 pt)
MAX_LINES = 30             # a row never grows beyond this (Excel's limit is 409 pt)
DEFAULT_WIDTH = 8.43       # Excel's default column width
FOOTER = "第 &P 页，共 &N 页"


def text_width(value) -> int:
    """Display width of a cell value: CJK and full-width characters count two."""
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
    """The table's header row: the row above the frozen panes (None when nothing is frozen)."""
    from openpyxl.utils.cell import coordinate_from_string

    if not ws.freeze_panes:
        return None
    _, row = coordinate_from_string(ws.freeze_panes)
    return row - 1 if row > 1 else None


def fit_row_heights(ws, first_row: int = 1) -> None:
    """Give every row with wrapped text the height its longest cell needs (merged cells too)."""
    widths: dict[int, float] = {}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = sum(column_width(ws, c) for c in range(rng.min_col, rng.max_col + 1))
    for row in ws.iter_rows(min_row=first_row):
        height = 0.0
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            wrapped = bool(cell.alignment and cell.alignment.wrap_text)
            if not wrapped and "\n" not in cell.value:
                continue
            width = merged.get((cell.row, cell.column)) or widths.setdefault(
                cell.column, column_width(ws, cell.column))
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            lines = min(MAX_LINES, lines_needed(cell.value, width * 11.0 / size))
            if lines > 1:
                height = max(height, lines * LINE_HEIGHT * size / 11.0 + 3)
        current = ws.row_dimensions[row[0].row].height
        if height and (current is None or current < height):
            ws.row_dimensions[row[0].row].height = round(height, 1)


def used_width(ws) -> float:
    return sum(column_width(ws, c) for c in range(1, (ws.max_column or 1) + 1))


def print_setup(ws, header: int | None = None, landscape: bool | None = None) -> None:
    """A4, fit to page width, print titles, margins and page numbers (keeps what is already set)."""
    from openpyxl.worksheet.page import PageMargins

    header = header if header is not None else header_row(ws)
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    if landscape is None:
        landscape = setup.orientation == "landscape" or used_width(ws) > PORTRAIT_WIDTH
    setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 0                  # as many pages tall as needed
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if header and not ws.print_title_rows:
        ws.print_title_rows = f"{header}:{header}"
    if not ws.oddFooter.center.text:
        ws.oddFooter.center.text = FOOTER


def prepare_workbook(workbook) -> None:
    """Print set-up and row heights for every worksheet of an openpyxl workbook."""
    for ws in getattr(workbook, "worksheets", []):
        if ws.max_row <= 1 and ws.max_column <= 1 and ws.cell(1, 1).value is None:
            continue
        fit_row_heights(ws)
        print_setup(ws)

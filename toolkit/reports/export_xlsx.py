"""Tables → an Excel workbook with openpyxl: a title block, a header row, real typed cells.

Each sheet is ``Sheet(name, frame, lines)``: ``lines`` are text rows above the header (title,
the 示例数据 mark, settings such as deadline rules), written bold and merged across the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from toolkit.cells import safe_cell
from toolkit.files import atomic_path

_HEADER_FILL = "DDE4EE"
_MAX_WIDTH = 60


@dataclass
class Sheet:
    name: str
    frame: object  # pandas.DataFrame
    lines: list[str] = field(default_factory=list)
    highlight: set[str] = field(default_factory=set)  # lines shown in red (e.g. the sample mark)


def write_workbook(target: Path, sheets: list[Sheet]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(title=_sheet_title(sheet.name))
        frame = sheet.frame
        columns = [str(c) for c in frame.columns]
        width = max(1, len(columns))
        row = 1
        for line in sheet.lines:
            ws.cell(row=row, column=1, value=safe_cell(line)).font = Font(
                bold=True, color="C00000" if line in sheet.highlight else None,
                size=14 if row == 1 else 11)
            if width > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        header_row = row
        for col, name in enumerate(columns, start=1):
            cell = ws.cell(row=header_row, column=col, value=safe_cell(name))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        wrap = Alignment(wrap_text=True, vertical="top")  # one shared style object: fast
        for values in frame.itertuples(index=False, name=None):
            row += 1
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=safe_cell(_cell_value(value)))
                if isinstance(cell.value, str):
                    cell.alignment = wrap
                elif isinstance(cell.value, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
        for col, name in enumerate(columns, start=1):
            longest = max([_display_width(name)] + [_display_width(v) for v in frame.iloc[:, col - 1]])
            ws.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, longest + 2)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        if len(frame):
            ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{row}"
    with atomic_path(Path(target), suffix=".xlsx") as tmp:
        book.save(tmp)
    return Path(target)


def _sheet_title(name: str) -> str:
    bad = '[]:*?/\\'
    return "".join("_" if ch in bad else ch for ch in str(name))[:31] or "Sheet"


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        try:
            return value.item()
        except (ValueError, AttributeError):
            pass
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    return value


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

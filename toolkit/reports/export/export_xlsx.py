"""Tables → an Excel workbook with openpyxl: a title block, a header row, real typed cells.

Each sheet is ``Sheet(name, frame, lines)``: ``lines`` are text rows above the header (title,
the 示例数据 mark, settings such as deadline rules), written bold and merged across the table.
``inputs`` names the columns a recipient fills in (e.g. the 街镇 in a 整改清单): those cells
are yellow, carry an input prompt and, with ``choices``, a drop-down list; a sheet with inputs
is protected (only those cells can be changed; filter and column widths stay free).
``hidden`` columns (stable codes a program reads back) are in the file but neither shown nor
printed.  Print set-up and row heights come from ``toolkit.sheets`` when the workbook is saved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from toolkit.cells import safe_cell
from toolkit.files import save_workbook
from toolkit.sheets import DATE_FORMAT, text_width

_HEADER_FILL = "DDE4EE"
_INPUT_FILL = "FFF2CC"
_MAX_WIDTH = 60
_MIN_INPUT_WIDTH = 16


@dataclass(frozen=True)
class Input:
    """A column the recipient fills in: what to enter, and optionally the allowed values."""
    prompt: str
    choices: tuple[str, ...] = ()
    date: bool = False


@dataclass
class Sheet:
    name: str
    frame: object  # pandas.DataFrame
    lines: list[str] = field(default_factory=list)
    highlight: set[str] = field(default_factory=set)  # lines shown in red (e.g. the sample mark)
    inputs: dict[str, Input] = field(default_factory=dict)  # column name -> what to fill in
    hidden: tuple[str, ...] = ()  # columns kept for programs, not shown or printed
    widths: dict[str, float] = field(default_factory=dict)  # column name -> width (else from content)
    unprinted: tuple[str, ...] = ()  # the last columns: shown on screen, right of the print area


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
                    cell.number_format = DATE_FORMAT
        for col, name in enumerate(columns, start=1):
            # the header may wrap to two lines (it is written wrapped): a short column is as wide as its values
            longest = max([math.ceil(text_width(name) / 2)] + [text_width(v) for v in frame.iloc[:, col - 1]])
            dim = ws.column_dimensions[get_column_letter(col)]
            dim.width = sheet.widths.get(name) or min(_MAX_WIDTH, longest + 2)
            dim.hidden = name in sheet.hidden
        if sheet.unprinted:
            printed = [c for c in columns if c not in sheet.unprinted]
            if columns[:len(printed)] != printed:
                raise ValueError(f"unprinted columns of sheet {sheet.name!r} must be its last: {sheet.unprinted}")
            ws.print_area = f"A1:{get_column_letter(len(printed))}{row}"
        _input_columns(ws, sheet, columns, header_row, row)
        if sheet.inputs:
            _protect(ws)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        if len(frame):
            ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{row}"
    return save_workbook(book, Path(target))


def _input_columns(ws, sheet: Sheet, columns: list[str], header_row: int, last_row: int) -> None:
    """Yellow, prompted (and, with choices, validated) cells in the columns to fill in."""
    from openpyxl.styles import Alignment, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fill = PatternFill("solid", fgColor=_INPUT_FILL)
    unlocked = Protection(locked=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    last_row = max(last_row, header_row + 1)
    for name, spec in sheet.inputs.items():
        spec = spec if isinstance(spec, Input) else Input(**spec)
        if name not in columns:
            raise ValueError(f"input column {name!r} is not in sheet {sheet.name!r}")
        col = columns.index(name) + 1
        letter = get_column_letter(col)
        ref = f"{letter}{header_row + 1}:{letter}{last_row}"
        if spec.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="取值无效", error="请从下拉列表中选择")
        elif spec.date:
            rule = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                                  formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                                  errorTitle="日期无效", error="请填写日期，例如 2020-01-15")
        else:
            rule = DataValidation(allow_blank=True)
        rule.showInputMessage = True
        rule.promptTitle = name[:32]
        rule.prompt = spec.prompt[:255]
        ws.add_data_validation(rule)
        rule.add(ref)
        for r in range(header_row + 1, last_row + 1):
            cell = ws.cell(row=r, column=col)
            cell.fill = fill
            cell.alignment = wrap
            if spec.date:
                cell.number_format = DATE_FORMAT
        dim = ws.column_dimensions[letter]
        dim.width = sheet.widths.get(name) or max(dim.width or 0, _MIN_INPUT_WIDTH)
        for r in range(header_row + 1, last_row + 1):
            ws.cell(row=r, column=col).protection = unlocked


def _protect(ws) -> None:
    """Only the input cells can be changed; sorting, filtering and widths stay allowed."""
    protection = ws.protection
    protection.sheet = True
    protection.autoFilter = False          # False: the action is allowed on the protected sheet
    protection.sort = False
    protection.formatColumns = False
    protection.formatRows = False


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

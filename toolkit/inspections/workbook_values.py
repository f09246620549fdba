"""Cell values, sheet names and merged ranges of a filled .xlsx, read fast with ``python-calamine``.

The form reader only needs values (cached results for formulas, as openpyxl's ``data_only=True``),
the sheet names and the merged ranges; calamine reads those about 20× faster than openpyxl.
Values are normalised to what openpyxl returns for the same cell, so parsing and messages do not
depend on the reader: an empty cell is ``None``, a whole number is ``int``, a date is a
``datetime`` at midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook


def _normalise(value: object) -> object:
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


@dataclass
class SheetValues:
    rows: list[list[object]]
    merged: list[str]             # merged ranges as "H4:H5"

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, column: int) -> object:
        """The value of the cell at 1-based ``row`` and ``column`` (None when empty)."""
        if row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return _normalise(cells[column - 1]) if column <= len(cells) else None

    def row_values(self, row: int, columns: int) -> list[object]:
        """The values of columns 1 to ``columns`` of 1-based ``row``."""
        cells = self.rows[row - 1] if row <= len(self.rows) else []
        values = [_normalise(v) for v in cells[:columns]]
        return values + [None] * (columns - len(values))


class WorkbookValues:
    """An opened workbook; sheets are read on first use."""

    def __init__(self, path: Path):
        self._book = CalamineWorkbook.from_path(str(path))
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self._sheets: dict[str, SheetValues] = {}

    def __getitem__(self, name: str) -> SheetValues:
        if name not in self._sheets:
            sheet = self._book.get_sheet_by_name(name)
            merged = [f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
                      for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            self._sheets[name] = SheetValues(sheet.to_python(skip_empty_area=False), merged)
        return self._sheets[name]

    def close(self) -> None:
        self._book.close()


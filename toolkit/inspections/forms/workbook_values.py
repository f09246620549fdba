"""Cell values, sheet names and merged ranges of a filled .xlsx, read fast with ``python-calamine``.

The form reader only needs values (cached results for formulas, as openpyxl's ``data_only=True``),
the sheet names and the merged ranges; calamine reads those about 20× faster than openpyxl.
Values are normalised to what openpyxl returns for the same cell, so parsing and messages do not
depend on the reader: an empty cell is ``None``, a whole number is ``int``, a date is a
``datetime`` at midnight.

Bounded: calamine keeps a sheet as a dense grid from A1 to its last cell, so one stray cell at
XFD1048576 would ask for 512 GiB.  Before a sheet is handed to calamine, its XML is scanned for
the last row and column that hold something; beyond the limits of ``form_limits.yaml`` the sheet
is refused with :class:`SheetTooLarge` (and a control character in a cell is reported by
:meth:`SheetValues.control_cells`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook

from toolkit.cells import CONTROL_CHARACTERS
from toolkit.inspections.forms.form_limits import limit


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

    def control_cells(self) -> list[tuple[int, str, str]]:
        """(row, column letter, text) of every text cell holding a control character (U+0000–U+001F
        other than tab, LF, CR): an xlsx error list could not hold it, and it is never meant."""
        return [(r, get_column_letter(c), value)
                for r, cells in enumerate(self.rows, start=1) for c, value in enumerate(cells, start=1)
                if type(value) is str and CONTROL_CHARACTERS.search(value)]

    def row_values(self, row: int, columns: int) -> list[object]:
        """The values of columns 1 to ``columns`` of 1-based ``row``."""
        cells = self.rows[row - 1] if row <= len(self.rows) else []
        values = [_normalise(v) for v in cells[:columns]]
        return values + [None] * (columns - len(values))


class WorkbookValues:
    """An opened workbook; sheets are read on first use, each after :func:`check_used_range`."""

    def __init__(self, path: Path):
        self._archive = zipfile.ZipFile(path)
        try:
            check_shared_parts(self._archive)
            self._parts = sheet_parts(self._archive)
            self._book = CalamineWorkbook.from_path(str(path))
        except BaseException:
            self._archive.close()
            raise
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self._sheets: dict[str, SheetValues] = {}

    def __getitem__(self, name: str) -> SheetValues:
        if name not in self._sheets:
            check_used_range(self._archive, self._parts, name)
            sheet = self._book.get_sheet_by_name(name)
            ranges = (sheet.merged_cell_ranges or [])[:limit("max_error_rows")]     # each one a problem
            merged = [f"{get_column_letter(min(c0, 16383) + 1)}{r0 + 1}:{get_column_letter(min(c1, 16383) + 1)}{r1 + 1}"
                      for (r0, c0), (r1, c1) in ranges]
            self._sheets[name] = SheetValues(sheet.to_python(skip_empty_area=False), merged)
        return self._sheets[name]

    def close(self) -> None:
        self._book.close()
        self._archive.close()


class SheetTooLarge(ValueError):
    """A sheet holds something beyond the rows, columns or size the import reads."""

    def __init__(self, sheet: str, cell: str, message: str):
        super().__init__(message)
        self.sheet, self.cell, self.message = sheet, cell, message


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REFS = re.compile(rb' r="([A-Z]{1,3})(\d+)"')
_TOKENS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*?)(/?)>")
_REF = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]*)(\d*)[\"']")
_BEYOND = 10 ** 9              # a column reference longer than XFD's three letters


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Sheet name → the zip members holding its cells (more than one when a hostile workbook names
    two sheets alike; {} when the workbook does not say)."""
    try:
        book = ElementTree.fromstring(_read_capped(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_read_capped(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {el.get("Id"): el.get("Target") or "" for el in rels.iter()}
    parts = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") and el.get(_NS_REL) in targets:
            target = targets[el.get(_NS_REL)]
            parts.setdefault(el.get("name"), []).append(
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target)))
    return parts


def used_extent(xml: bytes, stop: tuple[int, int]) -> tuple[int, int]:
    """(last row, last column) holding a cell that is not an empty self-closed ``<c …/>``, or the
    first such cell found beyond ``stop`` (rows, columns).

    Fast path: when every ``<c`` tag has a plain ``r="A1"`` reference and none (empty or not) lies
    beyond ``stop``, the largest reference is the answer.  Otherwise the tags are walked one by
    one; cells and rows without an ``r`` attribute follow the previous one, as in a spreadsheet
    program."""
    refs = _REFS.findall(xml)
    if xml.count(b"<c ") + xml.count(b"<c>") == len(refs):
        rows = max((int(r) for r in {ref[1] for ref in refs}), default=0)
        letters = max({ref[0] for ref in refs}, key=lambda ref: (len(ref), ref), default=b"")
        columns = column_index_from_string(letters.decode()) if letters else 0
        if rows <= stop[0] and columns <= stop[1]:
            return rows, columns
    last_row = last_col = row = col = 0
    for match in _TOKENS.finditer(xml):
        kind, attrs, closed = match.groups()
        ref = _REF.search(attrs)
        if kind == b"row":
            row = int(ref.group(2)) if ref and ref.group(2) else row + 1
            col = 0
            continue
        letters = ref.group(1) if ref else b""
        if letters:
            col = column_index_from_string(letters.decode().upper()) if len(letters) <= 3 else _BEYOND
        else:
            col += 1
        if ref and ref.group(2):
            row = int(ref.group(2))
        if not closed:
            last_row, last_col = max(last_row, row), max(last_col, col)
            if row > stop[0] or col > stop[1]:
                return row, col
    return last_row, last_col


SHARED_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml")
"""Parts calamine reads in full when it opens a workbook (``xl/workbook.xml``: by :func:`sheet_parts`)."""


def _read_capped(archive: zipfile.ZipFile, part: str, sheet: str = "") -> bytes:
    """The decompressed part, refused beyond ``max_sheet_megabytes`` (read at most one byte more)."""
    max_bytes = limit("max_sheet_megabytes") * 1024 * 1024
    with archive.open(part) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SheetTooLarge(sheet, "", f"{'工作表' if sheet else part + ' '}解压后超过 "
                            f"{limit('max_sheet_megabytes')} MB（导入上限），表中可能有大量多余内容；"
                            "请只保留表格原有的行和列，另存后重新导入")
    return data


def check_shared_parts(archive: zipfile.ZipFile) -> None:
    """Raise :class:`SheetTooLarge` when a part read at opening is beyond the size limit."""
    names = set(archive.namelist())
    for part in SHARED_PARTS:
        if part in names:
            _read_capped(archive, part)


def check_used_range(archive: zipfile.ZipFile, parts: dict[str, list[str]], sheet: str) -> None:
    """Raise :class:`SheetTooLarge` when ``sheet`` goes beyond the limits; ``parts``: :func:`sheet_parts`.

    When the workbook does not say which part is the sheet, every worksheet part is checked."""
    max_rows, max_cols = limit("max_rows"), limit("max_columns")
    names = archive.namelist()
    candidates = [part for part in parts.get(sheet, []) if part in names]
    if len(candidates) != len(parts.get(sheet, [])) or not candidates:
        candidates = [n for n in names if n.startswith("xl/worksheets/")]
    for candidate in candidates:
        rows, cols = used_extent(_read_capped(archive, candidate, sheet), (max_rows, max_cols))
        if rows > max_rows or cols > max_cols:
            cell = f"{get_column_letter(min(max(cols, 1), 16384))}{rows}"
            raise SheetTooLarge(sheet, cell, f"单元格 {cell} 有内容，超出导入读取范围（每个工作表最多 {max_rows} 行、"
                                f"{max_cols} 列，即 A1:{get_column_letter(max_cols)}{max_rows}）；"
                                f"请删除第 {max_rows} 行以下和 {get_column_letter(max_cols)} 列以右的所有内容"
                                "（含空格和备注），另存后重新导入")

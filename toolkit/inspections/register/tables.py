"""Reading a bureau's own tables (the organisation and the register) from .xlsx or CSV.

CSV exported from government systems is often GB18030/GBK: UTF-8 (with or without BOM) is tried
first, then GB18030, both strictly; a file that decodes under neither is refused by name, and the
header must then match the catalogue, so a wrongly decoded file never passes silently.
Dates are read as ``2019-03-01``, ``2019/3/1``, ``2019年3月1日``, ``20190301`` or Excel serials.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl.utils import get_column_letter

from toolkit.inspections.register.register_labels import INSTRUCTIONS_SHEET, TEXT, Column, find_column
from toolkit.inspections.intake.validation import Location, Problem

MAX_COLUMNS = 60
MAX_ROWS = 1_000_000
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (1, 2_958_465)          # Excel serials 1900-01-01 … 9999-12-31
_DATE_RE = (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
            re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
            re.compile(r"^(\d{4})(\d{2})(\d{2})$"))


@dataclass
class Table:
    source: str                                   # file name as shown in messages
    sheet: str
    columns: dict[str, int]                       # column key -> 0-based index
    rows: list[tuple[int, list]] = field(default_factory=list)   # (row number as shown, values)
    encoding: str = ""                            # CSV only

    def where(self, row: int, column: Column) -> Location:
        letter = get_column_letter(self.columns[column.key] + 1) if column.key in self.columns else ""
        return Location(self.source, self.sheet, row, letter, column.header)

    def value(self, values: list, key: str):
        index = self.columns.get(key)
        return clean(values[index]) if index is not None and index < len(values) else None


def read_table(path: Path, columns: tuple[Column, ...], sheet_name: str) -> tuple[Table | None, list[Problem]]:
    """The rows of ``path`` under its recognised headers, or the problems that stop reading it."""
    path = Path(path)
    where = Location(path.name)
    if not path.is_file():
        return None, [Problem(where, str(path), TEXT["not_found"])]
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text, encoding, problem = decode_csv(path.read_bytes())
            if problem:
                return None, [Problem(where, path.name, problem)]
            grid, sheet = list(csv.reader(io.StringIO(text, newline=""))), ""
        elif suffix in (".xlsx", ".xlsm"):
            grid, sheet, encoding = _xlsx_grid(path, sheet_name), sheet_name, ""
            sheet = grid.pop()                    # the sheet name actually read
        else:
            return None, [Problem(where, path.name, TEXT["file_type"])]
    except _TooLarge as err:
        return None, [Problem(where, path.name, str(err))]
    except Exception as err:  # noqa: BLE001 - any unreadable file is the user's to fix, named
        return None, [Problem(where, path.name, TEXT["unreadable"].format(problem=err.__class__.__name__))]
    return _with_header(grid, columns, path.name, sheet, encoding)


def decode_csv(data: bytes) -> tuple[str, str, str]:
    """(text, encoding, problem): UTF-8 with BOM, UTF-8, then GB18030, each strictly."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", "", TEXT["utf16"]
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = (("utf-8-sig", "UTF-8（带 BOM）"),)
    else:
        candidates = (("utf-8", "UTF-8"), ("gb18030", "GB18030"))
    for codec, label in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:                      # e.g. UTF-16 without a BOM
            return "", "", TEXT["utf16"]
        return text, label, ""
    return "", "", TEXT["encoding"]


class _TooLarge(ValueError):
    pass


def _xlsx_grid(path: Path, wanted: str) -> list:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = book.sheet_names
    name = wanted if wanted in names else next((n for n in names if n != INSTRUCTIONS_SHEET), names[0])
    sheet = book.get_sheet_by_name(name)
    if sheet.total_width > MAX_COLUMNS or sheet.total_height > MAX_ROWS:
        raise _TooLarge(f"工作表“{name}”的使用范围过大（{sheet.total_height} 行 × {sheet.total_width} 列，"
                        f"上限 {MAX_ROWS} 行 × {MAX_COLUMNS} 列）。请删除表格右侧和下方多余的内容后再导入")
    grid = sheet.to_python(skip_empty_area=False)
    grid.append(name)
    return grid


def _with_header(grid: list, columns, source: str, sheet: str, encoding: str):
    header_index = next((i for i, row in enumerate(grid[:20]) if any(find_column(columns, v) for v in row)), None)
    if header_index is None:
        return None, [Problem(Location(source, sheet, 1), "", TEXT["no_header"].format(first=columns[0].header))]
    header = grid[header_index]
    found: dict[str, list[int]] = {}
    for index, text in enumerate(header):
        column = find_column(columns, text)
        if column is not None:
            found.setdefault(column.key, []).append(index)
    problems = []
    for column in columns:
        spots = found.get(column.key, [])
        if column.required and not spots:
            problems.append(Problem(Location(source, sheet, header_index + 1, field=column.header), "",
                                    TEXT["missing_column"].format(header=column.header, aliases="、".join(column.aliases))))
        if len(spots) > 1:
            problems.append(Problem(Location(source, sheet, header_index + 1, field=column.header), column.header,
                                    TEXT["duplicate_column"].format(header=column.header,
                                                                    columns="、".join(get_column_letter(i + 1) for i in spots))))
    table = Table(source, sheet, {k: v[0] for k, v in found.items()}, encoding=encoding)
    for number, row in enumerate(grid[header_index + 1:], start=header_index + 2):
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row):   # cleaned when read
            table.rows.append((number, row))
    if not problems and not table.rows:
        problems.append(Problem(Location(source, sheet), "", TEXT["empty_file"]))
    return (None if problems else table), problems


def clean(value):
    """A cell as text (stripped, full-width spaces removed) or a number or a date."""
    if isinstance(value, str):
        return value.replace("\u3000", " ").strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_date(value) -> date:
    """ISO, slashes, dots, 年月日, eight digits, or an Excel serial; ``ValueError`` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(int(value)) if float(value).is_integer() else ""
    else:
        text = "".join(str(value or "").split()).translate(_FULL_WIDTH)
    if re.fullmatch(r"\d{8}", text) and text[:2] in ("19", "20"):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if re.fullmatch(r"\d{1,7}", text) and SERIAL_RANGE[0] <= int(text) <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + timedelta(days=int(text))
    for pattern in _DATE_RE:
        match = pattern.match(text)
        if match:
            return date(*(int(g) for g in match.groups()))
    raise ValueError(text)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")

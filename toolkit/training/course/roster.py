"""The trainee roster: cadres with their 街镇 and 村居, imported from an xlsx file.

The roster lives next to nbgrader's tables in the gradebook database (same SQLAlchemy URL), in
its own table ``jiuzhu_roster``; every trainee is also created as an nbgrader student whose id is
the 学员编号 and whose displayed name is masked.  An import is all-or-nothing: every problem in
the file is reported with its row and column and nothing is written.

Personal data: the full name stays in the roster table (the trainer's own record); everything
printed or exported shows ``mask_name(name)`` next to the 学员编号.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from toolkit import SAMPLE_MARK
from toolkit.errors import InputError, ValidationFailed
from toolkit.policy.audiences import audience_of, roles_text
from toolkit.privacy import mask_name, mask_personal
from toolkit.cells import safe_row
from toolkit.files import save_workbook

# Column headers as trainers see them (xlsx), mapped to field names.
COLUMNS = {"学员编号": "id", "姓名": "name", "街镇": "town", "村居": "village", "岗位": "role", "手机号": "phone"}
REQUIRED = ("学员编号", "姓名", "街镇", "村居")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PHONE_PATTERN = re.compile(r"^1\d{10}$")
TABLE = "jiuzhu_roster"
MAX_ROWS = 5000
"""Rows of the roster sheet read at most (header included); content below refuses the file (bounded
time and memory: a stray cell at A1048576 would otherwise be read as a million rows)."""
MAX_COLUMNS = 26
"""Columns read (A–Z); the roster has six, anything to the right is ignored."""
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True)
class Trainee:
    id: str            # 学员编号: nbgrader student id and folder name (ASCII)
    name: str
    town: str          # 街镇
    village: str       # 村居 (village or residential committee)
    role: str = ""
    phone: str = ""

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


@dataclass(frozen=True)
class Roster:
    trainees: tuple[Trainee, ...]
    sample: bool = False          # made from built-in sample data: outputs carry SAMPLE_MARK

    def by_id(self) -> dict[str, Trainee]:
        return {t.id: t for t in self.trainees}


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_roster_xlsx(path: Path) -> Roster:
    """Read and validate a roster workbook (first sheet); raise ValidationFailed listing every problem."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise InputError("花名册文件", str(path), "不存在", "请检查文件路径")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:
        raise InputError(str(path), path.name, f"不是可读取的 Excel 文件（{type(err).__name__}）",
                         "请用 Excel 或 WPS 另存为 .xlsx 后重试") from None
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)]
    workbook.close()
    if len(rows) > MAX_ROWS:
        raise InputError(f"{path.name} 工作表“{sheet.title}”第 {MAX_ROWS + 1} 行", "",
                         f"超出花名册读取上限（最多 {MAX_ROWS} 行）",
                         f"请删除第 {MAX_ROWS} 行以下的所有内容（含空格），学员更多时请分成几个文件导入")

    header_at = next((i for i, row in enumerate(rows[:10]) if any(_text(v) == "学员编号" for v in row)), None)
    if header_at is None:
        raise InputError(f"{path.name} 工作表“{sheet.title}”前 10 行", "", "找不到表头“学员编号”",
                         f"表头应包含：{'、'.join(REQUIRED)}（可选：岗位、手机号）")
    sample = any(SAMPLE_MARK in _text(v) for row in rows[:header_at] for v in row)
    header = [_text(v) for v in rows[header_at]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise InputError(f"{path.name} 第 {header_at + 1} 行（表头）", "、".join(h for h in header if h),
                         f"缺少列：{'、'.join(missing)}", f"表头应包含：{'、'.join(REQUIRED)}")
    columns = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}

    problems: list[str] = []
    trainees: list[Trainee] = []
    first_row: dict[str, int] = {}
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {f: _text(row[i]) if i < len(row) else "" for f, i in columns.items()}
        if not any(values.values()):
            continue                                  # blank line
        where = lambda field: (f"第 {offset} 行 {_col_letter(columns[field] + 1)} 列"  # noqa: E731
                               f"（{_header_of(field)}）")
        row_ok = True
        for label in REQUIRED:
            field = COLUMNS[label]
            if not values[field]:
                problems.append(f"{where(field)}：不能为空，请填写{label}")
                row_ok = False
        sid = values["id"]
        if sid and _personal_id(sid):
            problems.append(f"{where('id')}：值“{mask_personal(sid)}”像身份证号或手机号，不能作学员编号"
                            f"（它会出现在培训台账中），请改用 dh001 这样的编号")
            row_ok = False
        elif sid and not ID_PATTERN.match(sid):
            shown = mask_personal(sid) if sid.isascii() else mask_name(sid)   # may be a name in the wrong column
            problems.append(f"{where('id')}：值“{shown}”不是有效的学员编号，只能用英文字母、数字、"
                            f"下划线、点和减号（例如 dh001），它也是提交文件夹的名称")
            row_ok = False
        if sid and sid in first_row:
            problems.append(f"{where('id')}：学员编号“{shown_student_id(sid)}”与第 {first_row[sid]} 行重复，请保证每人一个编号")
            row_ok = False
        role = values.get("role", "")
        if role and audience_of(role) is None:
            problems.append(f"{where('role')}：值“{_shown_role(role, values['name'])}”不是可选的岗位，请从以下岗位中选择填写或留空（{roles_text()}）")
            row_ok = False
        phone = re.sub(r"[\s-]", "", values.get("phone", ""))
        if phone and not PHONE_PATTERN.match(phone):
            problems.append(f"{where('phone')}：值“{_mask_bad_phone(phone)}”不是 11 位手机号，请更正或留空")
            row_ok = False
        if sid:
            first_row.setdefault(sid, offset)
        if row_ok:
            trainees.append(Trainee(sid, values["name"], values["town"], values["village"],
                                    values.get("role", ""), phone))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"……另有 {len(problems) - MAX_PROBLEMS_SHOWN} 处错误未列出，请先改正以上错误")
        raise ValidationFailed(f"花名册 {path.name} 有 {len(problems)} 处错误，未导入任何数据：", problems=shown)
    if not trainees:
        raise InputError(str(path), path.name, "没有任何学员行", "请在表头下方逐行填写学员")
    return Roster(tuple(trainees), sample)


_PERSONAL_ID = re.compile(r"\d{17}[\dXx]|\d{15}|1[3-9]\d{9}")


def _personal_id(sid: str) -> bool:
    """A 身份证号 or a mobile number typed as the 学员编号."""
    return bool(_PERSONAL_ID.fullmatch(sid))


def shown_student_id(sid: str) -> str:
    """A 学员编号 as printed or exported: a submission folder not on the roster may be named after
    the person (张三, a phone number), so anything that is not a plain ASCII id is masked."""
    if ID_PATTERN.match(sid) and not _personal_id(sid):
        return sid
    shown = mask_personal(sid)
    return shown if shown.isascii() and shown != sid else mask_name(shown)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _shown_role(text: str, name: str) -> str:
    """A wrong 岗位 as echoed: an id or phone typed here, or the row's 姓名 (columns shifted), masked."""
    if any(ch.isdigit() for ch in text):
        return mask_personal(text)[:24]
    return mask_name(text) if text == name else text[:24]


def _header_of(field: str) -> str:
    return next(h for h, f in COLUMNS.items() if f == field)


def _mask_bad_phone(text: str) -> str:
    from toolkit.privacy import mask_phone

    return mask_phone(text) if len(text) >= 7 else text


def write_roster_xlsx(roster: Roster, path: Path) -> Path:
    """Write a roster workbook in the import format (used for the sample roster and templates)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    title = "培训学员花名册" + (f"（{SAMPLE_MARK}，人员均为虚构）" if roster.sample else "")
    sheet.append(safe_row([title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(safe_row(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for t in roster.trainees:
        sheet.append(safe_row([t.id, t.name, t.town, t.village, t.role, t.phone]))
    for letter, width in zip("ABCDEF", (12, 10, 14, 16, 14, 14)):
        sheet.column_dimensions[letter].width = width
    return save_workbook(workbook, Path(path))


# --------------------------------------------------------------------------- storage

def _table(metadata=None):
    from sqlalchemy import Boolean, Column, MetaData, String, Table

    return Table(TABLE, metadata or MetaData(),
                 Column("id", String(64), primary_key=True), Column("name", String(64)),
                 Column("town", String(64)), Column("village", String(64)),
                 Column("role", String(64)), Column("phone", String(32)),
                 Column("sample", Boolean, default=False), Column("imported_at", String(32)))


def save_roster(roster: Roster, db_url: str, course_id: str) -> int:
    """Add or update every trainee (roster table and nbgrader students) in one transaction."""
    from nbgrader.api import Gradebook, Student
    from sqlalchemy import delete, insert

    table = _table()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with Gradebook(db_url, course_id) as gb:
        table.metadata.create_all(gb.engine)
        session = gb.db
        try:
            ids = [t.id for t in roster.trainees]
            session.execute(delete(table).where(table.c.id.in_(ids)))
            session.execute(insert(table), [
                {"id": t.id, "name": t.name, "town": t.town, "village": t.village, "role": t.role,
                 "phone": t.phone, "sample": roster.sample, "imported_at": now} for t in roster.trainees])
            for t in roster.trainees:
                student = session.get(Student, t.id) or Student(id=t.id)
                student.first_name = t.masked_name      # formgrader shows masked names only
                student.last_name = f"{t.town}{t.village}"
                session.add(student)
            session.commit()
        except Exception:
            session.rollback()
            raise
    return len(roster.trainees)


def load_roster(db_url: str) -> Roster:
    """The stored roster (empty when none was imported)."""
    from sqlalchemy import create_engine, inspect, select

    engine = create_engine(db_url, future=True)
    try:
        if TABLE not in inspect(engine).get_table_names():
            return Roster(())
        table = _table()
        with engine.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.town, table.c.village, table.c.id)).all()
    finally:
        engine.dispose()
    trainees = tuple(Trainee(r.id, r.name, r.town, r.village, r.role or "", r.phone or "") for r in rows)
    return Roster(trainees, any(r.sample for r in rows))

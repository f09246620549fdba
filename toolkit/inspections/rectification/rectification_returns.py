"""The 整改清单 read back: each 街镇's returned workbook, validated and stored all-or-nothing.

The workbook is the one ``jiuzhu inspect report`` writes (``rectification.COLUMNS``): a few
title lines (one of them "…下发日期 YYYY-MM-DD…"), a header row with 问题编号, then one row per
problem with the columns the 街镇 fill (``rectification.FILL_COLUMNS``).  Every file is read
and checked before anything is written; one problem anywhere and nothing is imported
(:class:`ReturnsRejected`, one Chinese line per problem naming file, row, column and value).
A new file for a 街镇 replaces that 街镇's earlier return; every import is in the audit trail
(``rectification_imports``).  Rows whose fill-in columns are all empty are stored as 未报送.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, select

from toolkit.errors import ValidationFailed
from toolkit.inspections.store import store as st
from toolkit.inspections.intake.importer import ImportRecord as FormImportRecord
from toolkit.inspections.rectification.rectification import FILL_COLUMNS, STATUS_CHOICES, problem_id
from toolkit.inspections.register.tables import parse_date

ID_COLUMN = "问题编号"
DEADLINE_COLUMN = "完成时限"
NEEDED = [ID_COLUMN, DEADLINE_COLUMN] + FILL_COLUMNS
DONE, DOING, CANNOT = STATUS_CHOICES
NOT_REPORTED = "未报送"
HEADER_SCAN_ROWS = 12
MAX_ROWS = 5000
ISSUED_RE = re.compile(r"下发日期\s*(\d{4}-\d{2}-\d{2})")

TEXT = {
    "rejected": "整改清单未导入（共 {n} 处问题，数据库未作任何修改）。请按下列提示修改后重新导入全部文件：",
    "unreadable": "{file}：无法读取（{problem}）。请确认它是 jiuzhu inspect report 生成的整改清单 .xlsx 文件",
    "no_header": "{file}：前 {rows} 行中找不到表头“问题编号”。请使用下发的整改清单，不要删除表头行",
    "no_column": "{file}：表头缺少“{column}”列。请使用下发的整改清单，不要删除或改名列",
    "no_issued": "{file}：标题行中找不到“下发日期”。请使用下发的整改清单，或用 --issued 给出下发日期",
    "too_many": "{file}：超过 {limit} 行。请只导入一个街镇或一个区的整改清单",
    "unknown_id": "{where}：问题编号“{value}”不是轮次 {round} 发现的问题。请勿修改问题编号；请使用本轮下发的整改清单",
    "no_id": "{where}：已填写整改情况，但问题编号为空。请勿删除问题编号",
    "duplicate": "{where}：问题编号“{value}”重复（已见于 {first}）。同一问题只能填报一次，请删去重复行",
    "deadline": "{where}：完成时限“{value}”不是有效日期。请勿修改完成时限",
    "status": "{where}：完成情况“{value}”无法识别。请从下拉列表中选择：" + " / ".join(STATUS_CHOICES),
    "no_status": "{where}：已填写整改内容，但完成情况为空。请选择：" + " / ".join(STATUS_CHOICES),
    "need": "{where}：完成情况为“{status}”，但{column}为空。请填写{column}",
    "date": "{where}：完成日期“{value}”不是有效日期。请写成 2020-01-15 这样的格式",
    "before": "{where}：完成日期 {value} 早于整改清单下发日期 {issued}。请填写整改实际完成的日期",
    "future": "{where}：完成日期 {value} 晚于今天（{today}）。尚未完成的请选择“整改中”并清空完成日期",
    "date_not_done": "{where}：完成情况为“{status}”，但填写了完成日期 {value}。只有已整改的问题填写完成日期；"
                     "尚未完成的请清空完成日期，在说明中写明计划",
}
REQUIRED = {DONE: ("整改措施", "完成日期", "佐证材料"), DOING: ("整改措施", "说明"), CANNOT: ("说明",)}


class ReturnsRejected(ValidationFailed):
    """Nothing was imported; ``problems`` lists every problem found in every file."""


@dataclass(frozen=True)
class Problem:
    """A finding of the round that the 整改清单 lists (what a 问题编号 stands for)."""
    problem_id: str
    district: str
    unit: str
    item_id: str
    severity: str
    text: str


@dataclass
class Return:
    problem: Problem
    deadline: dt.date
    status: str | None
    measures: str = ""
    completed_on: dt.date | None = None
    evidence: str = ""
    note: str = ""


@dataclass
class ReturnFile:
    path: Path
    digest: str
    issued: dt.date | None
    returns: list[Return] = field(default_factory=list)


@dataclass
class ImportRecord(FormImportRecord):
    """A 街镇's return as imported: the form import's record plus how many rows were filled in."""
    reported: int = 0


def round_problems(store, round_id: str) -> dict[str, Problem]:
    """问题编号 → problem, for every finding of the round (the ids the 整改清单 carry)."""
    from toolkit.inspections.rectification.findings import load_findings

    findings = load_findings(store, round_id)
    problems = {}
    for f in findings.itertuples(index=False):
        pid = problem_id(str(round_id), f.district, f.unit or "", f.item_id)
        problems[pid] = Problem(pid, f.district, f.unit or "", f.item_id, f.severity, str(f.finding or f.item_text))
    return problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def _shown(value) -> str:
    text = _text(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _header(ws, name: str, errors: list[str]):
    """(header row number, column name → index, 下发日期 or None)."""
    issued = None
    for number, row in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
        cells = [_text(v) for v in row]
        if ID_COLUMN in cells:
            columns = {c: i for i, c in enumerate(cells) if c}
            missing = [c for c in NEEDED if c not in columns]
            for column in missing:
                errors.append(TEXT["no_column"].format(file=name, column=column))
            return (number, columns, issued) if not missing else (None, None, issued)
        for cell in cells:
            match = ISSUED_RE.search(cell)
            if match:
                issued = dt.date.fromisoformat(match.group(1))
    errors.append(TEXT["no_header"].format(file=name, rows=HEADER_SCAN_ROWS))
    return None, None, issued


def read_return_file(path: Path, round_id: str, problems: dict[str, Problem], *, issued: dt.date | None,
                     today: dt.date, seen: dict[str, str], errors: list[str], label: str = "") -> ReturnFile:
    """One returned workbook: its rows checked against the round's problems; problems → ``errors``.

    ``label``: the file as named in messages (default its name; the caller adds the folder when
    several files share a name, as every district's 整改清单.xlsx does)."""
    import openpyxl

    path = Path(path)
    name = label or path.name
    try:
        data = path.read_bytes()
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file is the user's to fix
        errors.append(TEXT["unreadable"].format(file=name, problem=err.__class__.__name__))
        return ReturnFile(path, "", issued)
    try:
        ws = wb.worksheets[0]
        start, columns, found_issued = _header(ws, name, errors)
        result = ReturnFile(path, hashlib.sha256(data).hexdigest(), issued or found_issued)
        if start is None:
            return result
        if result.issued is None:
            errors.append(TEXT["no_issued"].format(file=name))
            return result
        for number, row in enumerate(ws.iter_rows(min_row=start + 1, values_only=True), start=start + 1):
            if number - start > MAX_ROWS:
                errors.append(TEXT["too_many"].format(file=name, limit=MAX_ROWS))
                break
            values = {c: (row[i] if i < len(row) else None) for c, i in columns.items()}
            entry = _read_row(values, f"{name} 第 {number} 行", round_id, problems, result.issued, today,
                              seen, errors)
            if entry is not None:
                result.returns.append(entry)
        return result
    finally:
        wb.close()


def _read_row(values: dict, where: str, round_id, problems, issued, today, seen, errors) -> Return | None:
    pid = _text(values.get(ID_COLUMN))
    filled = {c: _text(values.get(c)) for c in FILL_COLUMNS}
    if not pid:
        if any(filled.values()):
            errors.append(TEXT["no_id"].format(where=where))
        return None
    col = f"{where}“{ID_COLUMN}”列"
    if pid not in problems:
        errors.append(TEXT["unknown_id"].format(where=col, value=_shown(pid), round=round_id))
        return None
    if pid in seen:
        errors.append(TEXT["duplicate"].format(where=col, value=pid, first=seen[pid]))
        return None
    seen[pid] = where
    count = len(errors)
    try:
        deadline = parse_date(values.get(DEADLINE_COLUMN))
    except (ValueError, TypeError):
        errors.append(TEXT["deadline"].format(where=f"{where}“{DEADLINE_COLUMN}”列",
                                              value=_shown(values.get(DEADLINE_COLUMN))))
        deadline = None
    status = filled["完成情况"] or None
    if status is None:
        if any(filled.values()):
            errors.append(TEXT["no_status"].format(where=f"{where}“完成情况”列"))
        return Return(problems[pid], deadline, None) if len(errors) == count else None
    if status not in STATUS_CHOICES:
        errors.append(TEXT["status"].format(where=f"{where}“完成情况”列", value=_shown(status)))
        return None
    for column in REQUIRED[status]:
        if not filled[column]:
            errors.append(TEXT["need"].format(where=f"{where}“{column}”列", status=status, column=column))
    completed = _completion_date(values.get("完成日期"), filled["完成日期"], where, status, issued, today, errors)
    if len(errors) > count:
        return None
    return Return(problems[pid], deadline, status, filled["整改措施"], completed, filled["佐证材料"], filled["说明"])


def _completion_date(raw, text: str, where: str, status: str, issued, today, errors) -> dt.date | None:
    if not text:
        return None
    where = f"{where}“完成日期”列"
    try:
        day = parse_date(raw)
    except (ValueError, TypeError):
        errors.append(TEXT["date"].format(where=where, value=_shown(text)))
        return None
    if status != DONE:
        errors.append(TEXT["date_not_done"].format(where=where, status=status, value=day.isoformat()))
    elif day < issued:
        errors.append(TEXT["before"].format(where=where, value=day.isoformat(), issued=issued.isoformat()))
    elif day > today:
        errors.append(TEXT["future"].format(where=where, value=day.isoformat(), today=today.isoformat()))
    return day


def read_returns(store, round_id: str, paths, *, issued: dt.date | None = None,
                 today: dt.date | None = None) -> list[ReturnFile]:
    """Every file read and checked; :class:`ReturnsRejected` listing all problems if any."""
    problems = round_problems(store, round_id)
    today = today or dt.date.today()
    errors: list[str] = []
    seen: dict[str, str] = {}
    paths = [Path(p) for p in paths]
    names = [p.name for p in paths]
    files = [read_return_file(p, str(round_id), problems, issued=issued, today=today, seen=seen, errors=errors,
                              label=p.name if names.count(p.name) == 1 else f"{p.parent.name}/{p.name}")
             for p in paths]
    if errors:
        raise ReturnsRejected(TEXT["rejected"].format(n=len(errors)), problems=errors)
    return files


def import_returns(store, round_id: str, paths, *, imported_by: str | None = None,
                   issued: dt.date | None = None, today: dt.date | None = None) -> list[ImportRecord]:
    """Check every file, then store them in one transaction: a 街镇's new return replaces its old one."""
    engine = st.open_store(store, create=False)
    files = read_returns(engine, str(round_id), paths, issued=issued, today=today)
    who = imported_by or getpass.getuser()
    records = []
    with st.write_transaction(engine) as conn:
        for f in files:
            for (district, unit), rows in _by_unit(f.returns).items():
                records.append(_store_unit(conn, str(round_id), f, district, unit, rows, who))
    return records


def _by_unit(returns: list[Return]) -> dict[tuple[str, str], list[Return]]:
    groups: dict[tuple[str, str], list[Return]] = {}
    for r in returns:
        groups.setdefault((r.problem.district, r.problem.unit), []).append(r)
    return groups


def _store_unit(conn, round_id: str, f: ReturnFile, district: str, unit: str, rows: list[Return], who: str):
    t, log = st.rectification_returns, st.rectification_imports
    digest = hashlib.sha256((f.digest + district + unit).encode()).hexdigest()
    last = conn.execute(select(log.c.file_hash).where((log.c.round_id == round_id) & (log.c.district == district)
                                                      & (log.c.unit == unit)).order_by(log.c.id.desc())).first()
    action = "新增" if last is None else ("未变化" if last[0] == digest else "替换")
    import_id = conn.execute(insert(log).values(
        round_id=round_id, district=district, unit=unit, source=f.path.name, file_hash=digest, rows=len(rows),
        action=action, issued_on=f.issued, imported_by=who, imported_at=st.now())).inserted_primary_key[0]
    conn.execute(delete(t).where((t.c.round_id == round_id) & (t.c.district == district) & (t.c.unit == unit)))
    conn.execute(insert(t), [{
        "round_id": round_id, "problem_id": r.problem.problem_id, "district": district, "unit": unit,
        "item_id": r.problem.item_id, "deadline": r.deadline, "status": r.status, "measures": r.measures,
        "completed_on": r.completed_on, "evidence": r.evidence, "note": r.note, "import_id": import_id,
    } for r in rows])
    return ImportRecord(district, unit, f.path.name, action, len(rows), sum(r.status is not None for r in rows))

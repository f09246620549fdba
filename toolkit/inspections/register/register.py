"""Import of a bureau's own organisation (区/街镇) and 低保 register, all-or-nothing and audited.

Every row is checked first (file, row, column, value, what to do; personal values masked); any
problem refuses the whole file, lists every problem on screen and in an error workbook, and the
store is left untouched.  A re-import adds new rows and updates changed ones; nothing is
deleted, and every change is logged in ``register_imports`` / ``register_changes`` (who, when,
file hash, counts).  A round's sample and results are kept in their own tables, so updating a
household a round has sampled never alters that round's results.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update

from toolkit.errors import ValidationFailed
from toolkit.inspections.store import store as st
from toolkit.inspections.intake.importer import ImportRejected
from toolkit.inspections.register.register_labels import (
    ORG_COLUMNS, ORG_WHAT, REGISTER_COLUMNS, REGISTER_WHAT, STATUSES, TEXT, UNIT_TYPES,
)
from toolkit.inspections.register.tables import Table, parse_date, read_table
from toolkit.inspections.intake.validation import Problem
from toolkit.privacy import is_valid_id_number, mask_id_number, mask_name, mask_phone

SHOWN_PROBLEMS = 200
MASKS = {"head_name": mask_name, "id_number": mask_id_number, "phone": mask_phone}
ORG_FIELDS = ("unit_type", "code")
REGISTER_FIELDS = ("unit_id", "size", "accepted_on", "approved_on", "status", "head_name", "id_number",
                   "phone", "remarks")


class RegisterRejected(ImportRejected):
    """A file of the organisation or the register was refused; nothing was written."""


@dataclass
class RegisterResult:
    what: str
    source: str
    rows: int
    added: int
    updated: int
    unchanged: int
    encoding: str = ""
    kept_sampled: dict[str, int] = field(default_factory=dict)   # round -> updated households it sampled
    import_id: int | None = None


# ---------------------------------------------------------------- checks of one row
def _text(table: Table, values, column, problems, number) -> str:
    value = table.value(values, column.key)
    text = "" if value is None else str(value).strip()
    if column.required and not text:
        problems.append(Problem(table.where(number, column), "", TEXT["required"].format(header=column.header)))
    return text


def _shown(column, value) -> str:
    mask = MASKS.get(column.key)
    return mask(str(value)) if mask and value not in (None, "") else value


def _check_org_row(table, number, values, problems) -> dict:
    cols = {c.key: c for c in ORG_COLUMNS}
    row = {k: _text(table, values, c, problems, number) for k, c in cols.items()}
    if row["unit_type"] and row["unit_type"] not in UNIT_TYPES:
        problems.append(Problem(table.where(number, cols["unit_type"]), row["unit_type"], TEXT["bad_type"]))
    if row["code"] and not re.fullmatch(r"\d{12}", row["code"]):
        problems.append(Problem(table.where(number, cols["code"]), row["code"], TEXT["bad_code"]))
    row["code"] = row["code"] or None
    return row


REGISTER_BY_KEY = {c.key: c for c in REGISTER_COLUMNS}


def _check_register_row(table, number, values, units, today, problems) -> dict:
    cols = REGISTER_BY_KEY
    row = {k: _text(table, values, c, problems, number) for k, c in cols.items()}

    def bad(key, message):
        problems.append(Problem(table.where(number, cols[key]), _shown(cols[key], row[key]), message))

    row["unit_id"] = None
    if row["district"] and row["unit"]:
        row["unit_id"] = units.get((row["district"], row["unit"]))
        if row["unit_id"] is None:
            problems.append(Problem(table.where(number, cols["unit"]), f"{row['district']} {row['unit']}",
                                    TEXT["unknown_unit"]))
    row["id_number"] = row["id_number"].upper()
    if row["id_number"] and not is_valid_id_number(row["id_number"]):
        bad("id_number", TEXT["bad_id"])
    if row["size"]:
        size = table.value(values, "size")
        if isinstance(size, (int, float)) and not isinstance(size, bool) and float(size).is_integer() and size >= 1:
            row["size"] = int(size)
        elif isinstance(size, str) and re.fullmatch(r"[1-9]\d{0,2}", size):
            row["size"] = int(size)
        else:
            bad("size", TEXT["bad_size"])
    for key in ("accepted_on", "approved_on"):
        if row[key]:
            try:
                parsed = parse_date(table.value(values, key))
            except (ValueError, OverflowError):
                bad(key, TEXT["bad_date"])
                row[key] = None
                continue
            row[key] = parsed
            if parsed > today:
                bad(key, TEXT["future_date"].format(today=today.isoformat()))
        else:
            row[key] = None
    if isinstance(row["accepted_on"], date) and isinstance(row["approved_on"], date) \
            and row["approved_on"] < row["accepted_on"]:
        bad("approved_on", TEXT["before_accepted"].format(accepted=row["accepted_on"].isoformat()))
    if row["status"] and row["status"] not in STATUSES:
        bad("status", TEXT["bad_status"])
    digits = len(re.sub(r"\D", "", row["phone"]))
    if row["phone"] and not (re.fullmatch(r"[\d\-+ ]{7,20}", row["phone"]) and 7 <= digits <= 15):
        bad("phone", TEXT["bad_phone"])
    row["phone"] = row["phone"] or ""
    return row


# ---------------------------------------------------------------- reading a whole file
def _read_or_refuse(path: Path, columns, what: str) -> Table:
    table, problems = read_table(path, columns, what)
    if problems:
        _refuse(problems, path, what)
    return table


def _refuse(problems: list[Problem], path: Path, what: str):
    from toolkit.inspections.intake.importer import write_error_report

    folder = path.parent if path.parent.is_dir() else Path.cwd()
    report = write_error_report(problems, folder, what)
    shown = [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(TEXT["too_many"].format(n=len(problems) - SHOWN_PROBLEMS))
    raise RegisterRejected(TEXT["rejected"].format(what=what, file=path.name, n=len(problems), report=report),
                           shown, report)


def check_org_file(path: Path) -> tuple[Table, list[dict]]:
    path = Path(path)
    table = _read_or_refuse(path, ORG_COLUMNS, ORG_WHAT)
    problems, rows, first = [], [], {}
    unit_col = next(c for c in ORG_COLUMNS if c.key == "unit")
    for number, values in table.rows:
        row = _check_org_row(table, number, values, problems)
        key = (row["district"], row["unit"])
        if all(key) and key in first:
            problems.append(Problem(table.where(number, unit_col), f"{key[0]} {key[1]}",
                                    TEXT["duplicate_unit"].format(first=first[key])))
        first.setdefault(key, number)
        rows.append(row)
    if problems:
        _refuse(problems, path, ORG_WHAT)
    return table, rows


def check_register_file(path: Path, units: dict[tuple[str, str], int], today: date) -> tuple[Table, list[dict]]:
    path = Path(path)
    table = _read_or_refuse(path, REGISTER_COLUMNS, REGISTER_WHAT)
    problems, rows, first = [], [], {}
    case_col = REGISTER_COLUMNS[0]
    for number, values in table.rows:
        row = _check_register_row(table, number, values, units, today, problems)
        if row["case_id"] and row["case_id"] in first:
            problems.append(Problem(table.where(number, case_col), row["case_id"],
                                    TEXT["duplicate_case"].format(first=first[row["case_id"]])))
        first.setdefault(row["case_id"], number)
        rows.append(row)
    if problems:
        _refuse(problems, path, REGISTER_WHAT)
    return table, rows


# ---------------------------------------------------------------- writing
def _file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _changes(old: dict, new: dict, fields) -> dict:
    diff = {}
    for key in fields:
        a, b = old.get(key), new.get(key)
        if (a or None) != (b or None):
            mask = MASKS.get(key)
            diff[key] = [mask(str(v)) if mask and v not in (None, "") else v for v in (a, b)]
    return diff


def _log(conn, what, path, fhash, rows, added, updated, unchanged, who, changes) -> int:
    import_id = conn.execute(insert(st.register_imports).values(
        what=what, source=Path(path).name, file_hash=fhash, rows=rows, added=added, updated=updated,
        unchanged=unchanged, imported_by=who, imported_at=st.now())).inserted_primary_key[0]
    if changes:
        conn.execute(insert(st.register_changes), [
            {"import_id": import_id, "key": key, "action": action,
             "changes": json.dumps(diff, ensure_ascii=False, default=str)} for key, action, diff in changes])
    return import_id


def import_org(store, path: Path | str, imported_by: str | None = None) -> RegisterResult:
    """Add or update the 区/街镇 of ``path``; creates the store (in an existing folder) on first use."""
    path = Path(path)
    table, rows = check_org_file(path)             # before the store is touched at all
    fhash = _file_hash(path)
    engine = st.open_store(store, create=True)
    changes, added, updated = [], 0, 0
    with st.write_transaction(engine) as conn:
        districts = {r[0] for r in conn.execute(select(st.districts.c.name))}
        existing = {(r.district, r.name): r for r in conn.execute(select(st.units))}
        for position, district in enumerate(dict.fromkeys(r["district"] for r in rows), start=len(districts)):
            if district not in districts:
                conn.execute(insert(st.districts).values(name=district, position=position))
        for row in rows:
            key = (row["district"], row["unit"])
            old = existing.get(key)
            if old is None:
                conn.execute(insert(st.units).values(district=row["district"], name=row["unit"],
                                                     unit_type=row["unit_type"], code=row["code"]))
                changes.append((" ".join(key), "新增", {}))
                added += 1
                continue
            diff = _changes(old._asdict(), row, ORG_FIELDS)
            if diff:
                conn.execute(update(st.units).where(st.units.c.id == old.id)
                             .values(unit_type=row["unit_type"], code=row["code"]))
                changes.append((" ".join(key), "更新", diff))
                updated += 1
        unchanged = len(rows) - added - updated
        import_id = _log(conn, ORG_WHAT, path, fhash, len(rows), added, updated, unchanged,
                         imported_by or getpass.getuser(), changes)
    return RegisterResult(ORG_WHAT, path.name, len(rows), added, updated, unchanged, table.encoding,
                          import_id=import_id)


def store_units(engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        return {(r.district, r.name): r.id for r in conn.execute(select(st.units.c.id, st.units.c.district,
                                                                          st.units.c.name))}


def import_register(store, path: Path | str, imported_by: str | None = None,
                    today: date | None = None) -> RegisterResult:
    """Add new and update changed 低保 households of ``path`` (the store must hold the organisation)."""
    from toolkit.inspections.store.rounds import RoundError

    path = Path(path)
    if not path.is_file():
        raise ValidationFailed(f"文件 {path}：{TEXT['not_found']}。未导入任何数据。")
    engine = st.open_store(store, create=False)
    units = store_units(engine)
    if not units:
        raise RoundError("数据库中还没有区和街镇。请先用 jiuzhu org import 导入区街镇名册。")
    table, rows = check_register_file(path, units, today or date.today())
    fhash = _file_hash(path)
    columns = [st.households.c[k] for k in ("case_id", *REGISTER_FIELDS)]
    with st.write_transaction(engine) as conn:
        existing = {r[0]: dict(zip(REGISTER_FIELDS, r[1:])) for r in conn.execute(select(*columns))}
        sampled: dict[str, set[str]] = {}
        for round_id, case_id in conn.execute(select(st.samples.c.round_id, st.samples.c.case_id)):
            sampled.setdefault(case_id, set()).add(round_id)
        new, changed, changes, kept = [], [], [], {}
        for row in rows:
            record = {k: row[k] for k in REGISTER_FIELDS}
            old = existing.get(row["case_id"])
            if old is None:
                new.append({"case_id": row["case_id"], **record})
                changes.append((row["case_id"], "新增", {}))
                continue
            diff = _changes(old, record, REGISTER_FIELDS)
            if diff:
                changed.append({"b_case_id": row["case_id"], **record})
                changes.append((row["case_id"], "更新", diff))
                for round_id in sampled.get(row["case_id"], ()):
                    kept[round_id] = kept.get(round_id, 0) + 1
        for start in range(0, len(new), 5000):
            conn.execute(insert(st.households), new[start:start + 5000])
        if changed:
            conn.execute(update(st.households).where(st.households.c.case_id == bindparam("b_case_id")),
                         changed)
        unchanged = len(rows) - len(new) - len(changed)
        import_id = _log(conn, REGISTER_WHAT, path, fhash, len(rows), len(new), len(changed), unchanged,
                         imported_by or getpass.getuser(), changes)
    return RegisterResult(REGISTER_WHAT, path.name, len(rows), len(new), len(changed), unchanged,
                          table.encoding, dict(sorted(kept.items())), import_id)


def result_text(result: RegisterResult) -> str:
    lines = [f"已导入{result.what} {result.source}"
             + (f"（编码 {result.encoding}）" if result.encoding else "")
             + f"：共 {result.rows} 行，新增 {result.added}，更新 {result.updated}，未变化 {result.unchanged}。",
             "每一处新增和更新都已记入导入记录（导入人、时间、文件哈希）；名册中未列出的已有记录保留不变。"]
    for round_id, n in result.kept_sampled.items():
        lines.append(f"其中 {n} 户已被轮次 {round_id} 抽中：该轮的抽样名单和检查结果不受本次更新影响。")
    return "\n".join(lines)

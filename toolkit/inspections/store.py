"""The inspection store: an embedded SQLite database (any SQLAlchemy URL works) with migrations.

Tables keep the city (districts, 街镇, 低保 households with case-file metadata), rounds, the
checklist versions a round is scored with, the mutual-inspection plan and its case-file sample,
item results, case-file checks and an audit trail of every import.  ``open_store`` creates the
database on first use and applies any migration it has not seen yet.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, MetaData, String, Table, Text,
    UniqueConstraint, create_engine, event, insert, select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from toolkit.errors import UserError

DEFAULT_STORE = Path("data") / "jiuzhu.sqlite"

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime, nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

districts = Table(
    "districts", metadata,
    Column("name", String, primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)

units = Table(
    "units", metadata,
    Column("id", Integer, primary_key=True),
    Column("district", String, ForeignKey("districts.name"), nullable=False),
    Column("name", String, nullable=False),
    Column("unit_type", String, nullable=False),        # 街道 | 镇
    UniqueConstraint("district", "name"),
)

households = Table(
    "households", metadata,
    Column("case_id", String, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False, index=True),
    Column("size", Integer, nullable=False),
    Column("accepted_on", Date, nullable=False),
    Column("status", String, nullable=False),           # 在保 | 不予批准
)

rounds = Table(
    "rounds", metadata,
    Column("id", String, primary_key=True),
    Column("title", String, nullable=False),
    Column("year", Integer, nullable=False),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

round_checklists = Table(
    "round_checklists", metadata,
    Column("round_id", String, ForeignKey("rounds.id"), primary_key=True),
    Column("checklist_id", String, primary_key=True),
    Column("version_hash", String, nullable=False),
)

checklist_versions = Table(
    "checklist_versions", metadata,
    Column("checklist_id", String, primary_key=True),
    Column("version_hash", String, primary_key=True),
    Column("title", String, nullable=False),
    Column("content", Text, nullable=False),           # canonical JSON of the checklist
)

assignments = Table(
    "assignments", metadata,
    Column("round_id", String, ForeignKey("rounds.id"), primary_key=True),
    Column("district", String, primary_key=True),       # inspected district
    Column("team_district", String, nullable=False),    # whose team inspects it
)

samples = Table(
    "samples", metadata,
    Column("round_id", String, ForeignKey("rounds.id"), primary_key=True),
    Column("case_id", String, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False, index=True),
    Column("stratum", String, nullable=False),
)

imports = Table(
    "imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", String, nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("source", String, nullable=False),           # file name or "表单录入"
    Column("file_hash", String, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("action", String, nullable=False),           # 新增 | 替换 | 未变化
    Column("imported_by", String, nullable=False),
    Column("imported_at", DateTime, nullable=False),
)

unit_results = Table(
    "unit_results", metadata,
    Column("round_id", String, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("team_district", String, nullable=False),
    Column("inspectors", String, nullable=False),       # names joined by 、 (masked when shown)
    Column("inspected_on", Date, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    Column("content_hash", String, nullable=False),     # hash of the normalised submission
)

item_results = Table(
    "item_results", metadata,
    Column("round_id", String, primary_key=True),
    Column("unit_id", Integer, primary_key=True),
    Column("checklist_id", String, primary_key=True),
    Column("item_id", String, primary_key=True),
    Column("version_hash", String, nullable=False),
    Column("value", String, nullable=True),             # entered value (是/否, level, proportion)
    Column("score", Float, nullable=True),               # None: not applicable
    Column("max_points", Float, nullable=False),
    Column("remarks", Text, nullable=False, default=""),
)

case_checks = Table(
    "case_checks", metadata,
    Column("round_id", String, primary_key=True),
    Column("case_id", String, primary_key=True),
    Column("unit_id", Integer, nullable=False, index=True),
    Column("head_name", String, nullable=False),
    Column("id_number", String, nullable=False),
    Column("phone", String, nullable=False),
    Column("record", Text, nullable=False),              # JSON of CaseFileRow.to_json(): as entered
    Column("outcomes", Text, nullable=False),            # JSON: item id -> 1 / 0 (absent: n/a)
    Column("compliant", Boolean, nullable=False),
    Column("remarks", Text, nullable=False, default=""),  # problems found (names masked)
)

# Each migration is a list of SQL statements or callables run once, in order.  Version 1 creates
# the tables above; add new versions at the end, never edit an applied one.
MIGRATIONS: list[tuple[int, str]] = [
    (1, "create tables"),
]


class StoreError(UserError):
    """The store cannot be opened or is not an inspection store."""


def _engine_for(store: str | Path) -> Engine:
    text_store = str(store)
    if "://" in text_store:
        url = text_store
    else:
        path = Path(text_store)
        if path.exists() and path.is_dir():
            raise StoreError(f"数据库路径 {path} 是一个文件夹，请给出数据库文件路径（如 data/jiuzhu.sqlite）。")
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
    return engine


def _apply_migrations(engine: Engine) -> None:
    with engine.begin() as conn:
        schema_version.create(conn, checkfirst=True)
        done = {row[0] for row in conn.execute(select(schema_version.c.version))}
        for version, _title in MIGRATIONS:
            if version in done:
                continue
            if version == 1:
                metadata.create_all(conn)
            conn.execute(insert(schema_version).values(version=version, applied_at=now()))


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def open_store(store: str | Path | Engine | None = None) -> Engine:
    """Engine for the store (path or SQLAlchemy URL), created and migrated on first use."""
    if isinstance(store, Engine):
        return store
    engine = _engine_for(store or DEFAULT_STORE)
    try:
        _apply_migrations(engine)
    except SQLAlchemyError as err:  # e.g. a file that is not a SQLite database
        engine.dispose()
        raise StoreError(f"无法打开数据库 {store}：它不是督导检查数据库（{err.__class__.__name__}）。"
                         "请检查 --store 参数。") from None
    return engine


def read_frame(conn, query, columns: list[str]):
    """A query's rows as a DataFrame (plain tuples: pandas probes Row objects slowly)."""
    import pandas as pd

    return pd.DataFrame([tuple(row) for row in conn.execute(query)], columns=columns)


def schema_versions(store) -> list[int]:
    with open_store(store).connect() as conn:
        return [row[0] for row in conn.execute(select(schema_version.c.version).order_by(schema_version.c.version))]

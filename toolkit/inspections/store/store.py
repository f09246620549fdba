"""The inspection store: an embedded SQLite database (any SQLAlchemy URL works) with migrations.

Tables keep the city (districts, 街镇, 低保 households with case-file metadata), rounds, the
checklist versions a round is scored with, the mutual-inspection plan and its case-file sample,
item results, case-file checks and an audit trail of every import.  ``open_store`` creates the
database on first use and applies any migration it has not seen yet.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

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
    Column("code", String, nullable=True),              # 行政区划代码 (optional; migration 2)
    UniqueConstraint("district", "name"),
)

households = Table(
    "households", metadata,
    Column("case_id", String, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False, index=True),
    Column("size", Integer, nullable=False),
    Column("accepted_on", Date, nullable=False),
    Column("status", String, nullable=False),           # 在保 | 不予批准 | 停保 | 终止
    # From the bureau's register (migration 2); personal data, masked wherever shown.
    Column("head_name", String, nullable=True),
    Column("id_number", String, nullable=True),
    Column("phone", String, nullable=True),
    Column("approved_on", Date, nullable=True),
    Column("remarks", Text, nullable=True),
)

rounds = Table(
    "rounds", metadata,
    Column("id", String, primary_key=True),
    Column("title", String, nullable=False),
    Column("year", Integer, nullable=False),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    # Migration 2: 各区互检 | 区级督导 | 自查, and the district a 区级督导 or 自查 round covers.
    Column("kind", String, nullable=False, server_default="各区互检"),
    Column("scope", String, nullable=False, server_default=""),
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

register_imports = Table(
    "register_imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("what", String, nullable=False),             # 区街镇名册 | 低保档案名册
    Column("source", String, nullable=False),           # file name
    Column("file_hash", String, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("imported_by", String, nullable=False),
    Column("imported_at", DateTime, nullable=False),
)

register_changes = Table(
    "register_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("register_imports.id"), nullable=False, index=True),
    Column("key", String, nullable=False),              # 档案编号, or 区/街镇 for the organisation
    Column("action", String, nullable=False),           # 新增 | 更新
    Column("changes", Text, nullable=False),            # JSON: field -> [old, new] (personal data masked)
)

# Migration 3: the 整改清单 returned by each 街镇 (toolkit.inspections.rectification.rectification_returns).
rectification_imports = Table(
    "rectification_imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", String, nullable=False, index=True),
    Column("district", String, nullable=False),
    Column("unit", String, nullable=False),             # 街镇, or "" for district-level problems
    Column("source", String, nullable=False),           # file name
    Column("file_hash", String, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("action", String, nullable=False),           # 新增 | 替换 | 未变化
    Column("issued_on", Date, nullable=False),          # 下发日期 of the 整改清单
    Column("imported_by", String, nullable=False),
    Column("imported_at", DateTime, nullable=False),
)

rectification_returns = Table(
    "rectification_returns", metadata,
    Column("round_id", String, primary_key=True),
    Column("problem_id", String, primary_key=True),     # 问题编号 (rectification.problem_id)
    Column("district", String, nullable=False),
    Column("unit", String, nullable=False),
    Column("item_id", String, nullable=False),
    Column("deadline", Date, nullable=False),           # 完成时限
    Column("status", String, nullable=True),            # 已整改 | 整改中 | 无法整改; None: not reported
    Column("measures", Text, nullable=False, default=""),
    Column("completed_on", Date, nullable=True),
    Column("evidence", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("import_id", Integer, ForeignKey("rectification_imports.id"), nullable=False),
)

# Migration 3 too: results proposed in a form from the training ledger (training_facts).
training_proposals = Table(
    "training_proposals", metadata,
    Column("round_id", String, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("checklist_id", String, primary_key=True),
    Column("item_id", String, primary_key=True),
    Column("proposed", String, nullable=False),          # the value written into the form
    Column("source", Text, nullable=False),              # 培训台账 file and the figures behind it
    Column("created_at", DateTime, nullable=False),
)

# Each migration is a list of SQL statements or callables run once, in order.  Version 1 creates
# the tables above; add new versions at the end, never edit an applied one.
MIGRATIONS: list[tuple[int, str]] = [
    (1, "create tables"),
    (2, "register columns, round kinds, register audit trail"),
    (3, "rectification returns and their audit trail, training proposals"),
]


class StoreError(UserError):
    """The store cannot be opened or is not an inspection store."""


BUSY_SECONDS = 120
"""How long a writer waits for another writer of the same store before giving up with a message."""
WRITE_LOCK_KEY = 7_151_515
"""PostgreSQL advisory lock taken by every write transaction: writers queue instead of colliding."""
DRIVER_HINT = {
    "postgresql": "pip install 'jiuzhu-toolkit[postgres]'（即 psycopg[binary]），地址写成 postgresql+psycopg://用户@主机/库名",
}
TEXT = {
    "is_dir": "数据库路径 {path} 是一个文件夹，请给出数据库文件路径（如 data/jiuzhu.sqlite）。",
    "missing": "数据库文件 {path} 不存在（未创建任何文件）。请检查 --store 参数；新单位请先用 jiuzhu org import 导入区街镇名册。",
    "no_folder": "数据库文件夹 {folder} 不存在（未创建任何文件）。请检查 --store 参数，或先建好该文件夹。",
    "driver": "无法使用数据库地址 {url}：缺少数据库驱动 {module}。请安装：{hint}",
    "dialect": "无法识别数据库地址 {url}：{problem}。请写成文件路径，或 sqlite:///路径、postgresql+psycopg://用户@主机/库名。",
    "connect": "无法连接数据库 {url}（{problem}）。请检查 --store 地址、数据库服务是否已启动。",
    "busy": "数据库 {url} 正被另一个导入占用，等待 {seconds} 秒后仍未释放，本次未写入任何数据。请稍后重试。",
    "conflict": "数据库 {url} 在写入时与另一个同时进行的操作冲突，本次未写入任何数据（{problem}）。请重新运行该命令。",
}


def shown_store(store) -> str:
    """The store as shown in messages and manifests: a URL without its password."""
    return _safe_url(store)


def _safe_url(store) -> str:
    """The store as shown in messages: a URL without its password."""
    text = str(store)
    if "://" not in text:
        return text
    from sqlalchemy.engine import make_url
    try:
        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown without its user part
        return text.split("://", 1)[0] + "://…"


def _engine_for(store: str | Path, create: bool) -> Engine:
    text_store = str(store)
    if "://" in text_store:
        return _url_engine(text_store)
    path = Path(text_store)
    if path.is_dir():
        raise StoreError(TEXT["is_dir"].format(path=path))
    if not path.exists():
        if not create:
            raise StoreError(TEXT["missing"].format(path=path))
        if not path.parent.is_dir():
            # A mistyped folder is not created: the caller makes it on purpose (e.g. the sample data).
            raise StoreError(TEXT["no_folder"].format(folder=path.parent))
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_SECONDS})
    _sqlite_pragmas(engine)
    return engine


def _url_engine(url: str) -> Engine:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    shown = _safe_url(url)
    try:
        engine = create_engine(url, **({"connect_args": {"timeout": BUSY_SECONDS}} if url.startswith("sqlite") else {}))
    except ImportError as err:                 # the dialect exists, its DBAPI driver is not installed
        dialect = url.split("://", 1)[0].split("+", 1)[0]
        raise StoreError(TEXT["driver"].format(url=shown, module=getattr(err, "name", None) or err,
                                               hint=DRIVER_HINT.get(dialect, "对应的数据库驱动"))) from None
    except (NoSuchModuleError, ArgumentError) as err:
        raise StoreError(TEXT["dialect"].format(url=shown, problem=err.__class__.__name__)) from None
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    return engine


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@contextmanager
def write_transaction(engine: Engine) -> Iterator:
    """One write transaction that waits for any other writer of the store, never collides with it.

    SQLite: ``BEGIN IMMEDIATE`` takes the write lock first (waiting up to ``BUSY_SECONDS``), so
    what the transaction reads is still true when it writes.  PostgreSQL: a transaction-scoped
    advisory lock does the same.  A writer that still cannot proceed gets a Chinese message and
    nothing of its transaction is written.
    """
    from sqlalchemy.exc import IntegrityError, OperationalError

    shown = _safe_url(engine.url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            try:
                yield conn
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            if engine.dialect.name == "sqlite":
                # Fold the write into the database file now: a later reader never rewrites it,
                # so a refused command leaves the file byte-identical.  PASSIVE never waits for
                # readers (a report kernel reading the store does not stall the writer).
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    except OperationalError as err:
        if "locked" in str(err.orig).lower() or "busy" in str(err.orig).lower():
            raise StoreError(TEXT["busy"].format(url=shown, seconds=BUSY_SECONDS)) from None
        raise StoreError(TEXT["conflict"].format(url=shown, problem=err.orig.__class__.__name__)) from None
    except IntegrityError as err:
        raise StoreError(TEXT["conflict"].format(url=shown, problem=err.orig.__class__.__name__)) from None


def _apply_migrations(engine: Engine) -> None:
    wanted = {version for version, _title in MIGRATIONS}
    with engine.connect() as conn:                      # the usual case: nothing to do, read only
        from sqlalchemy import inspect as sa_inspect
        if sa_inspect(conn).has_table("schema_version") and \
                wanted <= {row[0] for row in conn.execute(select(schema_version.c.version))}:
            return
    with write_transaction(engine) as conn:            # two first opens at once: one waits
        schema_version.create(conn, checkfirst=True)
        done = {row[0] for row in conn.execute(select(schema_version.c.version))}
        for version, _title in MIGRATIONS:
            if version in done:
                continue
            if version == 1:
                metadata.create_all(conn)
            elif version == 2:
                _add_missing_columns(conn)
                metadata.create_all(conn)
            elif version == 3:                          # additive: new tables only
                metadata.create_all(conn)
            conn.execute(insert(schema_version).values(version=version, applied_at=now()))


def _add_missing_columns(conn) -> None:
    """Columns declared above that an older store lacks (new stores have them from version 1)."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.schema import CreateColumn

    present = sa_inspect(conn)
    tables = set(present.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in tables:
            continue
        have = {c["name"] for c in present.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                spec = CreateColumn(column).compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {spec}")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def open_store(store: str | Path | Engine | None = None, create: bool = True) -> Engine:
    """Engine for the store (path or SQLAlchemy URL), migrated on first use.

    ``create=False`` (every command that only reads or adds to an existing store): a missing
    SQLite file is an error and nothing is created.  With ``create=True`` a new file is made
    only in an existing folder.
    """
    from sqlalchemy.exc import OperationalError

    if isinstance(store, Engine):
        return store
    store = store or DEFAULT_STORE
    engine = _engine_for(store, create)
    try:
        _apply_migrations(engine)
    except OperationalError as err:
        engine.dispose()
        if "://" in str(store) and not str(store).startswith("sqlite"):
            raise StoreError(TEXT["connect"].format(url=_safe_url(store), problem=err.orig.__class__.__name__)) from None
        raise StoreError(f"无法打开数据库 {store}：它不是督导检查数据库（{err.__class__.__name__}）。"
                         "请检查 --store 参数。") from None
    except SQLAlchemyError as err:  # e.g. a file that is not a SQLite database
        engine.dispose()
        raise StoreError(f"无法打开数据库 {_safe_url(store)}：它不是督导检查数据库（{err.__class__.__name__}）。"
                         "请检查 --store 参数。") from None
    return engine


def read_frame(conn, query, columns: list[str]):
    """A query's rows as a DataFrame (plain tuples: pandas probes Row objects slowly)."""
    import pandas as pd

    return pd.DataFrame([tuple(row) for row in conn.execute(query)], columns=columns)


def schema_versions(store) -> list[int]:
    with open_store(store).connect() as conn:
        return [row[0] for row in conn.execute(select(schema_version.c.version).order_by(schema_version.c.version))]

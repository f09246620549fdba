"""Two per-process caches under nbgrader's own code, for the grader's long-lived processes.

nbgrader is written for one command per run.  Inside one ``nbgrader autograde`` it opens a new
:class:`nbgrader.api.Gradebook` about eight times per submission (``Autograde.init_assignment``,
``OverwriteKernelspec``, ``OverwriteCells``, ``SaveAutoGrades``, ``AssignLatePenalties``), and
every ``Gradebook()`` calls ``sqlalchemy.create_engine``: a new engine, whose compiled-statement
cache starts empty, so SQLAlchemy compiles every query of every call again.  Its metadata
validator (``CheckCellMetadata``, ``OverwriteCells``) calls ``jsonschema.validate`` per cell,
which checks nbgrader's schema against the JSON Schema meta-schema and builds a validator each
time.  In our grader the writer and every worker grade many submissions in one process, so these
costs repeat for each of them (a profile of 60 submissions: about a quarter of all CPU time).

:func:`install` keeps, in this process only, one engine per database URL and options, one
checked validator per schema, and which tables and course rows are known to exist.  Everything else is nbgrader's code: the same queries, commits and
validation errors (``close()`` still disposes of the engine's connections; SQLAlchemy opens new
ones on the next use).  Plain ``nbgrader`` commands are untouched.  Where nbgrader's modules no
longer look as expected, the cache in question is left out and nbgrader runs as it is.
Once installed, the caches stay for the rest of the process (``jiuzhu demo`` writes feedback and
reports with nbgrader after grading, through the same engines).  An in-memory SQLite URL keeps
nbgrader's one database per ``Gradebook``: it is never cached.
``tests/training/grading/test_user_guide_course.py`` and ``bench/grading.py`` compare the scores with
plain ``nbgrader autograde``.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager

_installed: set[str] = set()
_lock = threading.Lock()
_held: dict[str, object] = {}      # URL → the connection of a running one_transaction()


def install() -> list[str]:
    """Install the caches (idempotent); return the names of those now in place."""
    with _lock:
        for name, step in (("engines", _share_engines), ("schemas", _cache_schemas),
                           ("tables", _check_tables_once), ("courses", _check_courses_once)):
            if name not in _installed and step():
                _installed.add(name)
    return sorted(_installed)


def _share_engines() -> bool:
    from nbgrader import api
    from sqlalchemy import create_engine

    if getattr(api, "create_engine", None) is not create_engine:
        return False
    engines: dict[tuple, object] = {}

    def shared_engine(url, **options):
        if str(url) in _held:
            return _held[str(url)]
        if _in_memory(str(url)):
            return create_engine(url, **options)
        key = (str(url), tuple(sorted(options.items())))
        engine = engines.get(key)
        if engine is None:
            engine = engines[key] = create_engine(url, **options)
        return engine

    api.create_engine = shared_engine
    return True


@contextmanager
def one_transaction(url: str):
    """Every nbgrader ``Gradebook(url)`` opened inside shares one connection and one transaction,
    committed once at the end (rolled back, all of it, on an exception).

    nbgrader commits after every row it writes (``SaveAutoGrades``: one commit per grade cell);
    on SQLite each commit waits for the disk (≈ 15 ms here).  Inside this block the sessions of
    nbgrader's gradebooks join the held connection's transaction (SQLAlchemy's
    ``join_transaction_mode``: their ``commit()`` does not end it), so one submission's rows are
    written together or not at all.  The rows are nbgrader's own.  Without the engine cache
    (nbgrader looks different) the block changes nothing."""
    from nbgrader import api

    if "engines" not in _installed or _in_memory(str(url)) or str(url) in _held:
        yield
        return
    engine = api.create_engine(url, echo=False, future=True)
    with engine.connect() as connection:
        connection.dispose = _no_dispose         # Gradebook.close() disposes of its "engine"
        transaction = connection.begin()
        _held[str(url)] = connection
        try:
            yield
        except BaseException:
            transaction.rollback()
            raise
        else:
            if transaction.is_active:     # a session that rolled back ended it (nbgrader raised)
                transaction.commit()
        finally:
            del _held[str(url)]


def _no_dispose(*args, **kwargs) -> None:
    return None


def _check_tables_once() -> bool:
    """``Gradebook()`` checks that nbgrader's tables exist (reflection, ``create_all``) every time
    it is opened -- about eight times per submission.  Once they were checked for a database URL
    in this process, later checks of the same URL are skipped (the tables do not go away)."""
    from nbgrader import api
    from sqlalchemy import inspect

    metadata = getattr(getattr(api, "Base", None), "metadata", None)
    if getattr(api, "inspect", None) is not inspect or metadata is None or "create_all" in vars(metadata):
        return False
    create_all = metadata.create_all
    checked: set[str] = set()

    def url_of(bind) -> str:
        return str(getattr(bind, "url", None) or bind.engine.url)

    class _Exists:
        def get_table_names(self) -> list[str]:
            return sorted(metadata.tables)

    def checked_inspect(bind):
        return _Exists() if url_of(bind) in checked else inspect(bind)

    def create_all_once(bind=None, **options) -> None:
        key = url_of(bind)
        if key in checked and not options:
            return
        create_all(bind=bind, **options)
        if not _in_memory(key):
            checked.add(key)

    api.inspect = checked_inspect
    metadata.create_all = create_all_once
    return True


def _check_courses_once() -> bool:
    """``Gradebook()`` also looks its course row up (adding it when missing) and commits, every
    time it is opened: about 0.5 ms, nine times per submission.  Once the row was *found* for a
    database URL and course id outside :func:`one_transaction` (so it was committed, and no
    rollback can take it away), later opens in this process skip the look-up.  nbgrader calls
    ``check_course`` only from ``Gradebook.__init__``, which discards its result: the cache is
    left out unless that call still reads so."""
    import inspect

    from nbgrader import api

    try:
        init = inspect.getsource(api.Gradebook.__init__)
    except (OSError, TypeError):
        return False
    check = vars(api.Gradebook).get("check_course")
    if check is None or "\n        self.check_course(course_id=course_id)\n" not in init:
        return False
    found: set[tuple[str, str]] = set()

    def check_course_once(self, course_id: str = "default_course", **kwargs):
        bind = self.engine                   # inside one_transaction: the held connection
        url = getattr(bind, "url", None) or bind.engine.url
        url = url.render_as_string(hide_password=False) if hasattr(url, "render_as_string") else str(url)
        if not kwargs and (url, course_id) in found:
            return None
        course = check(self, course_id=course_id, **kwargs)
        held = any(bind is connection for connection in _held.values())
        if course is not None and not held and not _in_memory(url):
            found.add((url, course_id))      # found, not added: it was there before this open
        return course

    api.Gradebook.check_course = check_course_once
    return True


def _in_memory(url: str) -> bool:
    return url.startswith("sqlite") and (url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:") or ":memory:" in url)


class _CheckedSchemas:
    """Stands in for the ``jsonschema`` module inside nbgrader's metadata validator."""

    def __init__(self, module) -> None:
        self._module = module
        self._validators: dict[str, object] = {}

    def __getattr__(self, name: str):
        return getattr(self._module, name)

    def validate(self, instance, schema, cls=None, *args, **kwargs) -> None:
        """``jsonschema.validate`` with the schema checked and its validator built once."""
        if cls is not None or args or kwargs:
            return self._module.validate(instance, schema, cls, *args, **kwargs)
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            kind = self._module.validators.validator_for(schema)
            kind.check_schema(schema)
            validator = self._validators[key] = kind(schema)
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


def _cache_schemas() -> bool:
    import jsonschema
    from nbgrader.nbgraderformat import common

    if getattr(common, "jsonschema", None) is not jsonschema:
        return False
    common.jsonschema = _CheckedSchemas(jsonschema)
    return True

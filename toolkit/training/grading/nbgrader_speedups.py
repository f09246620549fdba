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

:func:`install` keeps, in this process only, one engine per database URL and options, and one
checked validator per schema.  Everything else is nbgrader's code: the same queries, commits and
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

_installed: set[str] = set()
_lock = threading.Lock()


def install() -> list[str]:
    """Install both caches (idempotent); return the names of those now in place."""
    with _lock:
        for name, step in (("engines", _share_engines), ("schemas", _cache_schemas)):
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
        if _in_memory(str(url)):
            return create_engine(url, **options)
        key = (str(url), tuple(sorted(options.items())))
        engine = engines.get(key)
        if engine is None:
            engine = engines[key] = create_engine(url, **options)
        return engine

    api.create_engine = shared_engine
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

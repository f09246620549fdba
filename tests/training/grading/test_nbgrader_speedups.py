"""The grader's per-process caches under nbgrader (toolkit.training.grading.nbgrader_speedups).

Each case runs in a fresh interpreter: the caches change module attributes of nbgrader for the
rest of a process, and the comparison must be with nbgrader as it ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

PRELUDE = """
import json, sys
from toolkit.training.grading import nbgrader_speedups
"""


def run(code: str, tmp_path) -> dict:
    # a new gradebook asks the alembic command for its version, as under nbgrader's own commands
    env = dict(os.environ, PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    done = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_engine_per_url_and_the_gradebook_still_works_after_close(tmp_path):
    out = run(f"""
        from nbgrader.api import Gradebook
        print(nbgrader_speedups.install(), file=sys.stderr)
        url = "sqlite:///{tmp_path / 'gradebook.db'}"
        engines, students = [], []
        for name in ("a", "b", "c"):
            with Gradebook(url, "course") as gb:      # close() disposes of the connections
                gb.add_student(name)
                engines.append(id(gb.engine))
                students.append(sorted(s.id for s in gb.students))
        with Gradebook("sqlite:///{tmp_path / 'other.db'}") as gb:
            other = id(gb.engine)
        with Gradebook("sqlite://") as outer, Gradebook("sqlite://") as inner:   # one database each
            memory = outer.engine is not inner.engine
        print(json.dumps({{"installed": nbgrader_speedups.install(), "same": len(set(engines)) == 1,
                           "other": other not in engines, "memory": memory, "students": students}}))
    """, tmp_path)
    assert out == {"installed": ["courses", "engines", "schemas", "tables"], "same": True, "other": True, "memory": True,
                   "students": [["a"], ["a", "b"], ["a", "b", "c"]]}


CELLS = [
    {"grade": True, "solution": False, "grade_id": "ok", "points": 1, "locked": True, "schema_version": 3},
    {"grade": True, "solution": False, "grade_id": "ok", "points": "one", "locked": True, "schema_version": 3},
    {"grade": True, "solution": False, "points": 1, "locked": True, "schema_version": 3},
    {"grade": "yes", "solution": False, "grade_id": "x", "points": 1, "locked": True, "schema_version": 3,
     "task": True},
]


@pytest.mark.parametrize("metadata", CELLS, ids=["valid", "bad_points", "no_grade_id", "bad_grade"])
def test_metadata_validation_gives_nbgrader_s_own_verdict(tmp_path, metadata):
    code = f"""
        from nbformat.v4 import new_code_cell
        from nbgrader.nbgraderformat import MetadataValidator
        def verdict():
            cell = new_code_cell("x = 1", metadata={{"nbgrader": {metadata!r}}})
            try:
                for _ in range(2):
                    MetadataValidator().validate_cell(cell)
                return "valid"
            except Exception as err:
                return f"{{type(err).__name__}}: {{err}}"
        plain = verdict()
        nbgrader_speedups.install()
        print(json.dumps({{"plain": plain, "cached": verdict()}}))
    """
    out = run(code, tmp_path)
    assert out["cached"] == out["plain"]
    assert (out["plain"] == "valid") == (metadata is CELLS[0])


def test_nothing_is_replaced_where_nbgrader_looks_different(tmp_path):
    out = run("""
        from nbgrader import api
        from nbgrader.nbgraderformat import common
        api.create_engine = lambda *a, **k: None      # e.g. a later nbgrader with its own factory
        common.jsonschema = object()
        api.inspect = lambda bind: None
        api.Gradebook.__init__ = lambda self, *args, **kwargs: None   # its course check not as we know it
        print(json.dumps({"installed": nbgrader_speedups.install()}))
    """, tmp_path)
    assert out == {"installed": []}


def test_one_transaction_writes_a_submissions_rows_together_or_not_at_all(tmp_path):
    out = run(f"""
        from nbgrader.api import Gradebook
        nbgrader_speedups.install()
        url = "sqlite:///{tmp_path / 'gradebook.db'}"
        with Gradebook(url, "course"):
            pass
        with nbgrader_speedups.one_transaction(url):
            with Gradebook(url, "course") as gb:          # each commit() is one row
                gb.add_student("a")
                gb.add_student("b")
            with Gradebook(url, "course") as gb:          # another gradebook: same transaction
                inside = sorted(s.id for s in gb.students)
        try:
            with nbgrader_speedups.one_transaction(url):
                with Gradebook(url, "course") as gb:
                    gb.add_student("c")
                raise RuntimeError("the submission failed half-way")
        except RuntimeError:
            pass
        with Gradebook(url, "course") as gb:
            after = sorted(s.id for s in gb.students)
        fresh = "sqlite:///{tmp_path / 'second.db'}"      # tables checked per database, not once for all
        with Gradebook(fresh, "course") as gb:
            gb.add_student("d")
            second = sorted(s.id for s in gb.students)
        print(json.dumps({{"inside": inside, "after": after, "second": second}}))
    """, tmp_path)
    assert out == {"inside": ["a", "b"], "after": ["a", "b"], "second": ["d"]}


def test_a_course_row_is_looked_up_once_it_was_found_and_never_taken_from_a_rollback(tmp_path):
    out = run(f"""
        from nbgrader import api
        from nbgrader.api import Course, Gradebook
        nbgrader_speedups.install()
        url = "sqlite:///{tmp_path / 'gradebook.db'}"
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        looked = []
        @event.listens_for(Engine, "before_cursor_execute")
        def count(conn, cursor, statement, *args):
            if "FROM course" in statement and "course.id = " in statement:
                looked.append(statement)
        def rows():
            with Gradebook(url, "a") as gb:
                return sorted(c.id for c in gb.db.query(Course).all())
        try:
            with nbgrader_speedups.one_transaction(url):
                with Gradebook(url, "late"):                 # added inside, then rolled back
                    pass
                with Gradebook(url, "late"):                 # found inside: not remembered
                    pass
                raise RuntimeError
        except RuntimeError:
            pass
        with Gradebook(url, "a"):                            # added (not found): checked again next time
            pass
        looked.clear()
        with Gradebook(url, "a"), Gradebook(url, "a"), Gradebook(url, "late"), Gradebook(url, "late"):
            pass
        lookups = len(looked)                                # "a" found once, "late" added then found
        before = rows()
        with nbgrader_speedups.one_transaction(url):
            for _ in range(3):
                with Gradebook(url, "a") as gb:
                    gb.add_student("s" + str(len(gb.students)))
        print(json.dumps({{"rows": before, "students": len(Gradebook(url, "a").students), "lookups": lookups}}))
    """, tmp_path)
    assert out == {"rows": ["a", "late"], "students": 3, "lookups": 3}

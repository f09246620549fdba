"""The committed course sources are exactly what `jiuzhu course build` writes (regenerate on purpose)."""

import json

import pytest

from training_helpers import REPO
from toolkit.cases.base import case_for
from toolkit.training.course.course import REFERENCE_STUDENT
from toolkit.training.course.notebook import source_notebook

pytestmark = pytest.mark.usefixtures("practice_assignment")

REAL = ("m01_means_test", "m02_procedure", "m03_case_file", "m04_one_window", "m05_funds", "m06_special")


@pytest.mark.parametrize("assignment", REAL)
def test_committed_source_matches_the_generator(assignment):
    path = REPO / "courses" / "source" / assignment / f"{assignment}.ipynb"
    committed = json.loads(path.read_text("utf-8"))
    built = source_notebook(case_for("jiuzhu", assignment, REFERENCE_STUDENT))
    assert [(c["id"], "".join(c["source"]), c["metadata"]) for c in committed["cells"]] == \
        [(c["id"], c["source"], dict(c["metadata"])) for c in built.cells], \
        "run `jiuzhu course build` and commit courses/source/"


def test_every_question_has_one_graded_cell_with_its_points():
    for assignment in REAL:
        case = case_for("jiuzhu", assignment, REFERENCE_STUDENT)
        cells = source_notebook(case).cells
        graded = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
                  for c in cells if c.metadata.get("nbgrader", {}).get("points") is not None}
        expected = {f"{q.id}_{'task' if q.kind == 'text' else 'test'}": q.points for q in case.questions}
        assert graded == expected, assignment
        pandas = any("ex.frames()" in c.source for c in cells)
        assert pandas == (assignment == "m05_funds")


@pytest.mark.slow
def test_real_course_builds_and_releases_without_leaks(tmp_path, monkeypatch):
    import toolkit.cases
    from training_helpers import copy_course
    from toolkit.training.course import course
    from toolkit.training.grading import leaks

    monkeypatch.setattr(toolkit.cases, "ASSIGNMENTS", REAL)
    monkeypatch.delenv("JIUZHU_EXCHANGE", raising=False)
    root = copy_course(tmp_path)
    built = course.build(root)
    released = course.release(root)
    assert [p.parent.name for p in built] == list(REAL)
    assert all((p / f"{p.name}.ipynb").exists() for p in released)
    assert leaks.scan(root) == []
    m04 = json.loads((root / "release" / "m04_one_window" / "m04_one_window.ipynb").read_text("utf-8"))
    assert any(c["metadata"].get("nbgrader", {}).get("task") for c in m04["cells"])

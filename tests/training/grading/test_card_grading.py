"""Answer cards on the real course, graded in the sandbox (issue 10, items 1 and 2).

The case a trainee is graded on comes from the course secret on the trainer's side; the kernel
gets only the givens.  A trainee who rewrites ``grade`` in their notebook or prints a score earns
nothing by it: the grader scores the answer cards from the submitted ``answers.json``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from toolkit.training.trainee import casedata

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session")]

A = "m01_means_test"
CHEAT = ("import toolkit.training.trainee.autograde as a\n"
         "a.grade = lambda *args, **kwargs: 100.0\n"
         "import toolkit.cases\n"
         "print('OTHER', toolkit.cases.case_for('jiuzhu', 'm01_means_test', 'g_right').questions[1].answer)\n"
         f"print('SECRET', open({{secret!r}}).read())")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from toolkit.training.course import course
    from toolkit.training.grading.grading import grade_course
    from toolkit.training.course.simulate import simulate_submissions

    root = tmp_path_factory.mktemp("cards") / "courses"
    root.mkdir()
    shutil.copy(Path(__file__).resolve().parents[3] / "courses" / "nbgrader_config.py", root)
    course.build(root, [A])
    simulate_submissions(root, {("g_right", A): "correct", ("g_partly", A): "partly_wrong",
                                ("g_cheat", A): "blank"})
    path = root / "submitted" / "g_cheat" / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(CHEAT.format(secret=str(casedata.secret_file(root)))))
    nbformat.write(nb, path)
    run = grade_course(root, jobs=2, timeout=120, progress=False)
    return root, run


def _score(run, student):
    return next(o for o in run.outcomes if o.student == student)


def test_right_answers_score_full_marks_against_the_keyed_case(graded):
    root, run = graded
    right = _score(run, "g_right")
    assert right.max_score > 0 and right.score == right.max_score, right
    assert 0 < _score(run, "g_partly").score < right.max_score


def test_rewriting_grade_in_the_notebook_earns_nothing(graded):
    root, run = graded
    cheat = _score(run, "g_cheat")
    assert cheat.score == 0.0
    text = json.dumps([c.get("outputs", []) for c in nbformat.read(
        root / "autograded" / "g_cheat" / A / f"{A}.ipynb", as_version=4).cells], ensure_ascii=False)
    secret = casedata.secret_file(root).read_text(encoding="ascii").strip()
    assert secret not in text and "FileNotFoundError" in text       # the secret is not in the sandbox
    from toolkit.cases import case_for

    real = casedata.trainer_case(root, A, "g_right")
    public = case_for("jiuzhu", A, "g_right")
    assert real.intro_markdown != public.intro_markdown     # the public generator gives no one's case


def test_the_secret_stays_on_the_trainers_side(graded):
    root, _ = graded
    path = casedata.secret_file(root)
    assert path.stat().st_mode & 0o077 == 0
    released = [p for base in ("release", "exchange") for p in (root / base).rglob("*") if p.is_file()]
    assert released and not any(p.name == path.name for p in released)
    data = casedata.trainee_case_data(root, "g_right", A)
    assert "answer" not in json.dumps(data["questions"]) and "explanation" not in json.dumps(data)

"""Simulated submissions are what they claim to be: right answers score, wrong ones do not."""

from __future__ import annotations

import json

import nbformat

from toolkit.training.trainee.casedata import trainer_case
from toolkit.training.trainee.answers import load_answers
from toolkit.training.trainee.parsing import parse_response
from toolkit.training.course.simulate import KINDS, plan_kinds, sample_roster, simulate_submissions

ASSIGNMENTS = ("m01_means_test", "m02_procedure")


def _released(root, assignment):
    folder = root / "release" / assignment
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("grade()")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q1_test", "points": 1, "locked": True,
                                 "solution": False, "schema_version": 3}
    nb.cells = [nbformat.v4.new_markdown_cell("# 练习"), cell]
    nbformat.write(nb, folder / f"{assignment}.ipynb")


def _fractions(folder, assignment, student):
    case = trainer_case(folder.parents[2], assignment, student)      # <course>/submitted/<s>/<a>
    answers = load_answers(folder)
    return {q.id: q.score(parse_response(q, answers.get(q.id))) for q in case.questions if q.kind != "text"}


def test_every_kind_appears_and_answers_match_the_kind(tmp_path):
    for assignment in ASSIGNMENTS:
        _released(tmp_path, assignment)
    students = [t.id for t in sample_roster(20).trainees]
    plan = plan_kinds(students, list(ASSIGNMENTS))
    made = simulate_submissions(tmp_path, plan)
    for assignment in ASSIGNMENTS:
        assert set(KINDS) <= {m.kind for m in made if m.assignment == assignment}
    assert len(made) == sum(kind is not None for kind in plan.values())
    for sub in made:
        folder = tmp_path / "submitted" / sub.student / sub.assignment
        assert (folder / "timestamp.txt").exists()
        if sub.kind == "blank":
            assert load_answers(folder) == {}
            continue
        scores = _fractions(folder, sub.assignment, sub.student)
        if sub.kind in ("correct", "late", "tampered", "broken"):
            assert all(v == 1.0 for v in scores.values()), (sub, scores)
        if sub.kind == "partly_wrong":
            assert any(v < 1.0 for v in scores.values()) and any(v == 1.0 for v in scores.values())
        notebook = (folder / f"{sub.assignment}.ipynb").read_text(encoding="utf-8")
        if sub.kind == "broken":
            try:
                json.loads(notebook)
                raise AssertionError("a broken submission must not be valid JSON")
            except ValueError:
                pass
        if sub.kind == "tampered":
            assert notebook != (tmp_path / "release" / sub.assignment / f"{sub.assignment}.ipynb").read_text(
                encoding="utf-8")


def test_sample_roster_uses_fictional_sample_places():
    roster = sample_roster()
    assert roster.sample and 55 <= len(roster.trainees) <= 65
    assert all(t.town.endswith(("街道", "镇")) for t in roster.trainees)

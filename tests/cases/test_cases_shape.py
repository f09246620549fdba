"""What every assignment's cases share: stable questions, citations, answers a card can take."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from toolkit import SAMPLE_MARK
from toolkit.cases import ASSIGNMENTS, case_for, case_module

# Questions whose right answer is a principle, the same for every trainee (the case text varies).
SAME_ANSWER_FOR_ALL = {("m04_one_window", "q3"), ("m04_one_window", "q5"), ("m06_special", "q2")}


def test_assignments_are_the_six_course_modules_in_order():
    assert ASSIGNMENTS == ("m01_means_test", "m02_procedure", "m03_case_file", "m04_one_window",
                           "m05_funds", "m06_special")
    for assignment in ASSIGNMENTS:
        module = case_module(assignment)
        assert module.ASSIGNMENT == assignment
        assert module.TITLE and all("\u4e00" <= ch <= "\u9fff" for ch in module.TITLE)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_question_ids_kinds_and_points_do_not_depend_on_the_seed(assignment, cases_by_assignment):
    cases = cases_by_assignment[assignment]
    shapes = {tuple((q.id, q.kind, q.points, q.prompt) for q in c.questions) for c in cases}
    assert len(shapes) == 1
    ids = [q.id for q in cases[0].questions]
    assert ids == [f"q{i}" for i in range(1, len(ids) + 1)]
    assert 5 <= len(ids) <= 8, "15–30 minutes for a cadre"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_cites_a_basis_and_a_rule_and_explains(assignment, cases_by_assignment):
    for case in cases_by_assignment[assignment]:
        for q in case.questions:
            assert "《" in q.basis or "〔" in q.basis, (q.id, q.basis)   # a document, by title or number
            assert q.rule and q.rule.isascii(), (q.id, q.rule)
            assert len(q.explanation) >= 10, (q.id, q.explanation)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_right_answers_have_the_card_types_and_earn_full_points(assignment, cases_by_assignment):
    for case in cases_by_assignment[assignment]:
        for q in case.questions:
            if q.kind == "text":
                assert q.answer is None and q.score("随便写的") is None
                continue
            if q.kind == "number":
                assert isinstance(q.answer, Decimal)
            elif q.kind == "date":
                assert isinstance(q.answer, date)
            elif q.kind == "choice":
                assert q.answer in {o.key for o in q.options}
            elif q.kind == "multi":
                assert isinstance(q.answer, frozenset) and q.answer, "an empty right answer cannot be earned"
                assert q.answer <= {o.key for o in q.options}
            if q.kind in ("choice", "multi"):
                keys = [o.key for o in q.options]
                assert len(keys) == len(set(keys)) and all(o.label for o in q.options)
            assert q.score(q.answer) == 1.0, (case.seed, q.id)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_wrong_answers_lose_points(assignment, cases_by_assignment):
    for case in cases_by_assignment[assignment]:
        for q in case.questions:
            if q.kind == "number":
                assert q.score(q.answer + 1) == 0.0
            elif q.kind == "date":
                assert q.score(date(2000, 1, 1)) == 0.0
            elif q.kind == "choice":
                other = next(o.key for o in q.options if o.key != q.answer)
                assert q.score(other) == 0.0
            elif q.kind == "multi":
                assert q.score(frozenset(o.key for o in q.options)) < 1.0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cases_are_marked_fictional_and_set_in_the_sample_city(assignment, cases_by_assignment):
    for case in cases_by_assignment[assignment]:
        assert case.assignment == assignment
        assert SAMPLE_MARK in case.intro_markdown
        assert "示例市" in case.intro_markdown
        assert case.title in case.intro_markdown


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_trainees_get_different_cases_and_answers(assignment, cases_by_assignment):
    cases = cases_by_assignment[assignment]
    assert len({c.intro_markdown for c in cases}) == len(cases)
    for q_index, q in enumerate(cases[0].questions):
        if q.kind == "text" or (assignment, q.id) in SAME_ANSWER_FOR_ALL:
            continue
        answers = {c.questions[q_index].answer for c in cases}
        assert len(answers) >= 2, f"{assignment} {q.id} has the same answer for every trainee"


def test_case_for_gives_each_trainee_a_stable_case_of_their_own():
    a1 = case_for("jiuzhu", "m01_means_test", "student-001")
    a2 = case_for("jiuzhu", "m01_means_test", "student-001")
    b = case_for("jiuzhu", "m01_means_test", "student-002")
    assert a1 == a2
    assert a1.intro_markdown != b.intro_markdown

"""Issue 10, item 2: what a trainee's kernel holds is their case without its answer key."""

from __future__ import annotations

import json

import pytest

from toolkit.training.trainee import casedata
from toolkit.training.trainee.exercise import start

pytestmark = pytest.mark.usefixtures("practice_assignment")


def test_the_trainees_kernel_gets_givens_only(tmp_path, monkeypatch, case_of, cases_course):
    monkeypatch.setenv("JIUZHU_STUDENT", "li4")
    folder = tmp_path / "home" / "t01_practice"
    folder.mkdir(parents=True)
    seen = start("t01_practice", folder).case
    full = case_of("li4")
    assert seen.intro_markdown == full.intro_markdown and [q.prompt for q in seen.questions] == \
        [q.prompt for q in full.questions]
    assert all(q.answer is None for q in seen.questions) and seen.seed == 0
    delivered = (cases_course / casedata.OUTBOX / "li4" / "t01_practice.json").read_text("utf-8")
    for q in full.questions:
        assert q.explanation not in delivered or not q.explanation
    assert '"answer"' not in delivered and str(full.seed) not in delivered


def test_the_public_generator_gives_nobody_s_case(case_of):
    from toolkit.cases import case_for

    for student in ("li4", "wang5"):
        assert case_for("jiuzhu", "t01_practice", student) != case_of(student)


def test_a_trainee_without_a_delivered_case_is_told_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUZHU_STUDENT", "nobody7")
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "t01_practice"
    folder.mkdir()
    with pytest.raises(casedata.CaseMissing) as err:
        start("t01_practice", folder)
    assert "还没有为学员 nobody7 准备练习 t01_practice 的案例" in str(err.value)


def test_a_case_file_of_someone_else_is_refused(tmp_path, monkeypatch, cases_course):
    outbox = tmp_path / "cases"
    (outbox / "li4").mkdir(parents=True)
    other = json.loads((cases_course / casedata.OUTBOX / "wang5" / "t01_practice.json").read_text("utf-8"))
    (outbox / "li4" / "t01_practice.json").write_text(json.dumps(other), encoding="utf-8")
    monkeypatch.setenv("JIUZHU_CASES", str(outbox))
    monkeypatch.setenv("JIUZHU_STUDENT", "li4")
    folder = tmp_path / "t01_practice"
    folder.mkdir()
    with pytest.raises(casedata.CaseMissing):
        start("t01_practice", folder)


def test_deliver_puts_the_cases_in_the_trainees_home(tmp_path, cases_course, monkeypatch):
    home = tmp_path / "home-li4"
    paths = casedata.deliver(cases_course, "li4", ["t01_practice"], home)
    assert paths == [home / ".jiuzhu" / "cases" / "jiuzhu" / "li4" / "t01_practice.json"]
    monkeypatch.delenv("JIUZHU_CASES")
    monkeypatch.setenv("HOME", str(home))
    assert casedata.trainee_case_file("t01_practice", "li4") == paths[0]


def test_the_grading_copy_carries_the_marking_guide_of_free_text_only(cases_course):
    plain = casedata.trainee_case_data(cases_course, "li4", "t01_practice")
    graded = casedata.trainee_case_data(cases_course, "li4", "t01_practice", grading=True)
    guides = {q["id"]: q.get("explanation") for q in graded["questions"] if q.get("explanation")}
    assert guides == {"q5": "评分要点：列明全部缺少的材料。"}
    assert not any("explanation" in q for q in plain["questions"])

"""m04: where to accept, what to tell at once, and the decision deadline."""

from __future__ import annotations

import re
from datetime import date

import pytest

from toolkit.cases import m04_one_window as m04
from toolkit.policy import add_workdays
from case_tools import answers

SEEDS = range(60)
TOTAL_LIMIT_2021 = 30   # 民发〔2021〕57号 art. 22 per policy-facts.md


@pytest.fixture(scope="module")
def cases():
    return [m04.generate(s) for s in SEEDS]


def test_shared_data_is_never_demanded_and_only_missing_material_is(cases):
    for case in cases:
        tell = answers(case)["q2"]
        assert not tell & set(m04.SHARED)
        brought = set(case.data["brought"])
        assert all(m04.MATERIALS[m] not in brought for m in tell)
        assert {m04.MATERIALS[m] for m in tell} | brought == set(case.data["needed"])


def test_applicants_from_another_town_are_accepted_and_forwarded(cases):
    seen = set()
    for case in cases:
        center_town = re.search(r"示例市\w+?区(\w+?)社区事务受理服务中心", case.intro_markdown).group(1)
        hukou_town = re.search(r"全家户籍在\w+?区(\w+?(?:街道|镇))", case.intro_markdown).group(1)
        expected = "local" if center_town == hukou_town else "forward"
        assert answers(case)["q1"] == expected
        seen.add(expected)
    assert seen == {"local", "forward"}


def test_decision_deadline_is_thirty_working_days_after_acceptance(cases):
    for case in cases:
        accepted = re.search(r"于(\d{4})年(\d{1,2})月(\d{1,2})日（星期.）受理", case.intro_markdown).groups()
        day = date(*map(int, accepted))
        assert answers(case)["q4"] == add_workdays(day, TOTAL_LIMIT_2021).date


def test_hand_graded_notice_has_a_grading_guide_naming_this_case(cases):
    for case in cases:
        q6 = case.questions[5]
        assert q6.kind == "text" and q6.answer is None
        assert "评分要点" in q6.explanation
        for m in answers(case)["q2"]:
            assert m04.MATERIALS[m] in q6.explanation

"""m06: 支出型贫困 and 临时救助 answers, worked by hand and from the case text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from toolkit.cases import m06_special as m06
from toolkit.policy import standard_on
from case_tools import answers

SEEDS = range(80)


@pytest.fixture(scope="module")
def cases():
    return [m06.generate(s) for s in SEEDS]


def test_case_settings_are_labelled_and_not_policy(cases):
    for case in cases:
        assert "案例设定" in case.intro_markdown
        assert "上年度本市居民人均可支配收入" in case.intro_markdown


def test_temporary_assistance_cap_is_standard_per_person_for_at_most_three_months(cases):
    seen = set()
    for case in cases:
        a = answers(case)
        day = date.fromisoformat(case.data["evaluation_date"])
        people = int(re.search(r"乙家庭 (\d) 人", case.intro_markdown).group(1))
        months = int(re.search(r"持续约 (\d) 个月", case.intro_markdown).group(1))
        expected = 0 if a["q7"] == "none" else standard_on(day).value * people * min(months, 3)
        assert a["q8"] == expected
        seen.add(a["q7"])
    assert seen == {"hukou", "residence_permit", "none"}


def test_households_above_the_dibao_line_can_still_qualify(cases):
    qualifying = [c for c in cases if answers(c)["q2"] == "no" and answers(c)["q5"] == "yes"]
    not_qualifying = [c for c in cases if answers(c)["q5"] == "no"]
    assert qualifying and not_qualifying

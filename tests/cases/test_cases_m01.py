"""m01: the answers are the engine's, and each trap turns up for some trainees."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from toolkit.cases import m01_income as m01
from toolkit.policy import assess, standard_on
from case_tools import answers

SEEDS = range(150)
WORDING_TO_KEY = {text: key for key, texts in m01.INCOME_WORDING.items() for text in texts}


@pytest.fixture(scope="module")
def cases():
    return [m01.generate(s) for s in SEEDS]


def household_from(case) -> dict:
    """Rebuild the engine input from what the trainee sees (names, income wording, amounts)."""
    members = {m["成员"]: {"name": m["成员"], "age": m["年龄"], "income": {}} for m in case.data["members"]}
    for row in case.data["income"]:
        key = WORDING_TO_KEY[row["收入项目"]]
        members[row["成员"]]["income"][key] = members[row["成员"]]["income"].get(key, 0) + row["月金额"]
    return {"region": "shanghai", "date": case.data["evaluation_date"], "members": list(members.values())}


def test_answers_equal_the_engine_on_the_case_as_shown(cases):
    for case in cases:
        result = assess(household_from(case))
        a = answers(case)
        assert a["q2"] == Decimal(str(result["counted_income"]))
        assert a["q3"] == Decimal(str(result["per_capita_income"]))
        assert a["q4"] == Decimal(str(result["standard"]))
        assert a["q5"] == ("yes" if result["eligible"] else "no")
        assert a["q6"] == Decimal(str(result["monthly_benefit"]))


def test_answers_follow_the_rules_worked_by_hand(cases):
    for case in cases:
        a = answers(case)
        size = len(case.data["members"])
        assert a["q3"] == (a["q2"] / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert a["q4"] == standard_on(date.fromisoformat(case.data["evaluation_date"])).value
        assert a["q5"] == ("yes" if a["q3"] < a["q4"] else "no")      # below, not equal
        assert a["q6"] == (a["q4"] * size - a["q2"] if a["q5"] == "yes" else 0)
        excluded = {o.key for o in case.questions[0].options
                    if o.key != m01.NONE_KEY and WORDING_TO_KEY[o.label.split("：")[1].rsplit(" ", 2)[0]]
                    not in m01.COUNTED_INCOME}
        assert a["q1"] == (excluded or {m01.NONE_KEY})


def test_excluded_income_trap_occurs(cases):
    with_excluded = [c for c in cases if answers(c)["q1"] != {m01.NONE_KEY}]
    assert 0 < len(with_excluded) < len(cases)


def test_new_standard_day_trap_occurs_and_bites(cases):
    biting = []
    for case in cases:
        day = date.fromisoformat(case.data["evaluation_date"])
        if standard_on(day).effective_from == day:
            old = standard_on(day - timedelta(days=1)).value
            a = answers(case)
            if old <= a["q3"] < a["q4"]:      # eligible today, not yesterday
                biting.append(case)
    assert biting


def test_income_equal_to_standard_trap_occurs_and_is_not_eligible(cases):
    equal = [c for c in cases if answers(c)["q3"] == answers(c)["q4"]]
    assert equal
    assert all(answers(c)["q5"] == "no" and answers(c)["q6"] == 0 for c in equal)


def test_both_eligible_and_ineligible_households_occur(cases):
    assert {answers(c)["q5"] for c in cases} == {"yes", "no"}


def test_the_case_lists_the_standards_around_its_date_including_the_one_in_force(cases):
    for case in cases:
        day = date.fromisoformat(case.data["evaluation_date"])
        current = standard_on(day)
        assert f"| {current.effective_from.year}年{current.effective_from.month}月{current.effective_from.day}日 |" \
            in case.intro_markdown
        assert case.intro_markdown.count("年4月1日 |") + case.intro_markdown.count("年7月1日 |") >= 2


def test_names_fit_the_family_role_sex():
    from toolkit.cases.fiction import GIVEN_BY_SEX

    roles = {"父亲": "m", "儿子": "m", "母亲": "f", "女儿": "f"}
    seen = set()
    for seed in range(400):
        case = m01.generate(seed)
        members = case.data["members"]
        sexes = {}
        for member in members:
            name, role = member["成员"], member["关系"]
            given = name[-2:]
            sex = next((s for s, pool in GIVEN_BY_SEX.items() if all(ch in pool for ch in given)), None)
            assert sex is not None, (seed, name)
            sexes[role] = sex
            if role in roles:
                assert sex == roles[role], (seed, role, name)
                seen.add(role)
        if "配偶" in sexes:
            assert sexes["配偶"] != sexes["户主"], seed
            seen.add("配偶")
    assert seen == {"父亲", "儿子", "母亲", "女儿", "配偶"}

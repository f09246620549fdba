"""Every citation a case teaches is in force on the case's date: the 条例 from 2019-05-01, 57号 only under
the 2021 rules, 220号 only before them and always with an article, each income exclusion within its window."""

from __future__ import annotations

import re
from datetime import date

import pytest

from toolkit.cases import ASSIGNMENTS, case_module

SEEDS = range(400)
REGULATION_FROM, RULES_2021_FROM = date(2019, 5, 1), date(2021, 7, 1)
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def case_day(case) -> date:
    """The day a case is set on: its evaluation date, its acceptance, its first payment month."""
    data = case.data
    if "evaluation_date" in data:
        return date.fromisoformat(data["evaluation_date"])
    if "timeline" in data:
        return min(date.fromisoformat(row["日期"]) for row in data["timeline"])
    if "ledger" in data:
        return min(date.fromisoformat(row["发放月份"] + "-01") for row in data["ledger"])
    text = " ".join(str(row.get("日期", "")) for row in data.get("documents", [])) or case.intro_markdown
    return min(date(int(y), int(m), int(d)) for y, m, d in CN_DATE.findall(text))


def citation_problems(text: str, day: date) -> list[str]:
    problems = []
    if "上海市社会救助条例" in text and day < REGULATION_FROM:
        problems.append("条例 before 2019-05-01")
    if "2021〕57号" in text and day < RULES_2021_FROM:
        problems.append("57号 before 2021-07-01")
    if "2012〕220号" in text and day >= RULES_2021_FROM:
        problems.append("220号 under the 2021 rules")
    if re.search(r"220号）(?!第)", text):
        problems.append("220号 without an article")
    return problems


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_citation_is_in_force_on_the_case_date(assignment):
    module = case_module(assignment)
    days = []
    for seed in SEEDS:
        made = module.generate(seed)
        case = made[0] if isinstance(made, tuple) else made
        day = case_day(case)
        days.append(day)
        for question in case.questions:
            if question.rule == "rule_set":      # m02 q1 asks which of the two measures applies
                continue
            assert citation_problems(question.basis, day) == [], (seed, question.id, str(day), question.basis)


def test_the_2012_rules_cases_exist_and_cite_articles():
    """m02 sets cases before 2021-07-01 too (a 2018 inspection reviews them): all cite 220号 articles."""
    module = case_module("m02_procedure")
    early = []
    for seed in SEEDS:
        case = module.generate(seed)
        if case_day(case).year == 2018:
            early.append(case)
            for question in case.questions:
                if question.rule != "rule_set":
                    assert "57号" not in question.basis and "条例" not in question.basis, (seed, question.id)
    assert early


def test_m01_excluded_income_only_within_its_window():
    from toolkit.cases import m01_income as m01

    wording = {text: key for key, texts in m01.INCOME_WORDING.items() for text in texts}
    pensions_2026 = 0
    for seed in range(1500):
        case = m01.generate(seed)
        day = date.fromisoformat(case.data["evaluation_date"])
        assert day >= RULES_2021_FROM
        keys = {wording[row["收入项目"]] for row in case.data["income"]}
        if "basic_pension_central" in keys:
            assert day <= date(2025, 12, 31), seed
        pensions_2026 += day.year == 2026
    assert pensions_2026

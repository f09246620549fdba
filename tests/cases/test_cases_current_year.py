"""Cases reach the current standard year, and cite the basis in force on the case date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from case_tools import answers
from toolkit.cases import m01_income as m01
from toolkit.cases import m05_funds as m05
from toolkit.cases import m06_special as m06
from toolkit.cases.standards import last_case_day
from toolkit.policy import standard_on

SEEDS = range(300)


def test_cases_run_up_to_the_current_standard_year():
    assert last_case_day() == date(2026, 12, 31)          # the newest standard on file starts 2026-07-01
    assert m01.LAST_DAY == m06.LAST_DAY == last_case_day()
    assert m05.LAST_MONTH == date(2026, 10, 1)            # a three-month ledger October–December 2026


def test_a_2026_trainee_computes_with_1690():
    cases = [m01.generate(s) for s in SEEDS]
    late = [c for c in cases if c.data["evaluation_date"] >= "2026-07-01"]
    assert late, "no m01 case in the 2026 standard year"
    for case in late:
        assert answers(case)["q4"] == Decimal(1690)
        assert "1,690" in case.intro_markdown or "1690" in case.intro_markdown


def test_the_basis_cited_is_the_one_in_force_on_the_case_date():
    for case in (m01.generate(s) for s in SEEDS):
        day = date.fromisoformat(case.data["evaluation_date"])
        q6 = next(q for q in case.questions if q.id == "q6")
        if day >= date(2021, 7, 1):
            assert "民发〔2021〕57号）第二十三条" in q6.basis
            assert "民发〔2021〕57号）第十三条" in case.questions[1].basis
        else:
            assert "民发〔2012〕220号）第二十七条" in q6.basis
            assert "2021" not in case.questions[1].basis
        assert standard_on(day).value == answers(case)["q4"]


def test_procedure_cases_reach_the_current_year_on_a_confirmed_calendar():
    from toolkit.cases import m02_procedure, m03_case_file
    from toolkit.policy import check_procedure

    years = set()
    for seed in range(120):
        for module in (m02_procedure, m03_case_file):
            _, timeline = module.build(seed)
            years.add(timeline["steps"][0]["date"][:4])
            assert check_procedure(timeline)["calendar_confirmed"], (module.ASSIGNMENT, seed)
    assert str(last_case_day().year) in years

"""m02: violations and deadlines are the engine's; holidays and both rule sets turn up."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from toolkit.cases import m02_procedure as m02
from toolkit.cases.timeline import step_day
from toolkit.policy import add_workdays, check_procedure, is_workday, workdays_between
from case_tools import answers

SEEDS = range(60)
# Working-day limits as written in policy-facts.md (hand-copied on purpose: the cases must agree).
INVESTIGATION_LIMIT = {"2012": 10, "2021": 3}


@pytest.fixture(scope="module")
def built():
    return [m02.build(s) for s in SEEDS]


def test_broken_rules_are_the_engine_violations(built):
    for case, timeline in built:
        result = check_procedure(timeline)
        a = answers(case)
        assert a["q1"] == result["rule_set"]
        assert a["q2"] == {v["rule"] for v in result["violations"]}


def test_deadlines_match_the_limits_of_the_rule_set(built):
    for case, timeline in built:
        a = answers(case)
        accept = step_day(timeline, "accept")
        assert is_workday(a["q3"])
        assert workdays_between(accept, a["q3"]).days == INVESTIGATION_LIMIT[a["q1"]]
        notice_start = step_day(timeline, "notice_start")
        assert a["q4"] == notice_start + timedelta(days=6)          # 7 days counting both ends
        notice_end = step_day(timeline, "notice_end")
        if a["q1"] == "2012":
            assert a["q5"] == add_workdays(notice_end, 20 if timeline["disputed"] else 3).date
        else:
            total = 45 if timeline["extended"] else 30
            assert a["q5"] == min(add_workdays(notice_end, 10).date, add_workdays(accept, total).date)
        assert a["q6"] == workdays_between(accept, step_day(timeline, "approve")).days


def test_acceptance_is_just_before_a_long_holiday(built):
    for _case, timeline in built:
        accept = step_day(timeline, "accept")
        days_off = 0
        day = accept
        while days_off < 3 and day < accept + timedelta(days=7):
            day += timedelta(days=1)
            days_off += not is_workday(day)
        assert days_off >= 3, accept


def test_every_planted_fault_and_both_rule_sets_occur(built):
    seen = Counter(rule for case, _ in built for rule in answers(case)["q2"])
    for rule in ("investigation_start", "investigators", "separation_of_duties", "near_relative_filing",
                 "notice_period", "steps_order", "appraisal_representatives", "total_time",
                 "decision_after_notice", "county_review"):
        assert seen[rule], rule
    assert {answers(c)["q1"] for c, _ in built} == {"2012", "2021"}


def test_make_up_working_days_matter_in_some_cases(built):
    hints = [c.intro_markdown for c, _ in built]
    assert any("调休上班" in h for h in hints)
    weekend_deadlines = [answers(c)["q3"] for c, _ in built if answers(c)["q3"].weekday() >= 5]
    assert weekend_deadlines, "some investigation deadline falls on a make-up Saturday or Sunday"


def test_objections_and_extensions_occur_and_are_told_in_the_case(built):
    disputed = [c for c, t in built if t["disputed"]]
    extended = [c for c, t in built if t["extended"]]
    assert disputed and extended
    assert all("提出异议" in c.intro_markdown and "无人提出异议" not in c.intro_markdown for c in disputed)
    assert all("延长了审核确认期限" in c.intro_markdown for c in extended)


def test_2021_cases_teach_that_information_check_first_starts_the_investigation():
    first_checks = 0
    for seed in range(300):
        case, timeline = m02.build(seed)
        days = {s["step"]: date.fromisoformat(s["date"]) for s in timeline["steps"]}
        if days["check"] < days["investigate"]:
            first_checks += 1
            assert check_procedure(timeline)["rule_set"] == "2021", seed
            q3 = next(q for q in case.questions if q.id == "q3")
            assert "信息核对" in q3.explanation and "第十五条" in q3.explanation
            if workdays_between(days["accept"], days["investigate"]).days > 3:
                rules = {v["rule"] for v in check_procedure(timeline)["violations"]}
                assert "investigation_start" not in rules, seed
    assert first_checks >= 10

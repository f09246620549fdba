"""Helpers for cases built on a 低保 case timeline (m02, m03, m04).

Time limits are never restated here: the latest lawful date of a step is found by asking
:func:`toolkit.policy.check_procedure` about candidate dates, so the cases follow the engine.
"""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta

from toolkit.cases.render import WEEKDAYS
from toolkit.policy import add_workdays, check_procedure, is_workday, workdays_between

HORIZON_DAYS = 120
DECISION_RULES = {"decision_after_notice", "county_review", "total_time"}


def with_step_date(case: dict, step: str, day: date) -> dict:
    probe = copy.deepcopy(case)
    for item in probe["steps"]:
        if item["step"] == step:
            item["date"] = day.isoformat()
    return probe


def violated_rules(case: dict) -> set[str]:
    return {v["rule"] for v in check_procedure(case)["violations"]}


def latest_lawful(case: dict, step: str, rules: set[str], start: date) -> tuple[date, dict]:
    """The last working day after ``start`` on which ``step`` breaks none of ``rules``.

    Returns that day and the engine's violation for the next working day (the binding limit,
    with its ``rule``, ``expected`` and ``basis``).
    """
    last = start
    day = start
    while day < start + timedelta(days=HORIZON_DAYS):
        day = add_workdays(day, 1).date
        broken = [v for v in check_procedure(with_step_date(case, step, day))["violations"] if v["rule"] in rules]
        if broken:
            return last, broken[0]
        last = day
    raise RuntimeError(f"no limit found for {step} within {HORIZON_DAYS} days of {start}")


def earliest_lawful(case: dict, step: str, rules: set[str], start: date) -> date:
    """The first calendar day from ``start`` on which ``step`` breaks none of ``rules``."""
    day = start
    while day < start + timedelta(days=HORIZON_DAYS):
        if not violated_rules(with_step_date(case, step, day)) & rules:
            return day
        day += timedelta(days=1)
    raise RuntimeError(f"no lawful date for {step} within {HORIZON_DAYS} days of {start}")


def holiday_run(around: date) -> tuple[date, date]:
    """The longest run of consecutive non-working days within 20 days of ``around``."""
    best: tuple[date, date] | None = None
    day = around - timedelta(days=20)
    while day <= around + timedelta(days=20):
        if not is_workday(day):
            end = day
            while not is_workday(end + timedelta(days=1)):
                end += timedelta(days=1)
            if best is None or (end - day) > (best[1] - best[0]):
                best = (day, end)
            day = end
        day += timedelta(days=1)
    assert best is not None
    return best


def calendar_hint(first: date, last: date) -> str:
    """Chinese note on the rest days and make-up working days between two dates."""
    rest, makeup = [], []
    day = first
    while day <= last:
        working = is_workday(day)
        if not working and day.weekday() < 5:
            rest.append(day)
        if working and day.weekday() >= 5:
            makeup.append(day)
        day += timedelta(days=1)
    parts = []
    if rest:
        parts.append("工作日放假：" + "、".join(f"{d.month}月{d.day}日" for d in rest))
    if makeup:
        parts.append("周末调休上班：" + "、".join(f"{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）" for d in makeup))
    return "；".join(parts) if parts else "期间无法定节假日调整"


def step(name: str, day: date, staff: list[str], **extra) -> dict:
    return {"step": name, "date": day.isoformat(), "staff": staff, **extra}


def step_day(case: dict, name: str) -> date:
    return next(date.fromisoformat(s["date"]) for s in case["steps"] if s["step"] == name)


def between(rng: random.Random, start: date, last: date) -> date:
    """A random working day after ``start`` up to and including ``last``."""
    span = max(1, workdays_between(start, last).days)
    return add_workdays(start, rng.randint(1, span)).date


def build_timeline(rng: random.Random, accept: date, rule_set: str, faults: set[str], staff: dict[str, list[str]],
                   near_relative: bool) -> dict:
    """The timeline (``check_procedure`` input) with the given faults built in."""
    case: dict = {"region": "shanghai", "decision": "approved", "near_relative_of_staff": near_relative,
                  "near_relative_filed": near_relative and "near_relative_filing" not in faults,
                  "steps": [step("accept", accept, staff["accept"])]}
    steps = case["steps"]

    steps.append(step("investigate", accept, staff["investigate"]))
    latest, _ = latest_lawful(case, "investigate", {"investigation_start"}, accept)
    investigate = add_workdays(latest, rng.randint(1, 3)).date if "investigation_start" in faults \
        else between(rng, accept, latest)
    steps[-1]["date"] = investigate.isoformat()
    if "investigators" in faults:
        steps[-1]["staff"] = staff["investigate"][:1]

    previous = add_workdays(investigate, rng.randint(1, 3)).date
    steps.append(step("check", previous, []))
    if rule_set == "2012":
        previous = add_workdays(previous, rng.randint(1, 3)).date
        participants = rng.randint(9, 21)
        needed = -(-participants * 2 // 3)
        representatives = rng.randint(needed - 3, needed - 1) if "appraisal_representatives" in faults \
            else rng.randint(needed, participants)
        steps.append(step("appraise", previous, [], participants=participants, representatives=representatives))
    gap = rng.randint(26, 30) if "total_time" in faults else rng.randint(1, 3)
    review = add_workdays(previous, gap).date
    steps.append(step("review", review, staff["review"]))

    notice_start = review - timedelta(days=rng.randint(1, 2)) if "steps_order" in faults \
        else add_workdays(review, 1).date
    steps.append(step("notice_start", notice_start, []))
    steps.append(step("notice_end", notice_start, []))
    earliest = earliest_lawful(case, "notice_end", {"notice_period"}, notice_start)
    notice_end = earliest - timedelta(days=1) if "notice_period" in faults \
        else earliest + timedelta(days=rng.choice((0, 0, 1)))
    steps[-1]["date"] = notice_end.isoformat()

    steps.append(step("approve", notice_end, staff["approve"]))
    if "total_time" in faults:
        approve = add_workdays(notice_end, rng.randint(1, 3)).date
    else:
        latest, _ = latest_lawful(case, "approve", DECISION_RULES, notice_end)
        approve = add_workdays(latest, rng.randint(1, 4)).date if "late_decision" in faults \
            else between(rng, notice_end, latest)
    steps[-1]["date"] = approve.isoformat()
    return case

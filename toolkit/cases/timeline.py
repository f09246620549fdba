"""Helpers for cases built on a 低保 case timeline (m02, m03, m04).

Time limits are never restated here: the latest lawful date of a step is found by asking
:func:`toolkit.policy.check_procedure` about candidate dates, so the cases follow the engine.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta

from toolkit.cases.render import WEEKDAYS
from toolkit.policy import add_workdays, check_procedure, is_workday

HORIZON_DAYS = 120


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

"""Helpers for cases built on a 低保 case timeline (m02, m03, m04).

Time limits are never restated here: the latest lawful date of a step is found by asking
:func:`toolkit.policy.check_procedure` about candidate dates, so the cases follow the engine.
"""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta

from toolkit.cases.fiction import distinct_names
from toolkit.cases.render import WEEKDAYS
from toolkit.policy import add_workdays, check_procedure, is_workday, workdays_between

HORIZON_DAYS = 120
DECISION_RULES = {"decision_after_notice", "county_review", "total_time"}
CLASHES = ("accept-review", "review-approve", "accept-approve")   # 三分离 broken: which two roles share staff


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

    Returns that day (``start`` itself when the first working day after it already breaks a
    rule) and the engine's violation for the next working day (the binding limit, with its
    ``rule``, ``expected`` and ``basis``).  Time limits only ever break later, so the first
    breaking working day is found by galloping and bisection instead of trying every day.
    """
    days: list[date] = []        # working days after start, extended as far as needed

    def day_at(index: int) -> date:
        while len(days) <= index:
            days.append(add_workdays(days[-1] if days else start, 1).date)
        return days[index]

    def broken(index: int) -> list[dict]:
        result = check_procedure(with_step_date(case, step, day_at(index)))
        return [v for v in result["violations"] if v["rule"] in rules]

    low, high = -1, 0            # days[low] lawful (or start), days[high] to be tried
    while not broken(high):
        low, high = high, 2 * high + 1
        if day_at(high) > start + timedelta(days=HORIZON_DAYS):
            raise RuntimeError(f"no limit found for {step} within {HORIZON_DAYS} days of {start}")
    while high - low > 1:        # invariant: days[low] lawful, days[high] broken
        middle = (low + high) // 2
        if broken(middle):
            high = middle
        else:
            low = middle
    return (days[low] if low >= 0 else start), broken(high)[0]


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


def assign_staff(rng: random.Random, avoid: set[str], clash: str = "ok") -> dict[str, list[str]]:
    """Staff of each step; with a ``clash`` from :data:`CLASHES` two roles get the same person."""
    acceptor, inv1, inv2, reviewer, approver = distinct_names(rng, 5, avoid=avoid)
    staff = {"accept": [acceptor], "investigate": [inv1, inv2], "review": [reviewer], "approve": [approver]}
    if clash != "ok":
        first, second = clash.split("-")
        staff[second] = list(staff[first])
    return staff


def step(name: str, day: date, staff: list[str], **extra) -> dict:
    return {"step": name, "date": day.isoformat(), "staff": staff, **extra}


def step_day(case: dict, name: str) -> date:
    return next(date.fromisoformat(s["date"]) for s in case["steps"] if s["step"] == name)


def between(rng: random.Random, start: date, last: date) -> date:
    """A random working day after ``start`` up to and including ``last``."""
    span = max(1, workdays_between(start, last).days)
    return add_workdays(start, rng.randint(1, span)).date


def build_timeline(rng: random.Random, accept: date, rule_set: str, faults: set[str], staff: dict[str, list[str]],
                   near_relative: bool, disputed: bool = False, extended: bool = False) -> dict:
    """The timeline (``check_procedure`` input) with the given faults built in.

    ``disputed`` (the 公示 drew objections) and ``extended`` (the time limit was extended) change
    the limits the engine applies; the dates are placed against those limits.
    """
    case: dict = {"region": "shanghai", "decision": "approved", "near_relative_of_staff": near_relative,
                  "near_relative_filed": near_relative and "near_relative_filing" not in faults,
                  "disputed": disputed, "extended": extended,
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

"""Helpers for cases built on a 低保 case timeline (m02, m03, m04).

Time limits are never restated here: deadlines come from :func:`toolkit.policy.procedure.deadline`,
which reads the limits of the applicable rule set (``toolkit/policy/params/procedure.yaml``) and
counts on the working-day calendar; whether a timeline breaks a rule is asked of
:func:`toolkit.policy.check_procedure`.
"""

from __future__ import annotations

import copy
import math
import random
from datetime import date, timedelta
from fractions import Fraction

from toolkit.cases.fiction import distinct_names
from toolkit.cases.render import WEEKDAYS
from toolkit.policy import add_workdays, check_procedure, is_workday, limit_for, rule_set_for, workdays_between
from toolkit.policy.procedure import SPANS, deadline

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


def _days(case: dict) -> dict[str, date]:
    return {item["step"]: date.fromisoformat(item["date"]) for item in case["steps"]}


def latest_lawful(case: dict, step: str, rules: set[str], start: date) -> tuple[date, dict]:
    """The last working day after ``start`` on which ``step`` breaks none of ``rules``.

    Returns that day (``start`` itself when the first working day after it already breaks a
    rule) and the binding limit as the engine states it (``rule``, ``expected``, ``basis``): of the
    rules' deadlines the earliest, ties going to the rule the engine checks first.
    """
    days = _days(case)
    rule_set = rule_set_for(days["accept"], case.get("region"))
    found = [deadline(rule, days, bool(case.get("disputed")), bool(case.get("extended")), case.get("region"))
             for rule, span in SPANS.items()
             if rule in rules and span.end == step and span.start in days and span.key in rule_set.limits]
    if not found:
        raise ValueError(f"no limit of {sorted(rules)} applies to step {step} under rule set {rule_set.id}")
    binding = min(found, key=lambda d: d.day)
    latest = binding.day if binding.day > start else start
    return latest, {"rule": binding.rule, "expected": binding.expected, "basis": binding.basis}


def earliest_lawful(case: dict, step: str, rules: set[str], start: date) -> date:
    """The first calendar day from ``start`` on which the 公示 may end (``notice_period``)."""
    if step != "notice_end" or rules != {"notice_period"}:
        raise ValueError("earliest_lawful answers only the earliest end of the 公示 (notice_period)")
    return max(start, deadline("notice_period", _days(case), region=case.get("region")).day)


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
    # 2021 (57号第十五条): the investigation may start with 信息核对; the home visit may come later
    check_first = ("check" in rule_set_for(accept).investigation_steps and "investigation_start" not in faults
                   and rng.random() < 0.3)
    if check_first:
        checked = between(rng, accept, latest)
        investigate = add_workdays(latest, rng.randint(1, 3)).date
    else:
        investigate = add_workdays(latest, rng.randint(1, 3)).date if "investigation_start" in faults \
            else between(rng, accept, latest)
        checked = add_workdays(investigate, rng.randint(1, 3)).date
    steps[-1]["date"] = investigate.isoformat()
    if "investigators" in faults:
        steps[-1]["staff"] = staff["investigate"][:1]

    previous = max(investigate, checked)
    steps.append(step("check", checked, []))
    if rule_set == "2012":
        previous = add_workdays(previous, rng.randint(1, 3)).date
        participants = rng.randint(9, 21)
        needed = math.ceil(Fraction(limit_for("appraisal_representatives", accept).value) * participants)
        representatives = rng.randint(needed - 3, needed - 1) if "appraisal_representatives" in faults \
            else rng.randint(needed, participants)
        steps.append(step("appraise", previous, [], participants=participants, representatives=representatives))
    total = limit_for("total_time", accept).value if "total_time" in faults else 0
    gap = rng.randint(total - 4, total) if "total_time" in faults else rng.randint(1, 3)
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

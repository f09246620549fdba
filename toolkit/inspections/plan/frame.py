"""The sampling frame: which households a round samples from, as of its sampling date.

A household is in the frame on ``on`` when, on that date, it was receiving 低保:
- 在保: accepted (and approved, when the register gives an 审批日期) on or before ``on``;
- 停保 / 终止: the same, and its 停保/终止日期 is after ``on`` (it was still 在保 then); without
  that date the register cannot say, and the household is left out;
- 不予批准: only when a case-file checklist of the round asks about refused files (an item that
  applies to the decision 不批准), and only refusals decided in the sampling date's year up to it.

``N`` shown in plan.xlsx is the size of this frame per 街镇: the N the sample size was computed from.
"""

from __future__ import annotations

from datetime import date

IN_FORCE, STOPPED, REFUSED = "在保", ("停保", "终止"), "不予批准"
REFUSED_DECISION = "不批准"                    # the case-file checklists' decision fact


def asks_for_refused(checklists) -> bool:
    """Whether a case-file checklist has an item for refused applications (``applies_when: {decision: 不批准}``)."""
    for checklist in checklists.values():
        if checklist.kind != "case_file":
            continue
        for item in checklist.items:
            if REFUSED_DECISION in tuple(item.applies_when.get("decision", ())):
                return True
    return False


def in_frame(status: str, accepted_on: date, approved_on: date | None, ended_on: date | None, on: date,
             refused: bool = False) -> bool:
    """One household's place in the frame on ``on`` (see the module docstring)."""
    accepted_on, approved_on, ended_on = (_day(v) for v in (accepted_on, approved_on, ended_on))
    if accepted_on is None or accepted_on > on:
        return False
    decided = approved_on or accepted_on
    if status == IN_FORCE:
        return decided <= on
    if status in STOPPED:
        return decided <= on and ended_on is not None and ended_on > on
    if status == REFUSED:
        return refused and decided <= on and decided.year == on.year
    return False


def frame(households, on: date, refused: bool = False):
    """The rows of ``households`` (columns status, accepted_on, approved_on, ended_on) in the frame on ``on``."""
    keep = [in_frame(r.status, r.accepted_on, r.approved_on, r.ended_on, on, refused)
            for r in households[["status", "accepted_on", "approved_on", "ended_on"]].itertuples(index=False)]
    return households[keep]


def _day(value) -> date | None:
    import pandas as pd

    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    if hasattr(value, "date") and not type(value) is date:
        return value.date()
    return value

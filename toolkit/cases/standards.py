"""The 低保 standards a trainee needs to read a case: those in force around its date, from the engine.

Training teaches facts: a case is set only on a day whose standard is on file with confidence H
or M (never L, never in a gap), and the standards table shows a neighbouring standard only when
it too is H or M — so no table suggests a standard held longer than it did.  An M figure is shown
with where it comes from ("据…推算，以本市公布的标准为准"), never as a notice's own number.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from toolkit.cases.render import cn_date, md_table, yuan
from toolkit.errors import ParameterMissing
from toolkit.policy import Param, standard_on, standard_span
from toolkit.policy.params import TRAINING_CONFIDENCES, load_region

LOOKAHEAD_DAYS = 400


# The last day a case may be set on: the end of the current standard year's calendar year (the
# newest standard on file starts 2026-07-01, so a trainee of 2026 computes with 1,690 元).  A fixed,
# dated constant on purpose: a trainee's case is regenerated from the seed at grading, so adding a
# parameter entry mid-course must not move the case dates.  Move it on with the next course year,
# once the standard it reaches is on file (tests/cases/test_cases_current_year.py checks that).
LAST_CASE_DAY = date(2026, 12, 31)


def last_case_day() -> date:
    """The last day a case may be set on, and never past what is on file."""
    return min(LAST_CASE_DAY, standard_span()[1])


def teachable(day: date) -> Param | None:
    """The standard in force on ``day`` when a training case may teach it (on file, H or M), else None."""
    try:
        found = standard_on(day)
    except ParameterMissing:
        return None
    return found if found.confidence in TRAINING_CONFIDENCES else None


def teachable_spans(first: date, last: date) -> list[tuple[date, date]]:
    """The stretches of ``first``..``last`` (inclusive) whose standard a case may teach."""
    spans = []
    for entry in load_region()["dibao_standard"].covering():
        start, end = max(first, entry["effective_from"]), min(last, entry["on_file_until"])
        if start <= end and entry.get("confidence") in TRAINING_CONFIDENCES:
            spans.append((start, end))
    return spans


def draw_day(rng: random.Random, first: date, last: date) -> date:
    """A day of ``first``..``last`` drawn evenly among the days whose standard a case may teach."""
    spans = teachable_spans(first, last)
    offset = rng.randrange(sum((end - start).days + 1 for start, end in spans))
    for start, end in spans:
        length = (end - start).days + 1
        if offset < length:
            return start + timedelta(days=offset)
        offset -= length
    raise AssertionError("unreachable")


def new_standard_days(first: date, last: date) -> list[date]:
    """Start days of a standard in ``first``..``last`` whose predecessor (the day before) is teachable too."""
    return [entry["effective_from"] for entry in load_region()["dibao_standard"].covering()
            if first <= entry["effective_from"] <= last and teachable(entry["effective_from"])
            and teachable(entry["effective_from"] - timedelta(days=1))]


def standards_around(day: date) -> list[Param]:
    """The standard in force on ``day``, the one before it and the next one, each only when teachable."""
    current = teachable(day)
    if current is None:
        raise ParameterMissing(f"{day.isoformat()} 的低保标准可信度不足（或未在档），不能用于培训案例。")
    found = [current]
    before = teachable(current.effective_from - timedelta(days=1))
    if before is not None:
        found.insert(0, before)
    if current.on_file_until and current.on_file_until < day + timedelta(days=LOOKAHEAD_DAYS):
        later = teachable(current.on_file_until + timedelta(days=1))
        if later is not None:
            found.append(later)
    return found


def standard_text(param: Param, unit: str = "") -> str:
    """A standard as a case or its feedback shows it (``unit``: e.g. " 元"): an M figure says what it is."""
    return param.training_text(yuan(param.value) + unit)


def standard_basis(param: Param) -> str:
    """Where a taught standard comes from, for a question's basis: an M figure as derived, never as a notice's."""
    if param.confidence == "M":
        return f"低保标准{param.shown_as or '据' + param.source}，以本市公布的标准为准"
    return param.source


def standards_table(day: date) -> str:
    """Markdown table of the standards around ``day`` (the trainee picks the one in force)."""
    return md_table(("施行日期", "低保标准（元/人·月）"),
                    [(cn_date(p.effective_from), standard_text(p)) for p in standards_around(day)])

"""The 低保 standards a trainee needs to read a case: those in force around its date, from the engine."""

from __future__ import annotations

from datetime import date, timedelta

from toolkit.cases.render import cn_date, md_table, yuan
from toolkit.errors import ParameterMissing
from toolkit.policy import Param, standard_on, standard_span

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


def standards_around(day: date) -> list[Param]:
    """The standard in force on ``day``, the one before it and the next one when on file."""
    current = standard_on(day)
    found = [current]
    try:
        found.insert(0, standard_on(current.effective_from - timedelta(days=1)))
    except ParameterMissing:
        pass
    probe = current.effective_from
    while probe < day + timedelta(days=LOOKAHEAD_DAYS):
        probe += timedelta(days=30)
        try:
            later = standard_on(probe)
        except ParameterMissing:
            break
        if later.effective_from != current.effective_from:
            found.append(later)
            break
    return found


def standards_table(day: date) -> str:
    """Markdown table of the standards around ``day`` (the trainee picks the one in force)."""
    return md_table(("施行日期", "低保标准（元/人·月）"),
                    [(cn_date(p.effective_from), yuan(p.value)) for p in standards_around(day)])

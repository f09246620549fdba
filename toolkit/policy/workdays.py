"""Working days on the Chinese statutory calendar (``chinesecalendar``).

``chinesecalendar`` knows holidays and make-up working days for the years its release covers
(2004–2026 for 1.11) and raises ``NotImplementedError`` outside them.  There the engine falls back
to Monday–Friday and marks the result unconfirmed; it never crashes.

Counting convention (time limits in the 低保 rules): the start day is not counted; the days after
it up to and including the end day are.  From Friday 2018-09-28, three working days later is
Monday 2018-10-08 (29–30 September were make-up working days, 1–7 October a holiday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@dataclass(frozen=True)
class WorkdayResult:
    date: date
    confirmed: bool


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    confirmed: bool


@lru_cache(maxsize=8192)
def workday_status(day: date) -> tuple[bool, bool]:
    """(is a working day, confirmed by the statutory calendar)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def is_workday(day: date) -> bool:
    return workday_status(day)[0]


def add_workdays(start: date, n: int) -> WorkdayResult:
    """The date ``n`` working days after ``start`` (before it when ``n`` is negative)."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    confirmed = True
    while remaining:
        day += step
        working, known = workday_status(day)
        confirmed &= known
        if working:
            remaining -= 1
    return WorkdayResult(day, confirmed)


@lru_cache(maxsize=256)
def _year_prefix(year: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Per day of ``year`` (index 0 = 1 January): working days and unconfirmed days up to and including it."""
    working = unconfirmed = 0
    work_counts, unknown_counts = [], []
    day = date(year, 1, 1)
    while day.year == year:
        is_working, known = workday_status(day)
        working += is_working
        unconfirmed += not known
        work_counts.append(working)
        unknown_counts.append(unconfirmed)
        day += timedelta(days=1)
    return tuple(work_counts), tuple(unknown_counts)


def _through(day: date) -> tuple[int, int]:
    """(working days, unconfirmed days) from 1 January of ``day``'s year up to and including ``day``."""
    work, unknown = _year_prefix(day.year)
    index = day.toordinal() - date(day.year, 1, 1).toordinal()
    return work[index], unknown[index]


def workdays_between(start: date, end: date) -> WorkdayCount:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        count = workdays_between(end, start)
        return WorkdayCount(-count.days, count.confirmed)
    days, unconfirmed = _through(end)
    before, unknown_before = _through(start)
    days -= before
    unconfirmed -= unknown_before
    for year in range(start.year, end.year):       # whole years from start's to end's
        work, unknown = _year_prefix(year)
        days += work[-1]
        unconfirmed += unknown[-1]
    return WorkdayCount(days, unconfirmed == 0)

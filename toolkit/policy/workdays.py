"""Working days on the Chinese statutory calendar (``chinesecalendar`` and an office's holiday file).

``chinesecalendar`` knows holidays and make-up working days for the years its release covers
(2004–2026 for 1.11) and raises ``NotImplementedError`` outside them.  For a year it does not
know, an office's holiday file (:mod:`toolkit.policy.holidays`) is used when it lists that year,
and the result is confirmed with the file named as its source; otherwise the engine falls back
to Monday–Friday and marks the result unconfirmed.  It never crashes.

Counting convention (time limits in the 低保 rules): the start day is not counted; the days after
it up to and including the end day are.  From Friday 2018-09-28, three working days later is
Monday 2018-10-08 (29–30 September were make-up working days, 1–7 October a holiday).

Bounds (documented input limits, so every call ends quickly): dates from ``FIRST_DAY`` to
``LAST_DAY`` and at most ``MAX_WORKDAYS`` working days in one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from toolkit.errors import InputError
from toolkit.policy.holidays import LocalCalendar, active

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
MAX_WORKDAYS = 2500           # about ten years of working days: far beyond any limit in the rules
PACKAGE_SOURCE = "内置法定节假日日历（chinesecalendar）"


@dataclass(frozen=True)
class WorkdayResult:
    date: date
    confirmed: bool
    sources: tuple[str, ...] = ()      # local holiday files that decided a day (empty: the package alone)


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    confirmed: bool
    sources: tuple[str, ...] = ()


@lru_cache(maxsize=16384)
def _status(day: date, local: LocalCalendar | None) -> tuple[bool, bool, bool]:
    """(working day, confirmed, decided by the local file)."""
    try:
        return chinese_calendar.is_workday(day), True, False
    except NotImplementedError:
        if local is not None and day.year in local.years:
            return local.status(day), True, True
        return day.weekday() < 5, False, False


def workday_status(day: date) -> tuple[bool, bool]:
    """(is a working day, confirmed by the statutory calendar or the office's holiday file)."""
    working, confirmed, _ = _status(day, active())
    return working, confirmed


def is_workday(day: date) -> bool:
    return workday_status(day)[0]


def _check_day(day: date, where: str) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(where, day.isoformat(), f"超出可计算的日期范围（{FIRST_DAY.isoformat()} 至 {LAST_DAY.isoformat()}）",
                         "请检查年份")


def add_workdays(start: date, n: int) -> WorkdayResult:
    """The date ``n`` working days after ``start`` (before it when ``n`` is negative)."""
    _check_day(start, "日期")
    if abs(n) > MAX_WORKDAYS:
        raise InputError("N", n, f"超过一次可推算的工作日数上限 {MAX_WORKDAYS}",
                         f"请填写 -{MAX_WORKDAYS} 到 {MAX_WORKDAYS} 之间的整数")
    local = active()
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    confirmed, used_file = True, False
    while remaining:
        day += step
        _check_day(day, "结果日期")
        working, known, from_file = _status(day, local)
        confirmed &= known
        used_file |= from_file
        if working:
            remaining -= 1
    return WorkdayResult(day, confirmed, (local.label,) if used_file else ())


@lru_cache(maxsize=256)
def _year_prefix(year: int, local: LocalCalendar | None) -> tuple[tuple[int, ...], tuple[int, ...], bool]:
    """Per day of ``year`` (index 0 = 1 January): working days and unconfirmed days up to and including it;
    and whether the local file decided any day of the year."""
    working = unconfirmed = 0
    work_counts, unknown_counts = [], []
    used_file = False
    day = date(year, 1, 1)
    while day.year == year:
        is_working, known, from_file = _status(day, local)
        working += is_working
        unconfirmed += not known
        used_file |= from_file
        work_counts.append(working)
        unknown_counts.append(unconfirmed)
        day += timedelta(days=1)
    return tuple(work_counts), tuple(unknown_counts), used_file


def _through(day: date, local: LocalCalendar | None) -> tuple[int, int]:
    """(working days, unconfirmed days) from 1 January of ``day``'s year up to and including ``day``."""
    work, unknown, _ = _year_prefix(day.year, local)
    index = day.toordinal() - date(day.year, 1, 1).toordinal()
    return work[index], unknown[index]


def workdays_between(start: date, end: date) -> WorkdayCount:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    return count_workdays(start, end, active())


def count_workdays(start: date, end: date, local: LocalCalendar | None) -> WorkdayCount:
    """:func:`workdays_between` with the office's calendar already looked up (``holidays.active()``)."""
    if end < start:
        count = count_workdays(end, start, local)
        return WorkdayCount(-count.days, count.confirmed, count.sources)
    _check_day(start, "起始日期")
    _check_day(end, "结束日期")
    days, unconfirmed = _through(end, local)
    before, unknown_before = _through(start, local)
    days -= before
    unconfirmed -= unknown_before
    used_file = False
    for year in range(start.year, end.year + 1):
        work, unknown, from_file = _year_prefix(year, local)
        used_file |= from_file
        if year < end.year:                         # whole years from start's to end's
            days += work[-1]
            unconfirmed += unknown[-1]
    return WorkdayCount(days, unconfirmed == 0, (local.label,) if used_file and local else ())

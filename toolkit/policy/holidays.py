"""An office's own holiday file for years ``chinesecalendar`` does not know yet.

The State Council publishes the coming year's holidays around November, weeks before a new
``chinesecalendar`` release.  An office enters them in a YAML file (format in docs/policy.md):

    source: 国务院办公厅关于2027年部分节假日安排的通知
    years: [2027]
    holidays:
      - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
      - {date: 2027-01-01, name: 元旦}
    workdays:
      - {date: 2027-10-09, name: 国庆节调休上班}

For a year listed in ``years`` every day is a working day unless it is a weekend or a listed
holiday, and a listed make-up working day is a working day.  A file that contradicts
``chinesecalendar`` for a year the package knows is refused.

Where it is found (the first that applies): the path given with ``--holidays`` (see
:func:`use_file`), the environment variable ``JIUZHU_HOLIDAYS``, ``holidays.yaml`` in the folder
``JIUZHU_CONFIG_DIR`` (default ``$XDG_CONFIG_HOME/jiuzhu``, i.e. ``~/.config/jiuzhu``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar
from toolkit.errors import UserError
from toolkit.policy import yamlfile

ENV_FILE = "JIUZHU_HOLIDAYS"
ENV_CONFIG_DIR = "JIUZHU_CONFIG_DIR"
FILE_NAME = "holidays.yaml"
MAX_FILE_BYTES = 1_000_000
FILE_KEYS = {"source", "years", "holidays", "workdays", "published", "note"}

_explicit: Path | None = None


class HolidayFileError(UserError):
    """The local holiday file cannot be used (bad format, or contradicts chinesecalendar)."""


@dataclass(frozen=True)
class LocalCalendar:
    path: str
    source: str
    years: frozenset[int]
    holidays: frozenset[date]
    workdays: frozenset[date]

    @property
    def label(self) -> str:
        """Chinese: where a confirmed result came from."""
        return f"本地节假日文件 {self.path}（{self.source}）"

    def status(self, day: date) -> bool:
        """Working day? Only for a day of ``years``."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def use_file(path: str | os.PathLike | None) -> None:
    """Use this holiday file from now on in this process (``None``: back to the default search)."""
    global _explicit
    _explicit = Path(path) if path is not None else None


def config_dir() -> Path:
    return _config_dir(os.environ.get(ENV_CONFIG_DIR), os.environ.get("XDG_CONFIG_HOME"))[0]


@lru_cache(maxsize=8)
def _config_dir(configured: str | None, xdg: str | None) -> tuple[Path, str]:
    """(the config folder, its holiday file as a string) for these settings."""
    folder = Path(configured) if configured else Path(xdg or Path.home() / ".config") / "jiuzhu"
    return folder, str(folder / FILE_NAME)


def file_path() -> Path | None:
    """The holiday file in use, or ``None`` when there is none."""
    if _explicit is not None:
        return _explicit
    named = os.environ.get(ENV_FILE)
    if named:
        return Path(named)
    default = _config_dir(os.environ.get(ENV_CONFIG_DIR), os.environ.get("XDG_CONFIG_HOME"))[1]
    return Path(default) if os.path.isfile(default) else None


def active() -> LocalCalendar | None:
    """The local calendar in use (read once per file version), or ``None``.

    Called for every working-day computation, so the common case (no file) costs a dictionary
    look-up and one ``stat``.
    """
    path = file_path()
    if path is None:
        return None
    return _load(*yamlfile.file_version(path, HolidayFileError(
        f"找不到节假日文件 {path}。请检查路径（{ENV_FILE} 或 --holidays），或删除该设置以只使用内置日历。")))


def known_years() -> range:
    """Years ``chinesecalendar`` knows."""
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def _fail(path: str, where: str, problem: str, node: object = None) -> HolidayFileError:
    line = yamlfile.line_of(node)
    return HolidayFileError(f"节假日文件 {path} {line + '，' if line else ''}{where}{problem}。"
                            "文件格式见 docs/policy.md“本地节假日文件”。")


def _day(value: object, path: str, where: str, node: object = None) -> date:
    if isinstance(value, date):
        return value
    raise _fail(path, where, f" 的值 “{str(value)[:40]}” 不是日期（应写成 2027-10-01）", node)


def _days(entries: object, path: str, key: str, years: frozenset[int]) -> frozenset[date]:
    if entries is None:
        return frozenset()
    if not isinstance(entries, list):
        raise _fail(path, key, " 不是列表")
    found: set[date] = set()
    for index, entry in enumerate(entries):
        where = f"{key}[{index}]"
        if isinstance(entry, (date, str, int)):
            first = last = _day(entry, path, where)
        elif isinstance(entry, dict) and "date" in entry:
            first = last = _day(entry["date"], path, f"{where}.date", entry)
        elif isinstance(entry, dict) and "from" in entry and "to" in entry:
            first, last = _day(entry["from"], path, f"{where}.from", entry), _day(entry["to"], path, f"{where}.to", entry)
            if last < first or (last - first).days > 31:
                raise _fail(path, where, " 的起止日期不对（to 应不早于 from，且一段不超过 31 天）", entry)
        else:
            raise _fail(path, where, " 应写成 2027-10-01、{date: 2027-10-01} 或 {from: 2027-10-01, to: 2027-10-07}", entry)
        day = first
        while day <= last:
            if day.year not in years:
                raise _fail(path, where, f" 的日期 {day.isoformat()} 不在 years 所列年份内", entry)
            found.add(day)
            day += timedelta(days=1)
    return frozenset(found)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int, size: int) -> LocalCalendar:
    if size > MAX_FILE_BYTES:
        raise _fail(path, "文件", f"过大（{size} 字节，上限 {MAX_FILE_BYTES}）")
    raw = yamlfile.load(path, "节假日文件", HolidayFileError)      # an impossible date: file and line
    if not isinstance(raw, dict):
        raise _fail(path, "文件", " 应是包含 source、years、holidays、workdays 的 YAML 映射")
    unknown = sorted(str(k) for k in set(raw) - FILE_KEYS)
    if unknown:
        raise _fail(path, unknown[0], f" 是未知字段（可用：{'、'.join(sorted(FILE_KEYS))}）")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _fail(path, "source", " 缺失：请写明依据，例如“国务院办公厅关于2027年部分节假日安排的通知”")
    years_raw = raw.get("years")
    if not isinstance(years_raw, list) or not years_raw or not all(
            isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2199 for y in years_raw):
        raise _fail(path, "years", " 应是年份列表，例如 [2027]")
    years = frozenset(years_raw)
    calendar = LocalCalendar(path=path, source=source.strip(), years=years,
                             holidays=_days(raw.get("holidays"), path, "holidays", years),
                             workdays=_days(raw.get("workdays"), path, "workdays", years))
    both = sorted(calendar.holidays & calendar.workdays)
    if both:
        raise _fail(path, "holidays/workdays", f" 同时把 {both[0].isoformat()} 列为放假日和调休上班日")
    _check_against_package(calendar)
    return calendar


def _check_against_package(calendar: LocalCalendar) -> None:
    """Refuse a file that says otherwise than chinesecalendar for a year the package knows."""
    for year in sorted(calendar.years & set(known_years())):
        day = date(year, 1, 1)
        while day.year == year:
            ours, theirs = calendar.status(day), chinese_calendar.is_workday(day)
            if ours != theirs:
                said = "工作日" if ours else "休息日"
                known = "工作日" if theirs else "休息日"
                raise HolidayFileError(
                    f"节假日文件 {calendar.path} 与内置法定节假日日历（chinesecalendar）不一致：{day.isoformat()} "
                    f"文件为{said}，日历为{known}。{year} 年已由内置日历覆盖，请从文件的 years 中删去 {year}，"
                    "或更正该日期。")
            day += timedelta(days=1)

"""Every parameter on file, with what is stale (``jiuzhu policy params``).

Stale, in plain terms: a 低保 standard whose newest entry is more than ``STANDARD_STALE_MONTHS``
months old (the standard changes every year), a series whose figures on file end before today,
a gap between two figures of a series (dates in it are refused), a calendar year (this one or the
next) that neither ``chinesecalendar`` nor the office's holiday file covers, and any value with
confidence L (weak source: re-verify before relying on it).  Every row says where the figure came
from: shipped with the toolkit, or the bureau's local parameters file.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.policy import holidays
from toolkit.policy.limits import UNITS, rule_sets
from toolkit.policy.params import (ENTRY_META, LOCAL, ORIGIN_LABELS, SHIPPED, available_regions, load_region,
                                   local_entries)

STANDARD_STALE_MONTHS = 13
CONFIDENCE_STALE = "L"


@dataclass(frozen=True)
class Row:
    key: str             # e.g. shanghai.dibao_standard, procedure.2021.total_time, calendar.2027
    what: str            # Chinese title
    value: str
    effective_from: str  # ISO date or ""
    source: str
    confidence: str
    stale: str = ""      # Chinese reason, "" when current
    until: str = ""      # last day it is known to hold (on_file_until), or the day before its successor
    origin: str = SHIPPED   # SHIPPED (with the toolkit) or LOCAL (the bureau's parameters file)
    file: str = ""       # the file that holds it
    shadowed: bool = False   # a shipped figure the bureau's local file replaces on every day it covered

    def as_dict(self) -> dict:
        return {"key": self.key, "what": self.what, "value": self.value, "from": self.effective_from,
                "until": self.until, "source": self.source, "confidence": self.confidence, "stale": self.stale,
                "origin": self.origin, "origin_label": ORIGIN_LABELS.get(self.origin, ""), "file": self.file,
                "shadowed": self.shadowed}


def _months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


ENTRY_LABELS = {   # Chinese labels of structured entries (property limits)
    "money_assets_per_capita": "人均货币财产上限",
    "max_vehicles": "生活用机动车",
    "max_non_residential_properties": "非居住类房产",
    "max_homes": "住房",
    "max_homes_small_floor_area": "住房（人均面积低于全市平均时）",
}


def _band(band: dict) -> str:
    sizes = f"{band['min_size']}–{band['max_size']}人" if "max_size" in band else f"{band['min_size']}人及以上"
    return f"{sizes} {band['limit']} 元"


def _entry_value(entry: dict) -> str:
    if "value" in entry:
        rural = f"（农村 {entry['rural']}）" if entry.get("rural") is not None else ""
        return f"{entry['value']}{rural}"
    skip = ENTRY_META | {"urban_only"}
    parts = []
    for key, value in entry.items():
        if key in skip:
            continue
        shown = "、".join(_band(b) for b in value) if isinstance(value, list) else f"≤ {value}"
        parts.append(f"{ENTRY_LABELS.get(key, key)} {shown}")
    return "；".join(parts)


def _region_rows(region: str, today: date) -> list[Row]:
    params = load_region(region)
    rows = []
    for series in params.series.values():
        title = series.title if series.title.startswith(params.name) else f"{params.name}{series.title}"
        in_force = series.covering()
        newest = in_force[-1] if in_force else None
        for entry in sorted((*series.entries, *series.local), key=lambda e: (e["effective_from"], e["origin"])):
            rows.append(Row(f"{region}.{series.key}", title, _entry_value(entry), entry["effective_from"].isoformat(),
                            str(entry.get("source", "")), str(entry.get("confidence", "")),
                            _entry_stale(series, entry, entry is newest, in_force, today),
                            entry["on_file_until"].isoformat(), entry["origin"], entry.get("file", ""),
                            entry not in in_force))
        rows.extend(_gap_rows(region, title, series))
    return rows


def _entry_stale(series, entry: dict, newest: bool, in_force: list[dict], today: date) -> str:
    if entry not in in_force:
        return ""                      # shadowed by a local figure for all its days
    if entry.get("confidence") == CONFIDENCE_STALE:
        return "可信度 L（来源薄弱），使用前须核实"
    if (series.key == "dibao_standard" and newest
            and today > _months_after(entry["effective_from"], STANDARD_STALE_MONTHS)):
        return (f"最新一次标准已施行超过 {STANDARD_STALE_MONTHS} 个月，在档数值只到 {entry['on_file_until'].isoformat()}，"
                f"此后的日期会报错；请查明新标准后在 {series.path} 补充（或填写本地参数文件）")
    if newest and today > entry["on_file_until"]:
        return (f"在档数值只到 {entry['on_file_until'].isoformat()}，此后的日期会报错；请查明新数值后在 "
                f"{entry.get('file') or series.path} 补充（或填写本地参数文件）")
    return ""


def _gap_rows(region: str, title: str, series) -> list[Row]:
    """One row per gap between the figures on file: dates in it are refused, never estimated."""
    rows = []
    for before, first, following in series.gaps():
        last = following - timedelta(days=1) if following else None
        reason = before.get("gap_after", "")
        rows.append(Row(f"{region}.{series.key}.gap", title, "未在档", first.isoformat(), "", "",
                        f"空档：{first.isoformat()} 至 {last.isoformat() if last else '今'} 没有在档数值"
                        + (f"（{reason}）" if reason else "") + f"，这期间的日期会报错；请在 {series.path} 补充",
                        last.isoformat() if last else "", before.get("origin", SHIPPED), str(series.path)))
    return rows


def _procedure_rows() -> list[Row]:
    rows = []
    sets = rule_sets()
    for index, rule_set in enumerate(sets):
        later = sets[index + 1].effective_from if index + 1 < len(sets) else None
        for limit in rule_set.limits.values():
            stale = "可信度 L（来源薄弱），使用前须核实" if limit.confidence == CONFIDENCE_STALE else ""
            value = limit.text if limit.unit == "share" else f"{limit.value}{UNITS[limit.unit]}"
            rows.append(Row(f"procedure.{rule_set.id}.{limit.key}", f"{limit.title}（{limit.citation}）", value,
                            limit.effective_from.isoformat(), limit.source, limit.confidence, stale,
                            (later - timedelta(days=1)).isoformat() if later else ""))
    return rows


def _local_rows() -> list[Row]:
    """The bureau's local parameters file, when one is in use."""
    local = local_entries()
    if local is None:
        return []
    name, region, found = local
    count = sum(len(v) for v in found.values())
    return [Row("params.local", "本地参数文件", f"{region}：{count} 项", "", name, "", "", "", LOCAL, name)]


def _calendar_rows(today: date) -> list[Row]:
    known = holidays.known_years()
    local = holidays.active()
    rows = [Row("calendar.package", "法定节假日日历（chinesecalendar）", f"{known.start}–{known.stop - 1} 年",
                "", "PyPI chinesecalendar", "H")]
    if local is not None:
        rows.append(Row("calendar.local", "本地节假日文件", "、".join(str(y) for y in sorted(local.years)) + " 年",
                        "", f"{local.path}（{local.source}）", "H"))
    for year in (today.year, today.year + 1):
        if year in known or (local is not None and year in local.years):
            continue
        rows.append(Row(f"calendar.{year}", f"{year} 年法定节假日", "未在档", "", "", "",
                        f"{year} 年节假日未在档：按周一至周五计算，结果未经确认。国务院公布安排后，请在本地节假日文件"
                        f"（{holidays.config_dir() / holidays.FILE_NAME}，或 {holidays.ENV_FILE} 指定的文件）中填写"))
    return rows


def inventory(today: date | None = None) -> list[Row]:
    """Every parameter on file, oldest first within each series, calendars last."""
    today = today or date.today()
    rows = [row for region in available_regions() for row in _region_rows(region, today)]
    return rows + _local_rows() + _procedure_rows() + _calendar_rows(today)


def stale_used(used: list[dict], today: date | None = None) -> list[str]:
    """Chinese warnings for the parameters an assessment used (``parameters_used``) that are stale."""
    stale = {(row.key, row.effective_from): row for row in inventory(today) if row.stale}
    return [f"{row.what}（{row.effective_from} 起）：{row.stale}"
            for item in used if (row := stale.get((item["key"], item["from"])))]


def stale_limits(rule_set_id: str, today: date | None = None) -> list[str]:
    """Chinese warnings for the stale limits (confidence L) of the rule set a check used."""
    prefix = f"procedure.{rule_set_id}."
    return [f"{row.what}：{row.stale}" for row in _procedure_rows() if row.key.startswith(prefix) and row.stale]

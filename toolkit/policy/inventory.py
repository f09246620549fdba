"""Every parameter on file, with what is stale (``jiuzhu policy params``).

Stale, in plain terms: a 低保 standard whose newest entry is more than ``STANDARD_STALE_MONTHS``
months old (the standard changes every year), a calendar year (this one or the next) that
neither ``chinesecalendar`` nor the office's holiday file covers, and any value with confidence
L (weak source: re-verify before relying on it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.policy import holidays
from toolkit.policy.limits import UNITS, rule_sets
from toolkit.policy.params import available_regions, load_region

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
    until: str = ""      # last day it applies, when a later entry replaced it

    def as_dict(self) -> dict:
        return {"key": self.key, "what": self.what, "value": self.value, "from": self.effective_from,
                "until": self.until, "source": self.source, "confidence": self.confidence, "stale": self.stale}


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
    skip = {"effective_from", "source", "confidence", "note"}
    parts = []
    for key, value in entry.items():
        if key in skip:
            continue
        shown = "、".join(_band(b) for b in value) if isinstance(value, list) else f"≤ {value}"
        parts.append(f"{ENTRY_LABELS.get(key, key)} {shown}")
    return "；".join(parts)


def _next_start(params, series, index: int) -> date | None:
    """When entry ``index`` stops applying: the next entry, or (``valid_with``) the next entry of that series."""
    start = series.entries[index]["effective_from"]
    partner = series.settings.get("valid_with")
    entries = params[partner].entries if partner else series.entries
    return next((e["effective_from"] for e in entries if e["effective_from"] > start), None)


def _region_rows(region: str, today: date) -> list[Row]:
    params = load_region(region)
    rows = []
    for series in params.series.values():
        newest = series.entries[-1] if series.entries else None
        for index, entry in enumerate(series.entries):
            later = _next_start(params, series, index)
            stale = ""
            if entry.get("confidence") == CONFIDENCE_STALE:
                stale = "可信度 L（来源薄弱），使用前须核实"
            if (series.key == "dibao_standard" and entry is newest
                    and today > _months_after(entry["effective_from"], STANDARD_STALE_MONTHS)):
                stale = (f"最新一次标准已施行超过 {STANDARD_STALE_MONTHS} 个月，可能已有新标准；"
                         f"请查明后在 {series.path} 补充")
            title = series.title if series.title.startswith(params.name) else f"{params.name}{series.title}"
            rows.append(Row(f"{region}.{series.key}", title, _entry_value(entry),
                            entry["effective_from"].isoformat(), str(entry.get("source", "")),
                            str(entry.get("confidence", "")), stale,
                            (later - timedelta(days=1)).isoformat() if later else ""))
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
    return rows + _procedure_rows() + _calendar_rows(today)


def stale_used(used: list[dict], today: date | None = None) -> list[str]:
    """Chinese warnings for the parameters an assessment used (``parameters_used``) that are stale."""
    stale = {(row.key, row.effective_from): row for row in inventory(today) if row.stale}
    return [f"{row.what}（{row.effective_from} 起）：{row.stale}"
            for item in used if (row := stale.get((item["key"], item["from"])))]


def stale_limits(rule_set_id: str, today: date | None = None) -> list[str]:
    """Chinese warnings for the stale limits (confidence L) of the rule set a check used."""
    prefix = f"procedure.{rule_set_id}."
    return [f"{row.what}：{row.stale}" for row in _procedure_rows() if row.key.startswith(prefix) and row.stale]

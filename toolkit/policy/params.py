"""Effective-dated policy parameters, one YAML file per region in ``params/``.

A new region is a new YAML file, no code change.  Looking up a date that nothing on file
covers raises :class:`toolkit.errors.ParameterMissing` naming the date and the file to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from toolkit.errors import InputError, ParameterMissing

PARAMS_DIR = Path(__file__).with_name("params")
NOT_REGIONS = {"procedure"}     # params/procedure.yaml: the procedure rule sets (toolkit.policy.limits)


@dataclass(frozen=True)
class Param:
    """One dated value with its provenance."""

    value: Decimal
    effective_from: date
    source: str
    confidence: str
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Series:
    """A parameter's entries in date order, plus its legal basis."""

    key: str
    title: str
    basis: str
    entries: tuple[dict, ...]
    on_file_until: date | None
    path: Path
    settings: dict = field(default_factory=dict, compare=False)

    def entry_on(self, day: date) -> dict:
        """The raw entry in force on ``day``; ParameterMissing when none is on file."""
        found = None
        for entry in self.entries:
            if entry["effective_from"] <= day:
                found = entry
        if found is None or (self.on_file_until and day > self.on_file_until):
            first = self.entries[0]["effective_from"] if self.entries else None
            span = f"{first.isoformat()} 至 {self.on_file_until.isoformat() if self.on_file_until else '今'}" if first else "无"
            raise ParameterMissing(
                f"{day.isoformat()} 没有在档的“{self.title}”参数（在档范围：{span}）。"
                f"请在 {self.path} 的 {self.key} 中补充该日期起施行的数值及其 source、confidence，不要估算。")
        return found

    def on(self, day: date, value_key: str = "value") -> Param:
        entry = self.entry_on(day)
        if entry.get(value_key) is None:
            raise ParameterMissing(
                f"{day.isoformat()} 的“{self.title}”没有在档的 {value_key} 数值。"
                f"请在 {self.path} 的 {self.key} 中补充，不要估算。")
        return Param(
            value=Decimal(str(entry[value_key])),
            effective_from=entry["effective_from"],
            source=str(entry.get("source", "")),
            confidence=str(entry.get("confidence", "")),
            note=str(entry.get("note", "")),
            extra={k: v for k, v in entry.items()
                   if k not in {"value", "effective_from", "source", "confidence", "note"}},
        )


@dataclass(frozen=True)
class RegionParams:
    region: str
    name: str
    path: Path
    series: dict[str, Series]

    def __getitem__(self, key: str) -> Series:
        if key not in self.series:
            raise ParameterMissing(f"{self.path} 中没有“{key}”参数。请补充该参数及其 source、confidence。")
        return self.series[key]

    def has(self, key: str) -> bool:
        return key in self.series


def available_regions() -> list[str]:
    return sorted(p.stem for p in PARAMS_DIR.glob("*.yaml") if p.stem not in NOT_REGIONS)


@lru_cache(maxsize=None)
def load_region(region: str = "shanghai") -> RegionParams:
    """Load and check ``params/<region>.yaml``."""
    path = PARAMS_DIR / f"{region}.yaml"
    if not region or region not in available_regions():
        raise InputError("region", region, "不是在档的地区",
                         f"可选：{'、'.join(available_regions())}；新增地区请在 {PARAMS_DIR} 添加同名 YAML 文件")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    series: dict[str, Series] = {}
    for key, spec in raw.items():
        if not isinstance(spec, dict) or "entries" not in spec:
            continue
        entries = []
        for index, entry in enumerate(spec["entries"]):
            for required in ("effective_from", "source", "confidence"):
                if required not in entry:
                    raise ParameterMissing(f"{path} 的 {key}.entries[{index}] 缺少 {required}，请补充。")
            if not isinstance(entry["effective_from"], date):
                raise ParameterMissing(f"{path} 的 {key}.entries[{index}].effective_from 不是日期（应为 YYYY-MM-DD）。")
            entries.append(dict(entry))
        entries.sort(key=lambda e: e["effective_from"])
        settings = {k: v for k, v in spec.items() if k not in {"entries", "title", "basis", "on_file_until"}}
        series[key] = Series(key=key, title=str(spec.get("title", key)), basis=str(spec.get("basis", "")),
                             entries=tuple(entries), on_file_until=spec.get("on_file_until"), path=path,
                             settings=settings)
    return RegionParams(region=region, name=str(raw.get("name", region)), path=path, series=series)


def standard_on(day: date, region: str = "shanghai", area: str = "urban") -> Param:
    """The 低保 standard (yuan per person per month) in force on ``day``."""
    series = load_region(region)["dibao_standard"]
    entry = series.entry_on(day)
    if area == "rural":
        if entry.get("urban_only"):
            raise ParameterMissing(
                f"{day.isoformat()} 的农村低保标准未在档（{entry.get('note', '')}）。请在 {series.path} 补充后再计算。")
        if entry.get("rural") is not None:
            return series.on(day, "rural")
    return series.on(day)


def standard_span(region: str = "shanghai") -> tuple[date, date]:
    """First and last day a 低保 standard is on file for (the last: ``on_file_until``, else the newest entry)."""
    series = load_region(region)["dibao_standard"]
    last = series.on_file_until or series.entries[-1]["effective_from"]
    return series.entries[0]["effective_from"], last

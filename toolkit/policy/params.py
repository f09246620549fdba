"""Effective-dated policy parameters, one YAML file per region in ``params/``, plus a bureau's own file.

A new region is a new YAML file, no code change.  Every entry says how long it is known to hold
(``on_file_until``, inclusive) and how sure it is (``confidence``).  A date that no entry covers —
before the first, in a gap between two entries, after the last — raises
:class:`toolkit.errors.ParameterMissing` naming the date, the last figure on file and the file to
edit; the last figure is never carried on.  A gap between two entries must be marked in the file
(``gap_after``: why), and an H entry must be followed by its successor the day after it ends.

A bureau's own figures (from its own notice, with its 文号) live in a local parameters file found
like the holiday file (``--params``, ``JIUZHU_PARAMS``, ``params.yaml`` in the config folder); they
are laid over the shipped figures: a day a local entry covers takes the local figure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from toolkit.errors import InputError, ParameterMissing
from toolkit.policy import holidays, yamlfile

PARAMS_DIR = Path(__file__).with_name("params")
NOT_REGIONS = {"procedure"}     # params/procedure.yaml: the procedure rule sets (toolkit.policy.limits)
CONFIDENCES = ("H", "M", "L")
TRAINING_CONFIDENCES = ("H", "M")   # figures a training case may teach (policy-facts: "How to treat confidence")
SHIPPED, LOCAL = "shipped", "local"
ORIGIN_LABELS = {SHIPPED: "随工具发布", LOCAL: "本地参数文件"}
ENTRY_META = {"effective_from", "on_file_until", "source", "confidence", "note", "gap_after", "shown_as",
              "origin", "file", "line"}


class ParamsFileError(ParameterMissing):
    """A parameters file (shipped or local) cannot be used as written."""


@dataclass(frozen=True)
class Param:
    """One dated value with its provenance."""

    value: Decimal
    effective_from: date
    source: str
    confidence: str
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False)
    on_file_until: date | None = None
    origin: str = SHIPPED        # SHIPPED or LOCAL
    shown_as: str = ""           # how training shows an M figure (据…推算)

    def training_text(self, amount: str) -> str:
        """``amount`` as a training case may show it: an M figure says where it comes from."""
        if self.confidence == "M":
            return f"{amount}（{self.shown_as or '据' + self.source}，以本市公布的标准为准）"
        return amount


def _fmt(entry: dict) -> str:
    value = entry.get("value")
    shown = f"{value} 元" if value is not None else "（结构化数值）"
    return (f"{shown}（{entry['effective_from'].isoformat()} 起，已知适用至 {entry['on_file_until'].isoformat()}，"
            f"可信度 {entry.get('confidence', '')}，{entry.get('file', '')}）")


@dataclass(frozen=True)
class Series:
    """A parameter's entries in date order, plus its legal basis; ``local``: a bureau's entries."""

    key: str
    title: str
    basis: str
    entries: tuple[dict, ...]
    path: Path
    settings: dict = field(default_factory=dict, compare=False)
    local: tuple[dict, ...] = ()

    def covering(self) -> list[dict]:
        """Entries in force, each day once: local entries over the shipped ones, by start date."""
        spans = [(e["effective_from"], e["on_file_until"]) for e in self.local]
        shipped = [e for e in self.entries
                   if not any(a <= e["effective_from"] and e["on_file_until"] <= b for a, b in spans)]
        return sorted([*shipped, *self.local], key=lambda e: (e["effective_from"], e.get("origin") == LOCAL))

    def gaps(self) -> list[tuple[dict, date, date | None]]:
        """(entry before the gap, first day not covered, next start or None) between the entries on file."""
        found = []
        days = sorted(self.covering(), key=lambda e: e["effective_from"])
        covered_to = None
        for index, entry in enumerate(days):
            if covered_to is not None and entry["effective_from"] > covered_to + timedelta(days=1):
                found.append((days[index - 1], covered_to + timedelta(days=1), entry["effective_from"]))
            covered_to = max(covered_to or entry["on_file_until"], entry["on_file_until"])
        return found

    def on_file_until(self) -> date | None:
        """The last day any entry covers."""
        return max((e["on_file_until"] for e in (*self.entries, *self.local)), default=None)

    def entry_on(self, day: date) -> dict:
        """The raw entry in force on ``day`` (a local one first); ParameterMissing when none is on file."""
        for entry in self.local:
            if entry["effective_from"] <= day <= entry["on_file_until"]:
                return entry
        for entry in reversed(self.entries):
            if entry["effective_from"] <= day <= entry["on_file_until"]:
                return entry
        raise ParameterMissing(self._missing(day))

    def _missing(self, day: date) -> str:
        entries = sorted((*self.entries, *self.local), key=lambda e: e["effective_from"])
        before = [e for e in entries if e["effective_from"] <= day]
        after = [e for e in entries if e["effective_from"] > day]
        if before:
            last = f"在档的最后一个数值是 {_fmt(before[-1])}"
        else:
            last = "在档的最早数值是 " + _fmt(after[0]) if after else "没有任何在档数值"
        follow = f"；下一个在档数值自 {after[0]['effective_from'].isoformat()} 起" if before and after else ""
        return (f"{day.isoformat()} 没有在档的“{self.title}”参数：{last}{follow}。"
                f"不会沿用旧数值或估算。请在 {self.path} 的 {self.key} 中补充 {day.isoformat()} 适用的数值"
                f"（写明 effective_from、on_file_until、source、confidence），或在本地参数文件中填写本地公布的标准"
                f"（见 docs/policy.md）。")

    def on(self, day: date, value_key: str = "value") -> Param:
        entry = self.entry_on(day)
        if entry.get(value_key) is None:
            raise ParameterMissing(
                f"{day.isoformat()} 的“{self.title}”没有在档的 {value_key} 数值。"
                f"请在 {entry.get('file', self.path)} 的 {self.key} 中补充，不要估算。")
        return param_of(entry, value_key)


def param_of(entry: dict, value_key: str = "value") -> Param:
    """The :class:`Param` of a raw entry."""
    return Param(
        value=Decimal(str(entry[value_key])),
        effective_from=entry["effective_from"],
        source=str(entry.get("source", "")),
        confidence=str(entry.get("confidence", "")),
        note=str(entry.get("note", "")),
        extra={k: v for k, v in entry.items() if k not in ENTRY_META and k != "value"},
        on_file_until=entry["on_file_until"],
        origin=str(entry.get("origin", SHIPPED)),
        shown_as=str(entry.get("shown_as", "")),
    )


@dataclass(frozen=True)
class RegionParams:
    region: str
    name: str
    path: Path
    series: dict[str, Series]
    local_path: str = ""
    regulation: str = ""                  # the region's regulation, e.g. 《上海市社会救助条例》
    regulation_from: date | None = None   # … in force from

    def basis_on(self, series: Series, day: date, instead: str) -> str:
        """``series.basis``, or ``instead`` when the basis cites the region's regulation before it is in force."""
        if self.regulation and self.regulation in series.basis and self.regulation_from and day < self.regulation_from:
            return instead
        return series.basis

    def __getitem__(self, key: str) -> Series:
        if key not in self.series:
            raise ParameterMissing(f"{self.path} 中没有“{key}”参数。请补充该参数及其 source、confidence。")
        return self.series[key]

    def has(self, key: str) -> bool:
        return key in self.series


def available_regions() -> list[str]:
    return sorted(p.stem for p in PARAMS_DIR.glob("*.yaml") if p.stem not in NOT_REGIONS)


def _bad(path: Path, where: str, node: object, problem: str) -> ParamsFileError:
    line = yamlfile.line_of(node) or (f"第 {node['line']} 行" if isinstance(node, dict) and node.get("line") else "")
    place = "".join(part for part in (f" {line}" if line else "", f"（{where}）" if where else ""))
    return ParamsFileError(f"参数文件 {path}{place}：{problem}。格式见 docs/policy.md“参数文件”。")


def check_entry(entry: object, path: Path, where: str) -> dict:
    """One entry, checked: dates, confidence, source; returned as a plain dict with its file and line."""
    if not isinstance(entry, dict):
        raise _bad(path, where, entry, "应写成 {effective_from: …, on_file_until: …, value: …, source: …} 形式")
    for required in ("effective_from", "on_file_until", "source", "confidence"):
        if entry.get(required) in (None, ""):
            raise _bad(path, where, entry, f"缺少 {required}")
    for key in ("effective_from", "on_file_until"):
        if key in entry and (not isinstance(entry[key], date) or isinstance(entry[key], bool)):
            raise _bad(path, where, entry, f"{key} 的值 “{str(entry[key])[:40]}” 不是日期（应写成 2027-07-01）")
    if entry["on_file_until"] < entry["effective_from"]:
        raise _bad(path, where, entry, f"on_file_until {entry['on_file_until'].isoformat()} 早于 effective_from "
                                       f"{entry['effective_from'].isoformat()}")
    if not isinstance(entry["source"], str) or not entry["source"].strip():
        raise _bad(path, where, entry, "source 应写明依据（文件名称和文号）")
    if entry["confidence"] not in CONFIDENCES:
        raise _bad(path, where, entry, f"confidence 的值 “{entry['confidence']}” 不是 H、M、L 之一")
    if entry["confidence"] == "M" and "value" in entry and not str(entry.get("shown_as", "")).strip():
        raise _bad(path, where, entry, "可信度 M 的数值须写明 shown_as（培训中如何说明其来源，如“据…推算”）")
    checked = {k: v for k, v in entry.items()}
    checked["file"], checked["line"] = str(path), getattr(entry, "line", 0)
    return checked


def check_series(key: str, entries: list[dict], path: Path, gaps_allowed: bool = False) -> None:
    """Entries in date order must not overlap; a gap must be marked (``gap_after``) on the entry before it."""
    for earlier, later in zip(entries, entries[1:]):
        if later["effective_from"] <= earlier["on_file_until"]:
            raise _bad(path, key, later, f"{later['effective_from'].isoformat()} 起的数值与 "
                                         f"{earlier['effective_from'].isoformat()} 起的数值（已知适用至 "
                                         f"{earlier['on_file_until'].isoformat()}）重叠")
        if (later["effective_from"] > earlier["on_file_until"] + timedelta(days=1) and not gaps_allowed
                and not earlier.get("gap_after")):
            raise _bad(path, key, earlier, f"{earlier['on_file_until'] + timedelta(days=1)} 至 "
                                           f"{later['effective_from'] - timedelta(days=1)} 没有在档数值，"
                                           "请补充该期间的数值，或在前一条写明 gap_after（为什么没有）")


@lru_cache(maxsize=None)
def load_shipped(region: str = "shanghai") -> RegionParams:
    """Load and check ``params/<region>.yaml``."""
    path = PARAMS_DIR / f"{region}.yaml"
    if not region or region not in available_regions():
        raise InputError("region", region, "不是在档的地区",
                         f"可选：{'、'.join(available_regions())}；新增地区请在 {PARAMS_DIR} 添加同名 YAML 文件")
    raw = yamlfile.load(path, "参数文件", ParamsFileError)
    series: dict[str, Series] = {}
    for key, spec in raw.items():
        if not isinstance(spec, dict) or "entries" not in spec:
            continue
        entries = sorted((check_entry(e, path, f"{key}.entries[{i}]") | {"origin": SHIPPED}
                          for i, e in enumerate(spec["entries"])), key=lambda e: e["effective_from"])
        check_series(key, entries, path)
        settings = {k: v for k, v in spec.items() if k not in {"entries", "title", "basis"}}
        series[key] = Series(key=key, title=str(spec.get("title", key)), basis=str(spec.get("basis", "")),
                             entries=tuple(entries), path=path, settings=settings)
    regulation_from = raw.get("regulation_from")
    if regulation_from is not None and not isinstance(regulation_from, date):
        raise _bad(path, "regulation_from", raw, "应为日期（YYYY-MM-DD）")
    return RegionParams(region=region, name=str(raw.get("name", region)), path=path, series=series,
                        regulation=str(raw.get("regulation", "")), regulation_from=regulation_from)


# ---- a bureau's own figures: the local parameters file ------------------------------------------

ENV_FILE = "JIUZHU_PARAMS"
FILE_NAME = "params.yaml"
LOCAL_SERIES = ("dibao_standard", "minor_standard", "minimum_wage")
LOCAL_KEYS = {"region", "note", *LOCAL_SERIES}
LOCAL_ENTRY_KEYS = {"effective_from", "on_file_until", "value", "rural", "source", "confidence", "note", "shown_as"}
MAX_LOCAL_BYTES = 1_000_000
_explicit: Path | None = None


def use_file(path: str | os.PathLike | None) -> None:
    """Use this local parameters file from now on in this process (``None``: back to the default search)."""
    global _explicit
    _explicit = Path(path) if path is not None else None


def local_file() -> Path | None:
    """The local parameters file in use: ``--params``, ``JIUZHU_PARAMS``, else ``params.yaml`` in the config folder."""
    if _explicit is not None:
        return _explicit
    if os.environ.get(ENV_FILE):
        return Path(os.environ[ENV_FILE])
    default = holidays.config_dir() / FILE_NAME
    return default if default.is_file() else None


def local_entries() -> tuple[str, str, dict[str, tuple[dict, ...]]] | None:
    """(file, region, series key → checked local entries) of the local file, or ``None``."""
    path = local_file()
    if path is None:
        return None
    return _load_local(*yamlfile.file_version(path, ParamsFileError(
        f"找不到参数文件 {path}。请检查路径（{ENV_FILE} 或 --params），或删除该设置以只使用随工具发布的参数。")))


def _local_entry(entry: object, path: Path, where: str) -> dict:
    if isinstance(entry, dict):
        unknown = sorted(str(k) for k in set(entry) - LOCAL_ENTRY_KEYS)
        if unknown:
            raise _bad(path, where, entry, f"{unknown[0]} 是未知字段（可用：{'、'.join(sorted(LOCAL_ENTRY_KEYS))}）")
        entry.setdefault("confidence", "H")        # a bureau's own notice: primary text
        if entry.get("value") is None:
            raise _bad(path, where, entry, "缺少 value（元）")
    checked = check_entry(entry, path, where)
    for key in ("value", "rural"):
        if key in checked:
            number = checked[key]
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 < number < 1_000_000:
                raise _bad(path, where, entry, f"{key} 的值 “{str(number)[:40]}” 不是正数金额（元）")
    return checked | {"origin": LOCAL}


@lru_cache(maxsize=8)
def _load_local(name: str, _mtime: int, size: int):
    path = Path(name)
    if size > MAX_LOCAL_BYTES:
        raise ParamsFileError(f"参数文件 {path} 过大（{size} 字节，上限 {MAX_LOCAL_BYTES}）。")
    raw = yamlfile.load(path, "参数文件", ParamsFileError)
    if not isinstance(raw, dict):
        raise _bad(path, "", raw, "应是包含 region 和 dibao_standard 等参数的 YAML 映射")
    unknown = sorted(str(k) for k in set(raw) - LOCAL_KEYS)
    if unknown:
        raise _bad(path, unknown[0], raw, f"{unknown[0]} 是未知参数（可填：{'、'.join(LOCAL_SERIES)}）")
    region = raw.get("region", "shanghai")
    if region not in available_regions():
        raise _bad(path, "region", raw, f"地区 “{str(region)[:40]}” 不在档（可选：{'、'.join(available_regions())}）")
    found = {}
    for key in LOCAL_SERIES:
        items = raw.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not items:
            raise _bad(path, key, raw, f"{key} 应是数值列表")
        entries = sorted((_local_entry(e, path, f"{key}[{i}]") for i, e in enumerate(items)),
                         key=lambda e: e["effective_from"])
        check_series(key, entries, path, gaps_allowed=True)
        found[key] = tuple(entries)
    return str(path), region, found


def load_region(region: str = "shanghai") -> RegionParams:
    """The shipped parameters of ``region`` with the bureau's local figures laid over them."""
    shipped = load_shipped(region)
    local = local_entries()
    if local is None or local[1] != region:
        return shipped
    name, _, found = local
    series = {key: replace(s, local=found.get(key, ())) for key, s in shipped.series.items()}
    return replace(shipped, series=series, local_path=name)


load_region.cache_clear = load_shipped.cache_clear  # type: ignore[attr-defined]


def standard_on(day: date, region: str = "shanghai", area: str = "urban") -> Param:
    """The 低保 standard (yuan per person per month) in force on ``day``."""
    series = load_region(region)["dibao_standard"]
    entry = series.entry_on(day)
    if area == "rural":
        if entry.get("urban_only"):
            raise ParameterMissing(
                f"{day.isoformat()} 的农村低保标准未在档（{entry.get('note', '')}）。"
                f"请在 {entry.get('file', series.path)} 补充后再计算，不要估算。")
        if entry.get("rural") is not None:
            return series.on(day, "rural")
    return series.on(day)


def standard_span(region: str = "shanghai") -> tuple[date, date]:
    """First and last day a 低保 standard is on file for (gaps in between are not counted out)."""
    series = load_region(region)["dibao_standard"]
    return min(e["effective_from"] for e in series.covering()), series.on_file_until()

"""Rule sets of the 低保 procedure and their limits, as dated data (``params/procedure.yaml``).

The one place that knows when a rule set starts (e.g. 民发〔2021〕57号 from 2021-07-01):
:func:`rule_set_for` answers "which rule set applies to a case accepted on D" and
:func:`limit_for` "what is limit X for a case accepted on D".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import yaml

from toolkit.errors import ParameterMissing

PROCEDURE_FILE = Path(__file__).with_name("params") / "procedure.yaml"
UNITS = {"working_days": "个工作日", "days": "天", "persons": "人", "share": ""}
# Chinese names of the limits (a new limit may bring its own ``title`` in the YAML).
LIMIT_TITLES = {
    "investigation_start": "受理后启动家庭经济状况调查的时限",
    "investigators": "每组调查人员最少人数",
    "appraisal_representatives": "民主评议中村（居）民代表的最低比例",
    "notice_period": "公示期（含首尾两天）",
    "decision_after_notice": "公示期满后作出审批决定的时限",
    "decision_after_notice_disputed": "公示有异议时作出审批决定的时限",
    "county_review": "公示结束后县级民政部门审核确认的时限",
    "total_time": "自受理至审核确认的总时限",
    "total_time_extended": "特殊情况延长后的总时限",
    "refusal_notice": "不予批准后书面告知理由的时限",
    "appraisal_time": "组织民主评议的时限（起算点未在档，不据此检查）",
    "county_examination": "县级民政部门审查的时限（起算点未在档，不据此检查）",
}


@dataclass(frozen=True)
class Limit:
    key: str
    value: int | Fraction
    unit: str                 # working_days / days / persons / share
    article: str              # e.g. 第十五条
    citation: str             # document and article, e.g. 《…》（民发〔2021〕57号）第十五条
    rule_set: str
    effective_from: date
    source: str
    confidence: str
    title: str = ""
    checked: bool = True      # False: on file (listed by jiuzhu policy params) but no check uses it

    @property
    def text(self) -> str:
        """Chinese: ``3 个工作日``, ``7 天``, ``2 人``, ``三分之二``."""
        if self.unit == "share":
            return share_text(self.value)
        return f"{self.value} {UNITS[self.unit]}"


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    effective_from: date
    source: str
    confidence: str
    order: tuple[tuple[str, str], ...]
    rules: dict[str, str]                  # rule id → article (rules without a number)
    limits: dict[str, Limit]
    region: str | None = None
    path: Path = field(default=PROCEDURE_FILE, compare=False)
    # income not counted (key → {"until": last day or None, "note": …}); empty: no exclusion list on file
    excluded_income: dict[str, dict] = field(default_factory=dict, compare=False)
    # steps of which the first starts the 家庭经济状况调查 (investigation_start counts to the earliest)
    investigation_steps: tuple[str, ...] = ("investigate",)

    def figures(self) -> dict[str, str]:
        """Limit name → its figure as text (``3``, ``三分之二``), for formatting titles and messages."""
        return {key: limit.text if limit.unit == "share" else str(limit.value) for key, limit in self.limits.items()}

    def has(self, key: str) -> bool:
        return key in self.limits or key in self.rules

    def limit(self, key: str) -> Limit:
        if key not in self.limits:
            raise ParameterMissing(f"规则集 {self.title} 没有“{key}”时限。请在 {self.path} 中补充，不要估算。")
        return self.limits[key]

    def cite(self, key: str) -> str:
        """Document and article of a rule or limit of this rule set."""
        if key in self.limits:
            return self.limits[key].citation
        if key in self.rules:
            return f"{self.title}{self.rules[key]}"
        raise ParameterMissing(f"规则集 {self.title} 没有“{key}”的条文依据。请在 {self.path} 中补充。")


def share_text(value: Fraction) -> str:
    digits = "零一二三四五六七八九十"
    if value.denominator <= 10 and value.numerator <= 10:
        return f"{digits[value.denominator]}分之{digits[value.numerator]}"
    return f"{value.numerator}/{value.denominator}"


def _number(raw: object, where: str) -> int | Fraction:
    if isinstance(raw, bool):
        raise ParameterMissing(f"{PROCEDURE_FILE} 的 {where} 不是数值。")
    if isinstance(raw, int):
        return raw
    try:
        return Fraction(str(raw))
    except (ValueError, ZeroDivisionError):
        raise ParameterMissing(f"{PROCEDURE_FILE} 的 {where} 不是数值（整数或 2/3 这样的分数）。") from None


def _parse(raw: dict, index: int, path: Path) -> RuleSet:
    where = f"rule_sets[{index}]"
    for required in ("id", "title", "effective_from", "source", "confidence"):
        if required not in raw:
            raise ParameterMissing(f"{path} 的 {where} 缺少 {required}，请补充。")
    if not isinstance(raw["effective_from"], date):
        raise ParameterMissing(f"{path} 的 {where}.effective_from 不是日期（应为 YYYY-MM-DD）。")
    rs_id, title = str(raw["id"]), str(raw["title"])
    limits = {}
    for key, spec in (raw.get("limits") or {}).items():
        for required in ("value", "unit", "article"):
            if required not in spec:
                raise ParameterMissing(f"{path} 的 {where}.limits.{key} 缺少 {required}，请补充。")
        if spec["unit"] not in UNITS:
            raise ParameterMissing(f"{path} 的 {where}.limits.{key}.unit 应为 {'、'.join(UNITS)} 之一。")
        limits[key] = Limit(key=key, value=_number(spec["value"], f"{where}.limits.{key}.value"),
                            unit=spec["unit"], article=str(spec["article"]),
                            citation=f"{title}{spec['article']}", rule_set=rs_id,
                            effective_from=spec.get("effective_from", raw["effective_from"]),
                            source=str(spec.get("source", raw["source"])),
                            confidence=str(spec.get("confidence", raw["confidence"])),
                            title=str(spec.get("title") or LIMIT_TITLES.get(key, key)),
                            checked=bool(spec.get("checked", True)))
    order = tuple((str(a), str(b)) for a, b in raw.get("order") or ())
    return RuleSet(id=rs_id, title=title, effective_from=raw["effective_from"], source=str(raw["source"]),
                   confidence=str(raw["confidence"]), order=order,
                   rules={str(k): str(v) for k, v in (raw.get("rules") or {}).items()},
                   limits=limits, region=raw.get("region"), path=path,
                   excluded_income=_exclusions(raw.get("excluded_income") or {}, f"{where}.excluded_income", path),
                   investigation_steps=tuple(str(x) for x in raw.get("investigation_steps") or ("investigate",)))


def _exclusions(raw: dict, where: str, path: Path) -> dict[str, dict]:
    """Income not counted, each with the last day it is not counted (``until``; None: while the rule set holds)."""
    found = {}
    for key, spec in raw.items():
        spec = spec or {}
        until = spec.get("until")
        if until is not None and not isinstance(until, date):
            raise ParameterMissing(f"{path} 的 {where}.{key}.until 不是日期（应为 YYYY-MM-DD）。")
        found[str(key)] = {"until": until, "note": str(spec.get("note", ""))}
    return found


def rule_sets() -> tuple[RuleSet, ...]:
    """Every rule set on file (``PROCEDURE_FILE``), oldest first."""
    return _load(PROCEDURE_FILE)


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[RuleSet, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    parsed = [_parse(entry, i, path) for i, entry in enumerate(raw.get("rule_sets") or ())]
    return tuple(sorted(parsed, key=lambda rs: rs.effective_from))


def rule_set_for(accepted: date, region: str | None = None) -> RuleSet:
    """The rule set in force for a case accepted on ``accepted`` (in ``region`` when given)."""
    found = None
    for candidate in rule_sets():
        if candidate.effective_from <= accepted and candidate.region in (None, region):
            found = candidate
    if found is None:
        first = rule_sets()[0]
        raise ParameterMissing(
            f"受理日期 {accepted.isoformat()} 早于 {first.title} 的施行日期 {first.effective_from.isoformat()}，"
            f"此前的审核审批规则未在档，无法检查（如需补充，请在 {first.path} 中增加规则集）。")
    return found


def limit_for(key: str, accepted: date, region: str | None = None) -> Limit:
    """Limit ``key`` (e.g. ``investigation_start``) for a case accepted on ``accepted``."""
    return rule_set_for(accepted, region).limit(key)

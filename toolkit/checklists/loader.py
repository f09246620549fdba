"""Load and validate checklist YAML files, reporting every problem with file, line and item id.

``load_checklist(path)`` returns a :class:`~toolkit.checklists.model.Checklist` or raises
:class:`ChecklistInvalid` listing all problems at once; ``validate_files(paths)`` collects the
problems of several files.  The content hash is the SHA-256 of the checklist's canonical JSON, so
comments and layout do not change it but any change of meaning does.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from toolkit.checklists.model import (
    KINDS, METHODS, SCORING_TYPES, SEVERITIES, Checklist, GradeBand, Item, Level,
)
from toolkit.errors import ValidationFailed

LINE = "__line__"

TOP_FIELDS = {"id", "title", "kind", "order", "source", "description", "total_points", "grade_bands", "sections"}
SECTION_FIELDS = {"name", "items"}
ITEM_FIELDS = {"id", "text", "evidence", "method", "scoring", "points", "severity", "basis",
               "levels", "check", "applies_when", "finding"}

# Facts a condition may test, per checklist kind, with their allowed values.
CONDITION_FACTS: dict[str, dict[str, tuple[Any, ...]]] = {
    "unit": {"unit_type": ("街道", "镇")},
    "case_file": {"rule_set": ("2012", "2021"), "decision": ("批准", "不批准"),
                  "near_relative": (True, False)},
}


class ChecklistInvalid(ValidationFailed):
    """A checklist file has problems; ``problems`` lists each with file, line and item id."""


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (LibYAML when available) recording the 1-based line of every mapping under ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def content_hash(data: dict) -> str:
    """SHA-256 (first 16 hex digits) of the checklist's canonical JSON (no line numbers)."""
    canonical = json.dumps(_strip_lines(data), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, line: int | None, message: str, item_id: str | None = None) -> None:
        where = f"{self.path}"
        if line:
            where += f" 第 {line} 行"
        if item_id:
            where += f" 检查项 {item_id}"
        self.items.append(f"{where}：{message}")


def _unknown_fields(problems: _Problems, mapping: dict, allowed: set[str], what: str,
                    item_id: str | None = None) -> None:
    for key in mapping:
        if key != LINE and key not in allowed:
            problems.add(mapping.get(LINE), f"未知字段“{key}”（{what}允许的字段：{'、'.join(sorted(allowed))}）",
                         item_id)


def _parse_conditions(problems: _Problems, raw: Any, kind: str, line: int, item_id: str
                      ) -> dict[str, tuple[Any, ...]]:
    facts = CONDITION_FACTS.get(kind, {})
    if not isinstance(raw, dict):
        problems.add(line, f"applies_when 必须是“条件: 取值”的映射，现为 {raw!r}", item_id)
        return {}
    parsed: dict[str, tuple[Any, ...]] = {}
    for fact, value in raw.items():
        if fact == LINE:
            continue
        if fact not in facts:
            known = "、".join(facts) or "（无）"
            problems.add(line, f"applies_when 中的条件“{fact}”无效，此类检查表可用的条件：{known}", item_id)
            continue
        values = tuple(value) if isinstance(value, list) else (value,)
        values = tuple(str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values)
        bad = [v for v in values if v not in facts[fact]]
        if bad or not values:
            allowed = "、".join(str(v) for v in facts[fact])
            problems.add(line, f"applies_when 条件 {fact} 的取值 {bad or value!r} 无效，可选：{allowed}", item_id)
            continue
        parsed[fact] = values
    return parsed


def _parse_item(problems: _Problems, raw: dict, section: str, kind: str) -> Item | None:
    line = raw.get(LINE)
    item_id = str(raw.get("id") or "").strip() or None
    _unknown_fields(problems, raw, ITEM_FIELDS, "检查项", item_id)
    ok = True
    for key in ("id", "text", "evidence", "method", "scoring", "points", "severity", "basis"):
        if raw.get(key) in (None, ""):
            problems.add(line, f"缺少必填字段“{key}”", item_id)
            ok = False
    if not ok:
        return None
    if raw["method"] not in METHODS:
        problems.add(line, f"检查方法“{raw['method']}”无效，可选：{'、'.join(METHODS)}", item_id)
        ok = False
    if raw["severity"] not in SEVERITIES:
        problems.add(line, f"问题严重程度“{raw['severity']}”无效，可选：{'、'.join(SEVERITIES)}", item_id)
        ok = False
    scoring = raw["scoring"]
    if scoring not in SCORING_TYPES:
        problems.add(line, f"评分方式“{scoring}”无效，可选：{'、'.join(SCORING_TYPES)}", item_id)
        return None
    points = _number(raw["points"])
    if points is None or points <= 0:
        problems.add(line, f"分值 {raw['points']!r} 必须是大于 0 的数", item_id)
        return None
    levels: list[Level] = []
    if scoring == "levels":
        raw_levels = raw.get("levels")
        if not isinstance(raw_levels, list) or len(raw_levels) < 2:
            problems.add(line, "评分方式为 levels 时须列出至少两个等级（levels: - {label: …, points: …}）", item_id)
            return None
        for level in raw_levels:
            label = str(level.get("label", "")).strip() if isinstance(level, dict) else ""
            value = _number(level.get("points")) if isinstance(level, dict) else None
            if not label or value is None or value < 0 or value > points:
                problems.add(line, f"等级 {_strip_lines(level)!r} 无效：须有名称，分值在 0 到 {points:g} 之间", item_id)
                ok = False
            else:
                levels.append(Level(label, value))
        labels = [lv.label for lv in levels]
        if len(set(labels)) != len(labels):
            problems.add(line, f"等级名称重复：{'、'.join(labels)}", item_id)
            ok = False
        if levels and ok and max(lv.points for lv in levels) != points:
            problems.add(line, f"最高等级的分值 {max(lv.points for lv in levels):g} 应等于该项分值 {points:g}", item_id)
            ok = False
    elif "levels" in raw:
        problems.add(line, f"评分方式为 {scoring} 时不应有 levels", item_id)
        ok = False
    check: dict[str, str] = {}
    if kind == "case_file":
        raw_check = raw.get("check")
        if scoring != "proportion":
            problems.add(line, "档案核查表的检查项评分方式必须是 proportion（按抽查档案的合格比例计分）", item_id)
            ok = False
        if not isinstance(raw_check, dict) or len(_strip_lines(raw_check)) != 1 or not (
                set(_strip_lines(raw_check)) <= {"document", "rule"}):
            problems.add(line, "档案核查项须有 check: {document: 材料代码} 或 check: {rule: 规则编号}", item_id)
            ok = False
        else:
            check = {k: str(v) for k, v in _strip_lines(raw_check).items()}
            if "rule" in check:
                from toolkit.policy import RULES

                if check["rule"] not in RULES:
                    problems.add(line, f"规则编号“{check['rule']}”不存在，可用：{'、'.join(sorted(RULES))}", item_id)
                    ok = False
    elif "check" in raw:
        problems.add(line, "只有档案核查表（kind: case_file）的检查项可以有 check", item_id)
        ok = False
    conditions = {}
    if "applies_when" in raw:
        before = len(problems.items)
        conditions = _parse_conditions(problems, raw["applies_when"], kind, line, item_id)
        ok = ok and len(problems.items) == before
    if not ok:
        return None
    return Item(id=item_id, text=str(raw["text"]).strip(), section=section,
                evidence=str(raw["evidence"]).strip(), method=raw["method"], scoring=scoring,
                points=points, severity=raw["severity"], basis=str(raw["basis"]).strip(),
                levels=tuple(levels), check=check, applies_when=conditions, line=line or 0,
                finding=str(raw.get("finding") or "").strip())


def parse_checklist(text: str, path: Path | str = "<文本>") -> Checklist:
    """Validate checklist YAML ``text``; raise :class:`ChecklistInvalid` listing every problem."""
    path = Path(path)
    problems = _Problems(path)
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problems.add(mark.line + 1 if mark else None, f"不是有效的 YAML：{getattr(err, 'problem', err)}")
        raise ChecklistInvalid(f"检查表 {path} 有误，请修改后重试。", problems=problems.items) from None
    if not isinstance(data, dict):
        problems.add(1, "检查表必须是映射（id、title、kind、grade_bands、sections …）")
        raise ChecklistInvalid(f"检查表 {path} 有误，请修改后重试。", problems=problems.items)
    _unknown_fields(problems, data, TOP_FIELDS, "检查表")
    for key in ("id", "title", "kind", "total_points", "grade_bands", "sections"):
        if data.get(key) in (None, "", []):
            problems.add(data.get(LINE), f"缺少必填字段“{key}”")
    order = data.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        problems.add(data.get(LINE), f"order “{order}”必须是整数（表格中工作表的先后顺序）")
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        problems.add(data.get(LINE), f"kind “{kind}”无效，可选：{'、'.join(KINDS)}")
    bands: list[GradeBand] = []
    for band in data.get("grade_bands") or []:
        value = _number(band.get("min_pct")) if isinstance(band, dict) else None
        grade = str(band.get("grade", "")).strip() if isinstance(band, dict) else ""
        if not grade or value is None or not 0 <= value <= 100:
            problems.add(band.get(LINE) if isinstance(band, dict) else None,
                         f"等次 {_strip_lines(band)!r} 无效：须有 grade 和 0–100 之间的 min_pct")
        else:
            bands.append(GradeBand(grade, value))
    if bands and not any(b.min_pct == 0 for b in bands):
        problems.add(data.get(LINE), "等次必须包含 min_pct: 0 的最低一档，否则低分无法定等")
    if len({b.grade for b in bands}) != len(bands) or len({b.min_pct for b in bands}) != len(bands):
        problems.add(data.get(LINE), "等次名称或分数线重复")
    items: list[Item] = []
    seen: dict[str, int] = {}
    for section in data.get("sections") or []:
        if not isinstance(section, dict) or not section.get("name"):
            problems.add(section.get(LINE) if isinstance(section, dict) else None, "每个部分须有 name 和 items")
            continue
        _unknown_fields(problems, section, SECTION_FIELDS, "部分")
        for raw in section.get("items") or []:
            if not isinstance(raw, dict):
                problems.add(section.get(LINE), f"部分“{section['name']}”中的检查项 {raw!r} 不是映射")
                continue
            item_id = str(raw.get("id") or "").strip()
            if item_id in seen:
                problems.add(raw.get(LINE), f"编号重复（第 {seen[item_id]} 行已使用）", item_id)
            elif item_id:
                seen[item_id] = raw.get(LINE)
            item = _parse_item(problems, raw, str(section["name"]).strip(), kind)
            if item is not None:
                items.append(item)
    total = _number(data.get("total_points"))
    raw_count = sum(len(section.get("items") or []) for section in data.get("sections") or []
                    if isinstance(section, dict))
    if total is not None and items and len(items) == raw_count:    # every item's points are known
        item_sum = sum(item.points for item in items)
        if abs(item_sum - total) > 1e-9:
            problems.add(data.get(LINE), f"各检查项分值合计 {item_sum:g} 与 total_points {total:g} 不符")
    if problems.items:
        raise ChecklistInvalid(f"检查表 {path} 有 {len(problems.items)} 处问题，请修改后重试。",
                               problems=problems.items)
    return Checklist(id=str(data["id"]), title=str(data["title"]), kind=kind, total_points=total,
                     grade_bands=tuple(bands), items=tuple(items), version_hash=content_hash(data),
                     source=str(data.get("source", "")), description=str(data.get("description", "")),
                     yaml_text=text, order=order)


def load_checklist(path: Path | str) -> Checklist:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChecklistInvalid(f"找不到检查表文件 {path}，请检查路径。") from None
    except UnicodeDecodeError:
        raise ChecklistInvalid(f"检查表文件 {path} 不是 UTF-8 编码的文本，请另存为 UTF-8。") from None
    return parse_checklist(text, path)


def _load_all(paths) -> tuple[list[Checklist], list[str]]:
    checklists: list[Checklist] = []
    problems: list[str] = []
    for path in paths:
        try:
            checklists.append(load_checklist(path))
        except ChecklistInvalid as err:
            problems.extend(err.problems or [err.message])
    return checklists, problems


def validate_files(paths: list[Path | str]) -> list[str]:
    """Every problem of every file (empty when all are valid)."""
    return _load_all(paths)[1]


def default_checklist_dir() -> Path:
    """The default checklists shipped with the package (the repository's top-level ``checklists/``,
    package ``toolkit.checklists.defaults``: one copy, found with importlib.resources).

    A bureau edits copies of them in its own folder (``jiuzhu checklist init 目录``) and passes
    that folder with ``--checklists``; the package copy is never edited in place.
    """
    return Path(str(resources.files("toolkit.checklists.defaults")))


def load_checklists(directory: Path | str | None = None) -> dict[str, Checklist]:
    """All checklists of a folder by id (default: the checklists shipped with the package)."""
    directory = Path(directory) if directory else default_checklist_dir()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise ChecklistInvalid(f"文件夹 {directory} 中没有检查表（*.yaml），请检查 --checklists 参数。")
    checklists, problems = _load_all(paths)
    if problems:
        raise ChecklistInvalid(f"文件夹 {directory} 中的检查表有 {len(problems)} 处问题。", problems=problems)
    return by_order(checklists)


def by_order(checklists) -> dict[str, Checklist]:
    """Checklists by id, in their declared order (the order of the form's sheets)."""
    return {c.id: c for c in sorted(checklists, key=lambda c: (c.order, c.id))}


def init_checklists(directory: Path | str) -> list[Path]:
    """Write editable copies of the default checklists into ``directory``.

    Refuses (and writes nothing) when any of the files already exists there, so a bureau's
    edited checklists are never overwritten.
    """
    from toolkit.files import write_bytes_atomic

    directory = Path(directory)
    sources = sorted(default_checklist_dir().glob("*.yaml"))
    existing = [directory / s.name for s in sources if (directory / s.name).exists()]
    if existing:
        raise ChecklistInvalid(f"文件夹 {directory} 中已有检查表 {'、'.join(p.name for p in existing)}，"
                               "不会覆盖。请换一个文件夹，或先把原文件移走。")
    return [write_bytes_atomic(directory / s.name, s.read_bytes()) for s in sources]

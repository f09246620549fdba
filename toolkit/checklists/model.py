"""The shapes of a checklist: sections of scored items, grade bands, and the content hash.

A checklist is data written by people (defaults in the top-level ``checklists/*.yaml``); :mod:`toolkit.checklists.loader`
turns a file into these frozen objects after validating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHODS = ("查阅资料", "现场检查", "座谈", "抽查档案", "暗访")
SEVERITIES = ("严重", "一般", "轻微")
SCORING_TYPES = ("yes_no", "levels", "proportion")
KINDS = ("unit", "case_file")
"""``unit``: one result per 街镇; ``case_file``: one result per sampled case file, scored as a proportion."""

YES, NO, NOT_APPLICABLE = "是", "否", "不适用"


@dataclass(frozen=True)
class Level:
    label: str
    points: float


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    section: str
    evidence: str
    method: str
    scoring: str                     # one of SCORING_TYPES
    points: float
    severity: str
    basis: str
    levels: tuple[Level, ...] = ()   # scoring == "levels"
    check: dict[str, str] = field(default_factory=dict)   # case_file: {"document": key} or {"rule": id}
    applies_when: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    line: int = 0
    finding: str = ""                # the problem in a report's words when the item is not met

    def choices(self) -> tuple[str, ...]:
        """The values an inspector may enter for this item (a proportion accepts a number)."""
        if self.scoring == "yes_no":
            return (YES, NO)
        if self.scoring == "levels":
            return tuple(level.label for level in self.levels)
        return ()

    def applies(self, facts: dict[str, Any]) -> bool:
        """True unless a condition names a fact whose value is known and not among the allowed ones."""
        for fact, allowed in self.applies_when.items():
            if fact in facts and facts[fact] not in allowed:
                return False
        return True


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min_pct: float


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    kind: str
    total_points: float
    grade_bands: tuple[GradeBand, ...]
    items: tuple[Item, ...]
    version_hash: str
    source: str = ""
    description: str = ""
    order: int = 100                # position of its sheet in the forms
    yaml_text: str = ""             # the text it was parsed from (kept with each round in the store)

    @property
    def sections(self) -> list[str]:
        seen: list[str] = []
        for item in self.items:
            if item.section not in seen:
                seen.append(item.section)
        return seen

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def grade(self, pct: float) -> str:
        """Grade for a percentage score (bands sorted from the highest threshold down)."""
        for band in sorted(self.grade_bands, key=lambda b: -b.min_pct):
            if pct >= band.min_pct - 1e-9:
                return band.grade
        return self.grade_bands[-1].grade

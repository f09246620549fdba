"""Which training rules a supervision finding calls for, and which exercises teach them.

A checklist item maps to the rule ids the course's questions are tagged with (``Question.rule``,
the ids feedback and analytics cite): case-file items through their own ``check`` (a procedure
rule id — or, when no question names it, the m02 question that asks for every violation — or a
missing document → ``document_rule``), other items through ``finding_rules.yaml``
beside this module.  Which exercise teaches a rule is read from the exercises themselves (the
questions of a few generated cases), so the mapping cannot drift from the course.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.cases import ASSIGNMENTS, case_module
from toolkit.cases.rules import rule_title
from toolkit.errors import InputError
from toolkit.policy import RULES

MAPPING_FILE = Path(__file__).with_name("finding_rules.yaml")
PROCEDURE_RULE = "procedure_violations"
PROBE_SEEDS = range(1, 13)     # enough generated cases that every question kind of an exercise occurs


@dataclass(frozen=True)
class Exercise:
    assignment: str
    title: str


@dataclass(frozen=True)
class Mapping:
    items: dict[str, tuple[str, ...]]
    document_rule: str
    audience: str
    source: str


@lru_cache(maxsize=4)
def load_mapping(path: Path | None = None) -> Mapping:
    import yaml

    path = Path(path or MAPPING_FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    taught = set(exercises_by_rule())
    items = {}
    for item_id, rules in (data.get("items") or {}).items():
        rules = tuple(rules or ())
        for rule in rules:
            if rule not in taught:
                raise InputError(f"{path.name} 中 items.{item_id}", rule, "不是任何练习所考的规则",
                                 f"可用的规则：{'、'.join(sorted(taught))}")
        items[str(item_id)] = rules
    return Mapping(items, str(data.get("document_rule", "file_missing")), str(data.get("audience", "")),
                   str(data.get("source", "")))


@lru_cache(maxsize=1)
def exercises_by_rule() -> dict[str, tuple[Exercise, ...]]:
    """Rule id → the exercises whose questions test it (in course order)."""
    found: dict[str, list[Exercise]] = {}
    for assignment in ASSIGNMENTS:
        module = case_module(assignment)
        exercise = Exercise(assignment, module.TITLE)
        for seed in PROBE_SEEDS:
            made = module.generate(seed)
            case = made[0] if isinstance(made, tuple) else made
            for question in case.questions:
                if exercise not in found.setdefault(question.rule, []):
                    found[question.rule].append(exercise)
    return {rule: tuple(exs) for rule, exs in found.items()}


def rules_for_item(item_id: str, check: dict | None = None, mapping: Mapping | None = None) -> tuple[str, ...]:
    """Training rule ids for a checklist item that was not met (empty: no exercise teaches it)."""
    mapping = mapping or load_mapping()
    taught = exercises_by_rule()
    check = check or {}
    if check.get("rule") in taught:
        return (check["rule"],)
    if check.get("rule") in RULES and PROCEDURE_RULE in taught:
        return (PROCEDURE_RULE,)        # a procedure rule no question names: m02 asks for all violations
    if "document" in check:
        return (mapping.document_rule,)
    return mapping.items.get(item_id, ())


def describe_rule(rule: str) -> str:
    return rule_title(rule) or rule

"""Turn entered values and case-file rows into item scores, using the checklist and the policy engine.

Unit items: 是/否, a level label, or a proportion in [0, 1].  Case-file items: each sampled file
is checked (documents as entered; procedure rules by ``toolkit.policy.check_steps``), and the
item scores ``points × compliant files / applicable files``.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.checklists.model import NOT_APPLICABLE, YES, Checklist, Item
from toolkit.inspections.intake.submission import CaseFileRow
from toolkit.policy import check_steps


def unit_item_score(item: Item, value: str, facts: dict) -> float | None:
    """Points earned for an already-validated value; None when the item does not apply."""
    if not item.applies(facts) or value == NOT_APPLICABLE:
        return None
    if item.scoring == "yes_no":
        return item.points if value == YES else 0.0
    if item.scoring == "levels":
        return next(level.points for level in item.levels if level.label == value)
    return round(item.points * float(value), 4)


@dataclass
class CaseOutcome:
    case_id: str
    outcomes: dict[str, int]        # item id -> 1 (meets) / 0 (fails); absent: not applicable
    compliant: bool
    rule_set: str
    problems: list[str]             # Chinese messages of failed checks (names already masked)


def case_facts(row: CaseFileRow, rule_set: str) -> dict:
    return {"rule_set": rule_set, "decision": row.decision, "near_relative": row.near_relative}


def evaluate_case(row: CaseFileRow, checklist: Checklist, applicable: dict | None = None) -> CaseOutcome:
    """Check one sampled case file against every applicable item of the case-file checklist.

    ``applicable``: a dict the caller keeps across calls with the same checklist (many files share
    the same facts, so which items apply is worked out once per combination).
    """
    result = check_steps(row.procedure_steps(), **row.procedure_flags())
    violated: dict[str, list[str]] = {}
    for violation in result["violations"]:
        violated.setdefault(violation["rule"], []).append(violation["message"])
    facts = case_facts(row, result["rule_set"])
    key = tuple(facts.values())
    items = None if applicable is None else applicable.get(key)
    if items is None:
        items = [item for item in checklist.items if item.applies(facts)]
        if applicable is not None:
            applicable[key] = items
    outcomes: dict[str, int] = {}
    problems: list[str] = []
    for item in items:
        if "document" in item.check:
            ok = row.documents.get(item.check["document"]) == YES
            if not ok:
                problems.append(f"缺少{item.text}")
        else:
            messages = violated.pop(item.check["rule"], [])
            ok = not messages
            problems.extend(messages)
        outcomes[item.id] = int(ok)
    # violations of rules the checklist does not score are still reported
    for messages in violated.values():
        problems.extend(messages)
    return CaseOutcome(row.case_id, outcomes, all(outcomes.values()), result["rule_set"], problems)


def case_item_scores(checklist: Checklist, outcomes: list[CaseOutcome]) -> dict[str, tuple[str, float | None, str]]:
    """Per case-file item: (value "合格数/适用数", score or None, remarks naming failing files)."""
    tally = {item.id: [0, 0, []] for item in checklist.items}      # applicable, compliant, failing case ids
    for outcome in outcomes:
        for item_id, ok in outcome.outcomes.items():
            counts = tally.get(item_id)
            if counts is None:                  # not an item of this checklist
                continue
            counts[0] += 1
            counts[1] += ok
            if not ok:
                counts[2].append(outcome.case_id)
    scores: dict[str, tuple[str, float | None, str]] = {}
    for item in checklist.items:
        applicable, good, failing = tally[item.id]
        if not applicable:
            scores[item.id] = ("0/0", None, "抽查档案中无适用情形")
            continue
        remarks = ""
        if failing:
            shown = "、".join(failing[:5]) + ("等" if len(failing) > 5 else "")
            remarks = f"抽查 {applicable} 份，{len(failing)} 份不符合（{shown}）"
        scores[item.id] = (f"{good}/{applicable}", round(item.points * good / applicable, 4), remarks)
    return scores


__all__ = ["CaseOutcome", "case_item_scores", "evaluate_case", "unit_item_score"]

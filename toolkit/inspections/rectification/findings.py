"""Findings worded as findings: what was wrong, where, and in which case files.

A checklist item says what is required ("公示期满 7 天"); a report says what was found
("抽查 50 份档案中 2 份公示不足 7 天").  The wording comes from the item's ``finding`` (in the
checklist YAML) and the recorded result: the level chosen, the proportion met, or, for the
case-file checklist, the case files that failed the item.  An item without a ``finding`` is
worded "未达到要求：<item text>".

``load_findings(store, round_id, district=None)`` returns one row per 街镇 and failed item
(:data:`COLUMNS`); :func:`group_findings` folds them into one row per item with the number and
names of the 街镇 — the tables of a report's "存在问题".
"""

from __future__ import annotations

import json

from sqlalchemy import select

from toolkit.checklists.model import NO, Checklist, Item
from toolkit.inspections.store import store as st
from toolkit.inspections.rectification.recurrence import is_marked
from toolkit.inspections.rectification.rectification_labels import RECURRENCE_TAG
from toolkit.inspections.store.rounds import require_round, round_checklists

COLUMNS = ["district", "unit", "checklist_id", "checklist", "section", "item_id", "item_text", "severity",
           "basis", "kind", "result", "phrase", "finding", "sampled", "failed", "case_ids", "remarks", "order"]
SEVERITY_ORDER = ("严重", "一般", "轻微")
SHOWN_CASES = 3          # case numbers named in a report's body; the annex lists all of them


def problem_phrase(item: Item) -> str:
    """The problem when ``item`` is not met, without subject ("公示不足 7 天")."""
    return item.finding or f"未达到要求：{item.text}"


def unit_finding(item: Item, value: str | None) -> tuple[str, str]:
    """(finding, result shown) for a unit-checklist item that lost points with ``value``."""
    phrase = problem_phrase(item)
    if item.scoring == "levels" and value:
        return phrase, f"评定为“{value}”"
    if item.scoring == "proportion" and value not in (None, ""):
        try:
            return phrase, f"达标比例 {float(value):.0%}"
        except ValueError:
            return phrase, str(value)
    return phrase, "否" if value in (NO, None, "") else str(value)


def case_finding(item: Item, sampled: int, failed: int) -> str:
    """'抽查 50 份档案中 2 份公示不足 7 天'."""
    return f"抽查 {sampled} 份档案中 {failed} 份{problem_phrase(item)}"


def load_findings(store, round_id: str, district: str | None = None):
    """One row per 街镇 and item below full marks (:data:`COLUMNS`), in checklist order."""
    import pandas as pd

    engine = st.open_store(store)
    round_id = str(round_id)
    require_round(engine, round_id)
    checklists = round_checklists(engine, round_id)
    with engine.connect() as conn:
        where = st.item_results.c.round_id == round_id
        if district:
            where = where & (st.units.c.district == district)
        results = conn.execute(
            select(st.units.c.district, st.units.c.name, st.item_results.c.checklist_id,
                   st.item_results.c.item_id, st.item_results.c.value, st.item_results.c.score,
                   st.item_results.c.max_points, st.item_results.c.remarks, st.item_results.c.unit_id)
            .join(st.units, st.units.c.id == st.item_results.c.unit_id).where(where)).all()
        case_where = st.case_checks.c.round_id == round_id
        if district:
            case_where = case_where & (st.units.c.district == district)
        cases = conn.execute(
            select(st.case_checks.c.unit_id, st.case_checks.c.case_id, st.case_checks.c.outcomes)
            .join(st.units, st.units.c.id == st.case_checks.c.unit_id).where(case_where)
            .order_by(st.case_checks.c.case_id)).all()
    outcomes: dict[int, list[tuple[str, dict]]] = {}
    for unit_id, case_id, text in cases:
        outcomes.setdefault(unit_id, []).append((case_id, json.loads(text or "{}")))
    order = {(c.id, i.id): (c.order, n) for c in checklists.values() for n, i in enumerate(c.items)}
    rows = []
    for r in results:
        checklist = checklists.get(r.checklist_id)
        if checklist is None or r.score is None or r.score >= r.max_points - 1e-9:
            continue
        item = checklist.item(r.item_id)
        rows.append(_row(r, checklist, item, outcomes.get(r.unit_id, []), order[(checklist.id, item.id)]))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["district", "order", "unit"], kind="stable").reset_index(drop=True)


def _row(r, checklist: Checklist, item: Item, cases: list[tuple[str, dict]], order) -> dict:
    base = {"district": r.district, "unit": r.name, "checklist_id": checklist.id, "checklist": checklist.title,
            "section": item.section, "item_id": item.id, "item_text": item.text, "severity": item.severity,
            "basis": item.basis, "kind": checklist.kind, "phrase": problem_phrase(item), "remarks": (r.remarks or "").strip(), "order": order}
    if checklist.kind == "case_file":
        applied = [(cid, o[item.id]) for cid, o in cases if item.id in o]
        failed = [cid for cid, ok in applied if not ok]
        return {**base, "result": f"{len(applied) - len(failed)}/{len(applied)} 份合格",
                "finding": case_finding(item, len(applied), len(failed)), "sampled": len(applied),
                "failed": len(failed), "case_ids": failed,
                "remarks": ""}  # the case numbers say it: the stored remark repeats them, cut short
    finding, result = unit_finding(item, r.value)
    return {**base, "result": result, "finding": finding, "sampled": 0, "failed": 0, "case_ids": []}


def _severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def group_findings(findings, units_total: int | None = None):
    """One row per item: the finding for all its 街镇, how many and which (most widespread first
    within a section; sections in checklist order).

    Columns: checklist, section, item_id, severity, units (list), finding, where, case_ids.
    """
    import pandas as pd

    rows = []
    for (_, item_id), part in findings.groupby(["order", "item_id"], sort=True):
        first = part.iloc[0]
        units = list(dict.fromkeys(part["unit"]))
        tags = [RECURRENCE_TAG if marked else "" for marked in is_marked(part)]
        if first["kind"] == "case_file":
            sampled, failed = int(part["sampled"].sum()), int(part["failed"].sum())
            text = f"抽查 {sampled} 份档案中 {failed} 份{first['phrase']}"
            # no-break spaces: "凤枫街道 1 份" never splits between the number and 份
            where = "、".join(f"{u}\u00a0{int(n)}\u00a0份{tag}" for u, n, tag in zip(part["unit"], part["failed"], tags))
            ids = [cid for ids in part["case_ids"] for cid in ids]
        else:
            text = f"{len(units)} 个街镇{first['phrase']}"
            where = "、".join(f"{u}{tag}" for u, tag in zip(part["unit"], tags))
            ids = []
        rows.append({"checklist": first["checklist"], "section": first["section"], "item_id": item_id,
                     "severity": first["severity"], "units": units, "finding": text, "where": where,
                     "case_ids": ids, "order": first["order"], "spread": len(units)})
    frame = pd.DataFrame(rows, columns=["checklist", "section", "item_id", "severity", "units", "finding",
                                        "where", "case_ids", "order", "spread"])
    if frame.empty:
        return frame
    frame["_section"] = [o[0] for o in frame["order"]]
    frame["_first"] = frame.groupby(["_section", "section"], sort=False)["order"].transform("min")
    frame["_sev"] = [_severity_rank(s) for s in frame["severity"]]
    frame = frame.sort_values(["_first", "_sev", "spread", "order"], ascending=[True, True, False, True],
                              kind="stable")
    return frame.drop(columns=["_section", "_first", "_sev"]).reset_index(drop=True)


def case_ids_text(ids: list[str], limit: int | None = None) -> str:
    """'A01-0010、A01-0022' (with limit: the first ``limit`` and '等 N 份')."""
    if limit is not None and len(ids) > limit:
        return "、".join(ids[:limit]) + f"等 {len(ids)} 份"
    return "、".join(ids)

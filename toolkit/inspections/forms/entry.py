"""Entering or correcting one 街镇's results outside Excel (the data-entry notebook uses this).

``load_submission`` rebuilds what is stored for a 街镇; ``save_submission`` runs the same checks
as the Excel import and writes all-or-nothing, recorded in the audit trail as 表单录入.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from toolkit.errors import ValidationFailed
from toolkit.inspections.store import store as st
from toolkit.inspections.intake.importer import ImportRecord, evaluate_submissions, write_submissions
from toolkit.inspections.store.rounds import RoundContext, UnitInfo
from toolkit.inspections.intake.submission import CaseFileRow, UnitSubmission
from toolkit.inspections.intake.validation import Location, check_submission, mask_problems

FIELD_LABELS = {"round": "检查轮次", "district": "被检查区", "unit": "被检查街镇", "team": "检查组",
                "inspectors": "检查人员", "inspected_on": "检查日期", "versions": "检查表版本", "cases": "抽查档案"}


def load_submission(store, ctx: RoundContext, unit: UnitInfo) -> UnitSubmission:
    """The stored results of a 街镇, or an empty submission for it when none are stored yet."""
    engine = st.open_store(store, create=False)
    sub = UnitSubmission(round_id=ctx.round_id, district=unit.district, unit=unit.name,
                         team_district=ctx.teams.get(unit.district, ""), inspectors=[],
                         inspected_on=min(ctx.today, date(ctx.year, 12, 31)),
                         checklist_versions={cid: c.version_hash for cid, c in ctx.checklists.items()})
    where_round = st.unit_results.c.round_id == ctx.round_id
    with engine.connect() as conn:
        head = conn.execute(select(st.unit_results).where(where_round & (st.unit_results.c.unit_id == unit.id))
                            ).mappings().first()
        if head is None:
            return sub
        sub.inspectors = [n for n in head["inspectors"].split("、") if n]
        sub.inspected_on = head["inspected_on"]
        unit_checklists = {cid for cid, c in ctx.checklists.items() if c.kind == "unit"}
        for row in conn.execute(select(st.item_results).where(
                (st.item_results.c.round_id == ctx.round_id) & (st.item_results.c.unit_id == unit.id))).mappings():
            if row["checklist_id"] in unit_checklists:
                sub.items[(row["checklist_id"], row["item_id"])] = (row["value"], row["remarks"])
        for row in conn.execute(select(st.case_checks).where(
                (st.case_checks.c.round_id == ctx.round_id) & (st.case_checks.c.unit_id == unit.id))
                .order_by(st.case_checks.c.case_id)).mappings():
            sub.case_files.append(CaseFileRow.from_json(row["case_id"], row["head_name"], row["id_number"],
                                                        row["phone"], json.loads(row["record"])))
    return sub


def locate_field(ctx: RoundContext, sub: UnitSubmission):
    """Where a problem is, named by the widget's field labels."""
    def locate(key) -> Location:
        if isinstance(key, tuple) and key[0] == "item":
            return Location(sheet=ctx.checklists[key[1]].title, field=f"检查项 {key[2]}")
        if isinstance(key, tuple) and key[0] == "case":
            return Location(sheet="抽查档案", field=f"第 {key[1] + 1} 份（{sub.case_files[key[1]].case_id}）")
        return Location(field=FIELD_LABELS.get(key, str(key)))
    return locate


def save_submission(store, ctx: RoundContext, sub: UnitSubmission, imported_by: str | None = None
                    ) -> ImportRecord:
    """Check like the Excel import; write only when there is no problem at all."""
    problems = check_submission(sub, ctx, locate_field(ctx, sub))
    outcomes = None
    if not problems:
        outcomes, problems = evaluate_submissions(ctx, [sub])
    if problems:
        raise ValidationFailed(f"发现 {len(problems)} 处问题，未保存（数据库保持不变）：",
                               problems=[str(p) for p in mask_problems(problems, {r.head_name for r in sub.case_files})])
    sub.source = "表单录入"
    return write_submissions(st.open_store(store, create=False), ctx, [sub], imported_by, outcomes=outcomes)[0]

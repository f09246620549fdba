"""The mutual-inspection plan: which district's team inspects which district, and the case-file sample.

- Teams: the districts in a seeded random order form one cycle — each team inspects the next
  district — so no team inspects its own district, no two districts inspect each other (A↔B)
  when there are three or more, and every team inspects exactly one district.
- Sample: per 街镇, ``n = min(N, max(20, ⌈10 % × N⌉), 60)`` 低保 case files, stratified into
  new cases (accepted in the round's year) and existing ones, allocated proportionally (largest
  remainder, at least one per non-empty stratum), drawn with a seed derived by SHA-256 from
  (seed, round, 街镇), so the same seed always gives the same sample.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import delete, insert, select

from toolkit import SAMPLE_MARK
from toolkit.checklists import Checklist
from toolkit.inspections.store import store as st
from toolkit.cells import safe_row
from toolkit.files import save_workbook
from toolkit.inspections.store.rounds import RoundError, ensure_round, round_year

SAMPLE_RULE = ("每个街镇抽取 n = min(N, max(20, ⌈N × 10%⌉), 60) 份低保档案（N 为该街镇在抽样日 {on} 在保的低保户数："
               "停保、终止的按停保/终止日期判断抽样日是否在保；不予批准的档案{refused}），"
               "按“本年新增 / 往年存量”分层、按比例分配（每层至少 1 份），用随机种子可复现地抽取。")
REFUSED_RULE = {True: "也计入（档案核查表有针对不予批准的检查项），限抽样日所在年度作出决定的",
                False: "不计入（档案核查表没有针对不予批准的检查项）"}


def default_sampling_date(round_id: str) -> date:
    """30 November of the round's year (the sampling date unless ``--sampling-date`` gives one)."""
    return date(round_year(round_id), 11, 30)


KIND_RULE = {
    "各区互检": "规则：各区检查组按随机顺序循环互检——不检查本区，不出现两区互查，每个检查组检查一个区。",
    "区级督导": "规则：区级督导——由本区检查组检查本区全部街镇。",
    "自查": "规则：街镇自查——每个街镇检查本街镇，抽样名单为本街镇的档案。",
}


@dataclass
class Plan:
    round_id: str
    seed: int
    assignments: list[tuple[str, str]]           # (inspected district, team district)
    sample: pd.DataFrame                          # district, unit, case_id, stratum
    path: Path | None = None
    kind: str = "各区互检"
    sampling_date: date | None = None             # the frame is the households 在保 on this date
    refused: bool = False                         # 不予批准 files in the frame (a checklist asks)


def stable_seed(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def assign_teams(districts: list[str], seed: int) -> list[tuple[str, str]]:
    """(inspected, team) pairs: one cycle over a seeded shuffle of the districts."""
    if len(districts) < 3:
        raise RoundError(f"互检至少需要 3 个区（现有 {len(districts)} 个：{'、'.join(districts)}），否则无法避免两区互查。"
                         "区内检查请用 --kind 区级督导（多个区时加 --district 区）或 --kind 自查。")
    order = list(np.random.default_rng(seed).permutation(sorted(districts)))
    return sorted((order[(i + 1) % len(order)], order[i]) for i in range(len(order)))


def sample_size(population: int) -> int:
    return min(population, max(20, math.ceil(population * 0.10)), 60)


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation with largest remainders and at least one per non-empty stratum."""
    total = sum(sizes.values())
    if total == 0 or n == 0:
        return {k: 0 for k in sizes}
    quotas = {k: n * v / total for k, v in sizes.items()}
    alloc = {k: min(sizes[k], max(1 if sizes[k] else 0, math.floor(q))) for k, q in quotas.items()}
    order = sorted(sizes, key=lambda k: quotas[k] - math.floor(quotas[k]), reverse=True)
    while sum(alloc.values()) < n:
        for k in order:
            if sum(alloc.values()) < n and alloc[k] < sizes[k]:
                alloc[k] += 1
    while sum(alloc.values()) > n:
        k = max(alloc, key=lambda key: alloc[key] - quotas[key])
        alloc[k] -= 1
    return alloc


def draw_sample(households: pd.DataFrame, round_id: str, seed: int, on: date | None = None,
                refused: bool = False) -> pd.DataFrame:
    """Stratified sample per 街镇 from the frame on ``on`` (``frame.frame``; default 30 November of the
    round's year) of ``households`` [unit_id, district, unit, case_id, accepted_on, status, approved_on,
    ended_on]; ``refused``: 不予批准 files are in the frame too."""
    from toolkit.inspections.plan.frame import frame

    on = on or default_sampling_date(round_id)
    year = on.year
    pool = frame(households, on, refused).copy()
    pool["stratum"] = np.where(pd.to_datetime(pool["accepted_on"]).dt.year == year, "本年新增", "往年存量")
    picked = []
    for unit_id, group in pool.groupby("unit_id", sort=True):
        rng = np.random.default_rng(stable_seed(seed, round_id, unit_id))
        group = group.sort_values("case_id")
        sizes = group["stratum"].value_counts().to_dict()
        for stratum, k in allocate(sizes, sample_size(len(group))).items():
            members = group[group["stratum"] == stratum]
            if k:
                picked.append(members.iloc[np.sort(rng.choice(len(members), size=k, replace=False))])
    columns = ["unit_id", "district", "unit", "case_id", "stratum"]
    if not picked:
        return pd.DataFrame(columns=columns)
    return pd.concat(picked)[columns].sort_values(["district", "unit", "case_id"]).reset_index(drop=True)


FRAME_COLUMNS = ["unit_id", "district", "unit", "case_id", "accepted_on", "status", "approved_on", "ended_on"]


def _households(conn) -> pd.DataFrame:
    h = st.households
    query = (select(st.units.c.id.label("unit_id"), st.units.c.district, st.units.c.name.label("unit"),
                    h.c.case_id, h.c.accepted_on, h.c.status, h.c.approved_on, h.c.ended_on)
             .join(h, h.c.unit_id == st.units.c.id))
    return st.read_frame(conn, query, FRAME_COLUMNS)


def make_plan(store, round_id: str, checklists: dict[str, Checklist], seed: int = 1,
              out_dir: Path | None = None, is_sample: bool | None = None, kind: str | None = None,
              district: str | None = None, sampling_date: date | None = None) -> Plan:
    """Record the plan and the sample for a round (re-planning is refused once results exist).

    ``kind``: 各区互检 (default with several districts), 区级督导 (default with one; ``district``
    picks it in a city-wide store) or 自查 (every 街镇 of ``district``, or of the whole store).
    """
    from toolkit.inspections.store.round_kinds import MUTUAL, resolve_scope
    engine = st.open_store(store, create=False)
    round_id = str(round_id)
    with engine.connect() as conn:
        districts = [r[0] for r in conn.execute(select(st.districts.c.name).order_by(st.districts.c.name))]
        households = _households(conn)
        has_results = conn.execute(select(st.unit_results.c.unit_id)
                                   .where(st.unit_results.c.round_id == round_id).limit(1)).first()
        sample_flag = conn.execute(select(st.settings.c.value).where(st.settings.c.key == "is_sample")).first()
    if not districts:
        raise RoundError("数据库中还没有区和街镇。请先导入名册，或用 jiuzhu sample-data 生成示例数据。")
    if has_results:
        raise RoundError(f"轮次“{round_id}”已有导入的检查结果，不能重新制定计划或重新抽样。")
    if is_sample is None:
        is_sample = bool(sample_flag and sample_flag[0] == "1")
    kind, covered = resolve_scope(kind, districts, district)
    if kind == MUTUAL:
        assignments = assign_teams(districts, stable_seed(seed, round_id, "teams"))
    else:                                       # the district's own team, or each 街镇 itself
        assignments = [(d, d) for d in covered]
    from toolkit.inspections.plan.frame import asks_for_refused, frame

    ensure_round(engine, round_id, checklists, is_sample=is_sample)
    on = sampling_date or default_sampling_date(round_id)
    refused = asks_for_refused(checklists)
    mine = households[households["district"].isin(covered)]
    sample = draw_sample(mine, round_id, seed, on, refused)
    with st.write_transaction(engine) as conn:
        conn.execute(st.rounds.update().where(st.rounds.c.id == round_id)
                     .values(kind=kind, scope="" if kind == MUTUAL else "、".join(covered)))
        conn.execute(delete(st.assignments).where(st.assignments.c.round_id == round_id))
        conn.execute(delete(st.samples).where(st.samples.c.round_id == round_id))
        conn.execute(insert(st.assignments), [{"round_id": round_id, "district": d, "team_district": t}
                                              for d, t in assignments])
        if len(sample):
            conn.execute(insert(st.samples), [
                {"round_id": round_id, "case_id": r.case_id, "unit_id": int(r.unit_id), "stratum": r.stratum}
                for r in sample.itertuples()])
    plan = Plan(round_id, seed, assignments, sample.drop(columns=["unit_id"]), kind=kind, sampling_date=on,
                refused=refused)
    if out_dir is not None:                    # N shown is the frame the sample was drawn from
        plan.path = write_plan_xlsx(plan, Path(out_dir) / "plan.xlsx", frame(mine, on, refused), is_sample)
    return plan


def write_plan_xlsx(plan: Plan, path: Path, households: pd.DataFrame, is_sample: bool) -> Path:
    wb = Workbook()
    mark = f"【{SAMPLE_MARK}】" if is_sample else ""
    ws = wb.active
    ws.title = "互检安排" if plan.kind == "各区互检" else "检查安排"
    ws.append(safe_row([mark + f"{plan.round_id} 年度社会救助督导检查 {plan.kind}安排（随机种子 {plan.seed}）"]))
    ws.append([KIND_RULE.get(plan.kind, KIND_RULE["各区互检"])])
    ws.append(["被检查区", "检查组（派出区）", "街镇数", "抽查档案数"])
    counts = plan.sample.groupby("district").agg(units=("unit", "nunique"), cases=("case_id", "size"))
    for district, team in plan.assignments:
        row = counts.loc[district] if district in counts.index else None
        ws.append(safe_row([district, team, int(row["units"]) if row is not None else 0,
                            int(row["cases"]) if row is not None else 0]))
    ws2 = wb.create_sheet("抽样名单")
    on = plan.sampling_date or default_sampling_date(plan.round_id)
    ws2.append([mark + "抽样规则：" + SAMPLE_RULE.format(on=f"{on.year}年{on.month}月{on.day}日", refused=REFUSED_RULE[plan.refused])])
    ws2.append(["区", "街镇", "低保户数（抽样框 N）", "抽取份数", "分层", "本层份数", "档案编号"])
    population = households.groupby(["district", "unit"]).size()
    for (district, unit), group in plan.sample.groupby(["district", "unit"], sort=True):
        for stratum, part in group.groupby("stratum"):
            ws2.append(safe_row([district, unit, int(population.get((district, unit), 0)), len(group), stratum,
                                 len(part), "、".join(part["case_id"])]))
    for sheet in (ws, ws2):
        for cell in sheet[3 if sheet is ws else 2]:
            cell.font = Font(bold=True)
        for letter, width in zip("ABCDEFG", [14, 18, 10, 10, 10, 10, 120]):
            sheet.column_dimensions[letter].width = width
    return save_workbook(wb, path)

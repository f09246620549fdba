"""Scores of a round as pandas DataFrames: the API the report notebooks call.

``load_round_scores(store, round_id, district=None)`` returns item → section → 街镇 → district
scores with grades and ranks, case-file compliance per 街镇 with a 95 % Wilson interval,
findings, and which team inspected which district.  Values are Chinese; names are masked.

Scoring: an item earns its recorded points; items that do not apply are left out of both the
score and the maximum.  Section, 街镇 and district percentages are ``score / max_points × 100``
summed over the applicable items of all checklists; grades use the checklists' bands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select

from toolkit.checklists import Checklist
from toolkit.inspections.store import store as st
from toolkit.inspections.store.rounds import RoundError, list_round_ids, require_round, round_checklists
from toolkit.privacy import mask_name

ITEM_COLUMNS = ["district", "unit", "checklist_id", "section", "item_id", "item_text", "method", "score",
                "max_points", "severity", "basis", "remarks"]
FINDING_COLUMNS = ["district", "unit", "checklist_id", "item_id", "item_text", "section", "severity", "basis",
                   "remarks"]
OVERALL = "overall"


@dataclass
class RoundScores:
    round_id: str
    is_sample: bool
    checklists: pd.DataFrame      # checklist_id, title, version_hash
    items: pd.DataFrame           # ITEM_COLUMNS (applicable items only)
    sections: pd.DataFrame        # district, unit, checklist_id, section, score, max_points, pct
    units: pd.DataFrame           # district, unit, score, max_points, pct, grade
    districts: pd.DataFrame       # district, score, max_points, pct, grade, rank
    case_files: pd.DataFrame      # district, unit, sampled, compliant, rate, ci_low, ci_high
    findings: pd.DataFrame        # FINDING_COLUMNS: items below full marks
    inspectors: pd.DataFrame      # district, team_district, inspectors (masked)
    grade_bands: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    """Per checklist id, [(grade, min_pct)] from the highest band down; key ``"overall"``: the
    bands used for 街镇 and district grades."""


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion; (nan, nan) when n is 0."""
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _bands(checklist: Checklist) -> list[tuple[str, float]]:
    return [(b.grade, b.min_pct) for b in sorted(checklist.grade_bands, key=lambda b: -b.min_pct)]


def _grade(pct: float, bands: list[tuple[str, float]]) -> str:
    for grade, minimum in bands:
        if pct >= minimum - 1e-9:
            return grade
    return bands[-1][0]


def list_rounds(store) -> list[str]:
    """Round ids, oldest first."""
    return list_round_ids(st.open_store(store, create=False))


def list_districts(store, round_id: str) -> list[str]:
    """Districts with results in the round."""
    engine = st.open_store(store, create=False)
    require_round(engine, round_id)
    with engine.connect() as conn:
        rows = conn.execute(select(st.units.c.district).distinct()
                            .join(st.unit_results, st.unit_results.c.unit_id == st.units.c.id)
                            .where(st.unit_results.c.round_id == str(round_id)).order_by(st.units.c.district))
        return [r[0] for r in rows]


def previous_round(store, round_id: str) -> str | None:
    """The round before ``round_id`` (by year, then id), or None."""
    rounds = list_rounds(store)
    if str(round_id) not in rounds:
        require_round(st.open_store(store, create=False), round_id)
    index = rounds.index(str(round_id))
    return rounds[index - 1] if index > 0 else None


def _pct(frame: pd.DataFrame) -> pd.Series:
    return (frame["score"] / frame["max_points"] * 100).round(1)


def load_round_scores(store, round_id: str, district: str | None = None) -> RoundScores:
    engine = st.open_store(store, create=False)
    round_id = str(round_id)
    info = require_round(engine, round_id)
    checklists = round_checklists(engine, round_id)
    if district is not None:
        known = list_districts(engine, round_id)
        if district not in known:
            raise RoundError(f"区“{district}”在轮次 {round_id} 中没有检查结果。可选：{'、'.join(known) or '（无）'}")
    with engine.connect() as conn:
        unit_filter = st.units.c.district == district if district else True
        results = st.read_frame(conn,
            select(st.units.c.district, st.units.c.name.label("unit"), st.item_results.c.checklist_id,
                   st.item_results.c.item_id, st.item_results.c.score, st.item_results.c.max_points,
                   st.item_results.c.remarks)
            .join(st.units, st.units.c.id == st.item_results.c.unit_id)
            .where((st.item_results.c.round_id == round_id) & unit_filter),
            ["district", "unit", "checklist_id", "item_id", "score", "max_points", "remarks"])
        cases = st.read_frame(conn,
            select(st.units.c.district, st.units.c.name.label("unit"), st.case_checks.c.compliant)
            .join(st.units, st.units.c.id == st.case_checks.c.unit_id)
            .where((st.case_checks.c.round_id == round_id) & unit_filter),
            ["district", "unit", "compliant"])
        teams = st.read_frame(conn,
            select(st.units.c.district, st.unit_results.c.team_district, st.unit_results.c.inspectors)
            .join(st.units, st.units.c.id == st.unit_results.c.unit_id)
            .where((st.unit_results.c.round_id == round_id) & unit_filter),
            ["district", "team_district", "inspectors"])

    meta = pd.DataFrame([{"checklist_id": c.id, "item_id": i.id, "section": i.section, "item_text": i.text,
                          "method": i.method, "severity": i.severity, "basis": i.basis,
                          "order": n}
                         for c in checklists.values() for n, i in enumerate(c.items)])
    items = results.dropna(subset=["score"]).merge(meta, on=["checklist_id", "item_id"], how="left")
    items = items.sort_values(["district", "unit", "checklist_id", "order"]).reset_index(drop=True)

    sections = (items.groupby(["district", "unit", "checklist_id", "section"], sort=False)[["score", "max_points"]]
                .sum().reset_index())
    sections["pct"] = _pct(sections)

    bands = {cid: _bands(c) for cid, c in checklists.items()}
    overall = bands.get("town_street") or next(iter(bands.values()))
    bands[OVERALL] = overall
    units = items.groupby(["district", "unit"], sort=True)[["score", "max_points"]].sum().reset_index()
    units["pct"] = _pct(units)
    units["grade"] = units["pct"].map(lambda p: _grade(p, overall))
    districts = items.groupby("district", sort=True)[["score", "max_points"]].sum().reset_index()
    districts["pct"] = _pct(districts)
    districts["grade"] = districts["pct"].map(lambda p: _grade(p, overall))
    districts["rank"] = districts["pct"].rank(ascending=False, method="min").astype(int)
    districts = districts.sort_values(["rank", "district"]).reset_index(drop=True)

    grouped = cases.groupby(["district", "unit"], sort=True)["compliant"]
    case_files = grouped.agg(sampled="size", compliant="sum").reset_index()
    case_files["compliant"] = case_files["compliant"].astype(int)
    case_files["rate"] = (case_files["compliant"] / case_files["sampled"]).round(4)
    intervals = [wilson_interval(k, n) for k, n in zip(case_files["compliant"], case_files["sampled"])]
    case_files["ci_low"] = [round(low, 4) for low, _ in intervals]
    case_files["ci_high"] = [round(high, 4) for _, high in intervals]

    findings = items[items["score"] < items["max_points"] - 1e-9][FINDING_COLUMNS].reset_index(drop=True)

    inspectors = (teams.assign(names=teams["inspectors"].str.split("、"))
                  .groupby(["district", "team_district"], sort=True)["names"]
                  .agg(lambda lists: "、".join(dict.fromkeys(mask_name(n) for names in lists for n in names if n)))
                  .reset_index().rename(columns={"names": "inspectors"}))

    return RoundScores(
        round_id=round_id, is_sample=bool(info["is_sample"]),
        checklists=pd.DataFrame([{"checklist_id": c.id, "title": c.title, "version_hash": c.version_hash}
                                 for c in checklists.values()]),
        items=items[ITEM_COLUMNS], sections=sections, units=units, districts=districts,
        case_files=case_files, findings=findings, inspectors=inspectors, grade_bands=bands)

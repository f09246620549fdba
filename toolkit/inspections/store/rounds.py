"""Rounds and what an import is checked against: the round's districts, 街镇, plan, sample and checklists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select

from toolkit.checklists import Checklist
from toolkit.inspections.store import store as st
from toolkit.inspections.store.round_kinds import RoundError  # noqa: F401 (defined beside the round kinds, imported from here)


@dataclass
class UnitInfo:
    id: int
    district: str
    name: str
    unit_type: str


@dataclass
class RoundContext:
    """Everything an import of one round is validated against."""
    round_id: str
    year: int
    is_sample: bool
    checklists: dict[str, Checklist]                      # the versions this round is scored with
    units: dict[tuple[str, str], UnitInfo]                # (district, unit name) -> unit
    teams: dict[str, str]                                 # inspected district -> team district
    sample: dict[int, list[str]] = field(default_factory=dict)   # unit id -> sampled case ids
    today: date = field(default_factory=date.today)
    kind: str = "各区互检"                                 # 各区互检 | 区级督导 | 自查 (round_kinds)

    def team_for(self, district: str, unit: str) -> str:
        from toolkit.inspections.store.round_kinds import team_for

        return team_for(self.kind, self.teams, district, unit)

    @property
    def districts(self) -> list[str]:
        return sorted({d for d, _ in self.units})

    def units_of(self, district: str) -> list[str]:
        return [name for d, name in self.units if d == district]


def round_year(round_id: str) -> int:
    digits = "".join(ch for ch in str(round_id) if ch.isdigit())[:4]
    if len(digits) != 4:
        raise RoundError(f"轮次“{round_id}”无效：轮次编号须以四位年份开头，例如 2019 或 2019-下半年。")
    return int(digits)


def list_round_ids(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(st.rounds.c.id).order_by(st.rounds.c.year, st.rounds.c.id))]


def require_round(engine, round_id: str) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(st.rounds).where(st.rounds.c.id == str(round_id))).mappings().first()
    if row is None:
        known = "、".join(list_round_ids(engine)) or "（尚无轮次，请先运行 jiuzhu inspect plan）"
        raise RoundError(f"轮次“{round_id}”不存在。已有轮次：{known}")
    return dict(row)


def ensure_round(engine, round_id: str, checklists: dict[str, Checklist], is_sample: bool = False) -> None:
    """Create the round if new and fix the checklist versions it is scored with.

    A round that already has results keeps its versions: editing a checklist never re-scores it.
    """
    year = round_year(round_id)
    with st.write_transaction(engine) as conn:
        exists = conn.execute(select(st.rounds.c.id).where(st.rounds.c.id == round_id)).first()
        if not exists:
            conn.execute(insert(st.rounds).values(id=round_id, title=f"{round_id} 年度社会救助督导检查",
                                                  year=year, is_sample=is_sample, created_at=st.now()))
        current = dict(conn.execute(select(st.round_checklists.c.checklist_id, st.round_checklists.c.version_hash)
                                    .where(st.round_checklists.c.round_id == round_id)).all())
        has_results = conn.execute(select(st.unit_results.c.unit_id)
                                   .where(st.unit_results.c.round_id == round_id).limit(1)).first()
        wanted = {cid: c.version_hash for cid, c in checklists.items()}
        if has_results and current != wanted:
            changed = "、".join(sorted(k for k in set(current) | set(wanted) if current.get(k) != wanted.get(k)))
            raise RoundError(f"轮次“{round_id}”已有导入结果，其检查表（{changed}）版本与当前文件不同。"
                             "已导入的结果不会按新版本重新计分；如需使用新版检查表，请新建一个轮次。")
        conn.execute(st.round_checklists.delete().where(st.round_checklists.c.round_id == round_id))
        for cid, checklist in checklists.items():
            conn.execute(insert(st.round_checklists).values(round_id=round_id, checklist_id=cid,
                                                            version_hash=checklist.version_hash))
            known = conn.execute(select(st.checklist_versions.c.version_hash).where(
                (st.checklist_versions.c.checklist_id == cid)
                & (st.checklist_versions.c.version_hash == checklist.version_hash))).first()
            if not known:
                conn.execute(insert(st.checklist_versions).values(
                    checklist_id=cid, version_hash=checklist.version_hash, title=checklist.title,
                    content=checklist.yaml_text))


def round_checklists(engine, round_id: str) -> dict[str, Checklist]:
    """The checklist versions a round is scored with, rebuilt from the texts kept in the store."""
    from toolkit.checklists import parse_checklist
    from toolkit.checklists.loader import by_order

    with engine.connect() as conn:
        rows = conn.execute(
            select(st.round_checklists.c.checklist_id, st.checklist_versions.c.content)
            .join(st.checklist_versions, (st.checklist_versions.c.checklist_id == st.round_checklists.c.checklist_id)
                  & (st.checklist_versions.c.version_hash == st.round_checklists.c.version_hash))
            .where(st.round_checklists.c.round_id == round_id)).all()
    if not rows:
        raise RoundError(f"轮次“{round_id}”尚未确定检查表，请先运行 jiuzhu inspect plan --round {round_id}。")
    return by_order(parse_checklist(text, f"{cid}.yaml（轮次 {round_id} 使用的版本）") for cid, text in rows)


def load_context(engine, round_id: str, today: date | None = None) -> RoundContext:
    info = require_round(engine, round_id)
    checklists = round_checklists(engine, round_id)
    with engine.connect() as conn:
        units = {(r.district, r.name): UnitInfo(r.id, r.district, r.name, r.unit_type)
                 for r in conn.execute(select(st.units))}
        teams = dict(conn.execute(select(st.assignments.c.district, st.assignments.c.team_district)
                                  .where(st.assignments.c.round_id == round_id)).all())
        sample: dict[int, list[str]] = {}
        for unit_id, case_id in conn.execute(select(st.samples.c.unit_id, st.samples.c.case_id)
                                             .where(st.samples.c.round_id == round_id)
                                             .order_by(st.samples.c.unit_id, st.samples.c.case_id)):
            sample.setdefault(unit_id, []).append(case_id)
    if not teams:
        raise RoundError(f"轮次“{round_id}”还没有互检计划，请先运行 jiuzhu inspect plan --round {round_id}。")
    covered = set(teams)
    return RoundContext(round_id=round_id, year=info["year"], is_sample=bool(info["is_sample"]),
                        checklists=checklists, units={k: u for k, u in units.items() if k[0] in covered},
                        teams=teams, sample=sample, today=today or date.today(),
                        kind=info.get("kind") or "各区互检")


"""Training feeds the inspection: the 培训台账 proposes the result of the training item in each form.

``jiuzhu inspect forms --training 培训台账.xlsx`` reads the ledger the course writes (sheet
培训台账: one row per trainee and exercise with 街镇, 村居, 提交时间, 是否通过), works out per 街镇
the trainees on the roster, the 村居 reached, completion and pass rates and dates, and writes a
**proposed** result into the item 街镇对村（居）社会救助干部开展培训 (:data:`ITEM`) with its
source in the 备注 cell.  The inspectors confirm or change it; :func:`proposal_outcomes` shows
after the import which proposals were kept (采纳) and which changed (修改).  Only the one item
is proposed: the ledger does not tell 街镇 staff from village cadres, so the item on the
district's training of 街镇 staff (TS-24) is left to the inspectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select

from toolkit.errors import InputError
from toolkit.inspections import store as st

CHECKLIST, ITEM = "town_street", "TS-25"
LEDGER_SHEET = "培训台账"
LEDGER_COLUMNS = ("学员编号", "街镇", "村居", "提交时间", "是否通过")
PASSED, NOT_SUBMITTED = "通过", "未提交"
KEPT, CHANGED, NOT_IMPORTED = "采纳", "修改", "未导入"
REMARK = ("【建议值，来源：{file}】学员 {trainees} 人，{reached}/{villages} 个村居有学员完成练习，"
          "完成率 {done:.0%}，通过率 {passed:.0%}{dates}。请检查组核实后确认或修改")


@dataclass(frozen=True)
class TownFacts:
    town: str
    trainees: int
    villages: int
    reached: int            # 村居 with at least one submitted exercise
    done: float             # submitted / due
    passed: float           # passed / due
    first: str | None
    last: str | None


def read_ledger(path: Path) -> dict[str, TownFacts]:
    """Per 街镇 facts from a 培训台账.xlsx written by ``jiuzhu course report``."""
    import pandas as pd

    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=LEDGER_SHEET, header=None, dtype=object, engine="openpyxl")
    except Exception as err:  # noqa: BLE001 - unreadable or no such sheet
        raise InputError(f"培训台账 {path.name}", path.name, f"无法读取工作表“{LEDGER_SHEET}”（{err.__class__.__name__}）",
                         "请给出 jiuzhu course report 生成的 培训台账.xlsx") from None
    header = next((i for i in range(min(len(raw), 10)) if set(LEDGER_COLUMNS) <= set(raw.iloc[i].astype(str))), None)
    if header is None:
        raise InputError(f"培训台账 {path.name} 工作表“{LEDGER_SHEET}”", path.name,
                         f"缺少表头（{'、'.join(LEDGER_COLUMNS)}）", "请给出 jiuzhu course report 生成的 培训台账.xlsx")
    frame = raw.iloc[header + 1:].set_axis(list(raw.iloc[header].astype(str)), axis=1)
    frame = frame[frame["学员编号"].notna()]
    facts = {}
    for town, part in frame.groupby("街镇", sort=True):
        submitted = part[part["是否通过"] != NOT_SUBMITTED]
        times = sorted(str(t)[:10] for t in submitted["提交时间"].dropna())
        facts[str(town)] = TownFacts(
            str(town), part["学员编号"].nunique(), part["村居"].nunique(), submitted["村居"].nunique(),
            len(submitted) / len(part), int((part["是否通过"] == PASSED).sum()) / len(part),
            times[0] if times else None, times[-1] if times else None)
    return facts


def propose(item, facts: TownFacts | None) -> str:
    """The level the facts support: the full-marks level when every 村居 was reached, none when none."""
    levels = sorted(item.levels, key=lambda level: level.points, reverse=True)
    if facts is None or facts.reached == 0:
        return levels[-1].label
    return levels[0].label if facts.reached >= facts.villages else levels[len(levels) // 2].label


def remark(facts: TownFacts | None, source: str) -> str:
    if facts is None:
        return f"【建议值，来源：{source}】培训台账中没有本街镇的学员。请检查组核实后确认或修改"
    dates = f"，提交时间 {facts.first} 至 {facts.last}" if facts.first else ""
    return REMARK.format(file=source, trainees=facts.trainees, reached=facts.reached, villages=facts.villages,
                         done=facts.done, passed=facts.passed, dates=dates)


def write_forms_with_training(store, round_id: str, out_dir: Path, districts: list[str] | None,
                              ledger: Path) -> list[Path]:
    """``commands.write_forms`` with the training item proposed from ``ledger`` (read first: a bad
    ledger writes no form)."""
    from toolkit.inspections.commands import write_forms
    from toolkit.inspections.forms import form_filename
    from toolkit.inspections.rounds import load_context

    facts = read_ledger(ledger)
    paths = write_forms(store, round_id, out_dir, districts)
    ctx = load_context(st.open_store(store, create=False), str(round_id))
    wanted = set(paths)
    forms = {key: Path(out_dir) / form_filename(ctx, unit) for key, unit in ctx.units.items()
             if Path(out_dir) / form_filename(ctx, unit) in wanted}
    prefill_forms(store, round_id, forms, facts, Path(ledger).name)
    return paths


def prefill_forms(store, round_id: str, forms: dict, facts: dict[str, TownFacts], source: str) -> int:
    """Write the proposal into each form (``forms``: (区, 街镇) → path) and record it; returns how many."""
    from openpyxl import load_workbook

    from toolkit.files import save_workbook
    from toolkit.inspections.forms import FIRST_ROW, REMARK_COL, RESULT_COL
    from toolkit.inspections.rounds import load_context

    engine = st.open_store(store, create=False)
    ctx = load_context(engine, str(round_id))
    checklist = ctx.checklists.get(CHECKLIST)
    if checklist is None or ITEM not in {i.id for i in checklist.items}:
        return 0
    item = checklist.item(ITEM)
    row = FIRST_ROW + [i.id for i in checklist.items].index(ITEM)
    records = []
    for key, path in forms.items():
        unit = ctx.units[key]
        found = facts.get(unit.name)
        value, note = propose(item, found), remark(found, source)
        wb = load_workbook(path)
        ws = wb[checklist.title[:31]]
        ws.cell(row=row, column=RESULT_COL, value=value)
        ws.cell(row=row, column=REMARK_COL, value=note)
        save_workbook(wb, Path(path))
        records.append({"round_id": str(round_id), "unit_id": unit.id, "checklist_id": CHECKLIST, "item_id": ITEM,
                        "proposed": value, "source": note, "created_at": st.now()})
    t = st.training_proposals
    with st.write_transaction(engine) as conn:
        conn.execute(delete(t).where((t.c.round_id == str(round_id)) & t.c.unit_id.in_([r["unit_id"] for r in records])))
        if records:
            conn.execute(insert(t), records)
    return len(records)


def proposal_outcomes(store, round_id: str):
    """Per proposal: 区, 街镇, 检查项, 建议值, 导入值, 处理 (采纳 / 修改 / 未导入), 来源."""
    import pandas as pd

    engine = st.open_store(store, create=False)
    t, r, u = st.training_proposals, st.item_results, st.units
    query = (select(u.c.district, u.c.name, t.c.item_id, t.c.proposed, r.c.value, t.c.source)
             .join(u, u.c.id == t.c.unit_id)
             .outerjoin(r, (r.c.round_id == t.c.round_id) & (r.c.unit_id == t.c.unit_id)
                        & (r.c.checklist_id == t.c.checklist_id) & (r.c.item_id == t.c.item_id))
             .where(t.c.round_id == str(round_id)).order_by(u.c.district, u.c.name))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([{"区": d, "街镇": n, "检查项": i, "建议值": p, "导入值": v,
                          "处理": NOT_IMPORTED if v is None else (KEPT if v == p else CHANGED), "来源": s}
                         for d, n, i, p, v, s in rows],
                        columns=["区", "街镇", "检查项", "建议值", "导入值", "处理", "来源"])

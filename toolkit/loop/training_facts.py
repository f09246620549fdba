"""Training feeds the inspection: the 培训台账 proposes the results of the training items in each form.

``jiuzhu inspect forms --training 培训台账.xlsx`` reads the ledger the course writes (sheet
培训台账: one row per trainee and exercise with 街镇, 村居, 培训对象, 提交时间, 是否通过), works out
per 街镇 and audience the trainees on the roster, the 村居 reached, completion and pass rates and
dates, and writes **proposed** results with their source in the 备注 cell: the village cadres'
rows propose 街镇对村（居）社会救助干部开展培训 (TS-25, :data:`CADRE_ITEM`), the 街镇 staff rows
街镇经办人员参加区民政局组织的业务培训 (TS-24, :data:`STAFF_ITEM`).  The audiences are those of
:mod:`toolkit.policy.audiences`.  A ledger without the 培训对象 column (written before it existed)
or without any 街镇 staff proposes TS-25 from all its rows and leaves TS-24 to the inspectors.
The inspectors confirm or change a proposal; :func:`toolkit.reports.compose.training_figures.proposal_outcomes` shows after the import
which proposals were kept (采纳) and which changed (修改).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert

from toolkit.errors import InputError
from toolkit.inspections.store import store as st
from toolkit.policy.audiences import TOWN_STAFF, VILLAGE_CADRE

CHECKLIST, CADRE_ITEM, STAFF_ITEM = "town_street", "TS-25", "TS-24"
LEDGER_SHEET = "培训台账"
LEDGER_COLUMNS = ("学员编号", "街镇", "村居", "提交时间", "是否通过")
AUDIENCE_COLUMN = "培训对象"
PASSED, NOT_SUBMITTED = "通过", "未提交"
REMARK = ("【建议值，来源：{file}】{who} {trainees} 人，{reached}/{villages} 个村居有学员完成练习，"
          "完成率 {done:.0%}，通过率 {passed:.0%}{dates}。请检查组核实后确认或修改")
STAFF_REMARK = ("【建议值，来源：{file}】街镇经办人员 {trainees} 人，{took_part} 人完成练习，"
                "完成率 {done:.0%}，通过率 {passed:.0%}{dates}。请检查组核实后确认或修改")
NONE_REMARK = "【建议值，来源：{file}】培训台账中没有本街镇的{who}。请检查组核实后确认或修改"
NO_STAFF_NOTE = ("培训台账 {file} 未区分街镇经办人员和村居干部（没有“培训对象”列或没有街镇经办人员的行）："
                 "只预填 TS-25，TS-24（街镇经办人员参加区级培训）由检查组填写")


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
    took_part: int = 0      # trainees with at least one submitted exercise


@dataclass(frozen=True)
class LedgerFacts:
    """Per 街镇 facts of the two audiences; ``staff`` is None when the ledger does not tell them apart
    (then ``cadres`` holds every row, as before the 培训对象 column)."""
    cadres: dict[str, TownFacts]
    staff: dict[str, TownFacts] | None


def read_ledger_facts(path: Path) -> LedgerFacts:
    """Per 街镇 facts of the 街镇 staff and of the village cadres (:class:`LedgerFacts`)."""
    frame = _ledger_rows(path)
    if AUDIENCE_COLUMN not in frame.columns or not (frame[AUDIENCE_COLUMN] == TOWN_STAFF).any():
        return LedgerFacts(_town_facts(frame), None)
    audience = frame[AUDIENCE_COLUMN].fillna("").astype(str)
    return LedgerFacts(_town_facts(frame[audience != TOWN_STAFF]), _town_facts(frame[audience == TOWN_STAFF]))


def _ledger_rows(path: Path):
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
    return frame[frame["学员编号"].notna()]


def _town_facts(frame) -> dict[str, TownFacts]:
    facts = {}
    for town, part in frame.groupby("街镇", sort=True):
        submitted = part[part["是否通过"] != NOT_SUBMITTED]
        times = sorted(str(t)[:10] for t in submitted["提交时间"].dropna())
        facts[str(town)] = TownFacts(
            str(town), part["学员编号"].nunique(), part["村居"].nunique(), submitted["村居"].nunique(),
            len(submitted) / len(part), int((part["是否通过"] == PASSED).sum()) / len(part),
            times[0] if times else None, times[-1] if times else None, submitted["学员编号"].nunique())
    return facts


def propose(item, facts: TownFacts | None) -> str:
    """The level the facts support: the full-marks level when every 村居 was reached, none when none."""
    levels = sorted(item.levels, key=lambda level: level.points, reverse=True)
    if facts is None or facts.reached == 0:
        return levels[-1].label
    return levels[0].label if facts.reached >= facts.villages else levels[len(levels) // 2].label


def propose_staff(item, facts: TownFacts | None) -> str:
    """TS-24 (是/否): 是 when every 街镇 staff member on the ledger took part in the training."""
    yes, no = item.choices()
    return yes if facts is not None and facts.trainees and facts.took_part >= facts.trainees else no


def _dates(facts: TownFacts) -> str:
    """The first and last submission, in Chinese (the remark is printed on the form)."""
    if not facts.first:
        return ""
    first, last = (date.fromisoformat(str(d)[:10]) for d in (facts.first, facts.last))
    return f"，提交时间 {first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"


def remark(facts: TownFacts | None, source: str, who: str = "学员") -> str:
    if facts is None:
        return NONE_REMARK.format(file=source, who=who)
    return REMARK.format(file=source, who=who, trainees=facts.trainees, reached=facts.reached, villages=facts.villages,
                         done=facts.done, passed=facts.passed, dates=_dates(facts))


def staff_remark(facts: TownFacts | None, source: str) -> str:
    if facts is None:
        return NONE_REMARK.format(file=source, who=TOWN_STAFF)
    return STAFF_REMARK.format(file=source, trainees=facts.trainees, took_part=facts.took_part,
                               done=facts.done, passed=facts.passed, dates=_dates(facts))


def proposals_for(facts: LedgerFacts, source: str) -> list[tuple[str, object]]:
    """(item id, town → (propose(item), remark)) for each item the ledger can propose; the remark,
    printed on the form, names the ledger without its file extension (official writing)."""
    who = "学员" if facts.staff is None else VILLAGE_CADRE
    source = Path(source).stem
    found = [(CADRE_ITEM, lambda item, town: (propose(item, facts.cadres.get(town)),
                                              remark(facts.cadres.get(town), source, who)))]
    if facts.staff is not None:
        staff = facts.staff
        found.append((STAFF_ITEM, lambda item, town: (propose_staff(item, staff.get(town)),
                                                      staff_remark(staff.get(town), source))))
    return found


def write_forms_with_training(store, round_id: str, out_dir: Path, districts: list[str] | None,
                              ledger: Path, say=None) -> list[Path]:
    """``commands.write_forms`` with the training items proposed from ``ledger`` (read first: a bad
    ledger writes no form); ``say`` is told when TS-24 is left to the inspectors."""
    from toolkit.inspections.forms.commands import write_forms
    from toolkit.inspections.forms.forms import form_filename
    from toolkit.inspections.store.rounds import load_context

    facts = read_ledger_facts(ledger)
    if facts.staff is None and say is not None:
        say(NO_STAFF_NOTE.format(file=Path(ledger).name))
    paths = write_forms(store, round_id, out_dir, districts)
    ctx = load_context(st.open_store(store, create=False), str(round_id))
    wanted = set(paths)
    forms = {key: Path(out_dir) / form_filename(ctx, unit) for key, unit in ctx.units.items()
             if Path(out_dir) / form_filename(ctx, unit) in wanted}
    prefill_forms(store, round_id, forms, facts, Path(ledger).name)
    return paths


def prefill_forms(store, round_id: str, forms: dict, facts: LedgerFacts, source: str) -> int:
    """Write the proposals into each form (``forms``: (区, 街镇) → path) and record them; returns how many."""
    from openpyxl import load_workbook

    from toolkit.files import save_workbook
    from toolkit.inspections.forms.forms import FIRST_ROW, REMARK_COL, RESULT_COL
    from toolkit.inspections.store.rounds import load_context

    engine = st.open_store(store, create=False)
    ctx = load_context(engine, str(round_id))
    checklist = ctx.checklists.get(CHECKLIST)
    if checklist is None:
        return 0
    ids = [i.id for i in checklist.items]
    proposals = [(checklist.item(item_id), FIRST_ROW + ids.index(item_id), make)
                 for item_id, make in proposals_for(facts, source) if item_id in ids]
    records = []
    for key, path in forms.items():
        if not proposals:
            break
        unit = ctx.units[key]
        wb = load_workbook(path)
        ws = wb[checklist.title[:31]]
        for item, row, make in proposals:
            value, note = make(item, unit.name)
            ws.cell(row=row, column=RESULT_COL, value=value)
            ws.cell(row=row, column=REMARK_COL, value=note)
            records.append({"round_id": str(round_id), "unit_id": unit.id, "checklist_id": CHECKLIST,
                            "item_id": item.id, "proposed": value, "source": note, "created_at": st.now()})
        save_workbook(wb, Path(path))
    t = st.training_proposals
    with st.write_transaction(engine) as conn:
        conn.execute(delete(t).where((t.c.round_id == str(round_id)) & t.c.unit_id.in_([r["unit_id"] for r in records])))
        if records:
            conn.execute(insert(t), records)
    return len(records)


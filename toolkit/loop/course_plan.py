"""A round's findings → 培训计划.xlsx, 发布名单 and the hub course's trainees (``jiuzhu course plan``).

The loop joins the two flows: findings and the items' checks from the inspection store
(``toolkit.inspections``), the plan from :mod:`toolkit.loop.training_plan`, the workbook with the
reports' Excel exporter, the trainees from the roster and the hub.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InputError

BOOK = "培训计划.xlsx"
LISTS = "发布名单"


def round_findings(store, round_id: str, district: str | None = None):
    """(findings, item id → check) of a round, from the inspection store."""
    from toolkit.inspections.store import store as st
    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.store.rounds import round_checklists

    from sqlalchemy import select

    engine = st.open_store(store, create=False)
    findings = load_findings(engine, round_id, district)
    checks = {item.id: dict(item.check) for c in round_checklists(engine, str(round_id)).values() for item in c.items}
    with engine.connect() as conn:
        sample = bool(conn.execute(select(st.rounds.c.is_sample).where(st.rounds.c.id == str(round_id))).scalar())
    return findings, checks, sample


# kept in the workbook for programs (exercise and rule ids, commands, file names), not printed
CODES = ("练习", "规则", "发布命令", "名单文件")


TOWNS = "培训计划（各街镇）"
"""The folder of the per-街镇 plans: ``<区>/培训计划（<街镇>）.xlsx``."""
DETAIL_NOTE = "次数：档案类问题为不合格档案份数，其他问题为出现的街镇次数"
UNMATCHED_NOTE = "这些问题没有对应的练习，请在培训中另行安排"
RELEASE_NOTE = "姓名已脱敏，凭学员编号对应花名册；按练习发布给名单中的学员"


def write_plan(store, round_id: str, out: Path, district: str | None = None,
               roster: Path | None = None, assign: bool = False, audience: str | None = None
               ) -> tuple[Path, object, list[Path]]:
    """Write 培训计划.xlsx, the short roll-up (one row per 街镇; with ``roster``: its 发布名单
    sheet, of one ``audience`` or all; with ``assign`` too: the sheet 按练习发布 and one
    ``发布名单/<练习>.csv`` per exercise), and each 街镇's own plan under :data:`TOWNS`;
    returns (roll-up, plan, the 街镇 plans)."""
    from toolkit.inspections.store.round_kinds import round_title
    from toolkit.reports.export.export_xlsx import Sheet, write_workbook
    from toolkit import SAMPLE_MARK
    from toolkit.loop.training_plan import by_exercise, for_audience, release_list, rollup, training_plan, unmatched
    from toolkit.training.course.roster import read_roster_xlsx

    if (assign or audience) and not roster:
        raise InputError("--assign/--audience", "", "需要花名册", "请同时给出 --roster 花名册.xlsx（名单中的学员来自花名册）")
    people = for_audience(read_roster_xlsx(Path(roster)), audience) if roster else None   # a bad roster: nothing written

    findings, checks, sample = round_findings(store, round_id, district)
    plan = training_plan(findings, checks)
    others = unmatched(findings, checks)
    basis = f"依据{round_title(round_id)}督导检查发现的问题"
    title = f"培训计划（{basis}{'，' + district if district else ''}）"
    mark = [SAMPLE_MARK] if sample else []
    sheets = [Sheet("按街镇汇总", rollup(plan, others), lines=[
        title, *mark, "各练习列为该街镇应学这一练习所涉及的规则数（空白为不需要学）；每个街镇的培训计划"
                      "（应学练习的明细、无对应练习的问题和发布名单）一街镇一份，另行印发"],
        highlight=set(mark), hidden=CODES)]
    release = release_list(plan, people) if people is not None else None
    if assign:
        sheets.append(Sheet("按练习发布", by_exercise(release, LISTS), lines=[
            title, *mark, "每个练习的学员名单另存为名单文件（姓名已脱敏），供培训平台导入学员"],
            highlight=set(mark), hidden=CODES))
        write_lists(release, Path(out) / LISTS)
    towns = write_town_plans(plan, others, Path(out) / TOWNS, basis, mark, district, release)
    return write_workbook(Path(out) / BOOK, sheets), plan, towns


def write_town_plans(plan, others, folder: Path, basis: str, mark: list[str], district: str | None = None,
                     release=None) -> list[Path]:
    """One workbook per 街镇 (``<区>/培训计划（<街镇>）.xlsx``): its exercises with the rules, findings
    and basis behind them, its findings no exercise teaches, and (``release``) who of its trainees
    takes which exercise; plans of 街镇 no longer in the plan (of ``district``, or of the whole
    city) are removed."""
    from toolkit.files import safe_file_name
    from toolkit.reports.export.export_xlsx import Sheet, write_workbook
    from toolkit.loop.training_plan import towns_of, unit_label

    written = []
    for town_district, unit in _refuse_label_clash(towns_of(plan, others)):
        name = unit_label(unit)
        title = f"{town_district}{unit or '本级'}培训计划（{basis}）"

        def own(frame):
            return frame[(frame["区"] == town_district) & (frame["街镇"] == unit)].drop(columns=["区", "街镇"])

        sheets = [Sheet(name, own(frame), lines=[title, *mark, note], highlight=set(mark), hidden=CODES)
                  for name, frame, note in (("培训计划明细", plan, DETAIL_NOTE), ("无对应练习的问题", others, UNMATCHED_NOTE))]
        mine = release[release["街镇"] == unit].drop(columns=["街镇"]) if release is not None else None
        if mine is not None and len(mine):
            sheets.append(Sheet("发布名单", mine, lines=[title, *mark, RELEASE_NOTE], highlight=set(mark), hidden=CODES))
        written.append(write_workbook(folder / safe_file_name(town_district) / f"培训计划（{safe_file_name(name)}）.xlsx",
                                      sheets))
    scope = folder / district if district else folder
    for old in scope.glob("**/培训计划（*）.xlsx"):
        if old not in written:
            old.unlink()
    return written


def _refuse_label_clash(towns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A real 街镇 called 区本级 beside the district office's own findings would share one plan."""
    from toolkit.loop.training_plan import DISTRICT_OWN

    for district, unit in towns:
        if unit == DISTRICT_OWN and (district, "") in towns:
            raise InputError("街镇", unit, f"在{district}既是一个街镇的名称，又是不属于任何街镇的问题的归属，"
                                           "两者的培训计划会写进同一份文件", "请在单位名录和检查表中把该街镇改用正式名称")
    return towns


def write_lists(release, folder: Path) -> list[Path]:
    """One CSV per exercise (its trainees); lists of exercises no longer planned are removed."""
    from toolkit.files import write_text_atomic
    from toolkit.loop.training_plan import student_csv

    folder.mkdir(parents=True, exist_ok=True)
    wanted = sorted(set(release["练习"]))
    for old in folder.glob("*.csv"):
        if old.stem not in wanted:
            old.unlink()
    return [write_text_atomic(folder / f"{a}.csv", student_csv(release, a)) for a in wanted]


def hub_course(hub_root: Path, course_id: str):
    """The course ``course_id`` of an existing hub folder (never a new hub made by a typo)."""
    from toolkit.hub.layout import SETTINGS_NAME, open_hub

    if not (Path(hub_root) / SETTINGS_NAME).is_file():
        raise InputError("--hub", str(hub_root), f"不是平台目录（其中没有 {SETTINGS_NAME}）",
                         "请给出 jiuzhu hub start 建立的平台目录（默认 hub/）")
    hub = open_hub(hub_root)
    return hub, hub.course(course_id)


def assign_on_hub(hub_root: Path, course_id: str, roster: Path, plan, audience: str | None = None):
    """Add the planned trainees to the hub course's roster (its nbgrader students), which
    ``jiuzhu hub start`` loads as the members of group ``nbgrader-<course>``, and, when the hub is
    running, to that group at once (REST API); returns (course, trainees, added on the running hub)."""
    from toolkit.hub.members import add_to_course_group
    from toolkit.loop.training_plan import for_audience, planned_roster, release_list
    from toolkit.training.course.roster import read_roster_xlsx, save_roster

    hub, course = hub_course(hub_root, course_id)
    people = for_audience(read_roster_xlsx(Path(roster)), audience)
    chosen = planned_roster(release_list(plan, people), people)
    if chosen.trainees:
        from toolkit.training.course.course import ensure_venv_on_path

        ensure_venv_on_path()                  # nbgrader's gradebook runs alembic
        save_roster(chosen, course.db_url, course.id)
    live = add_to_course_group(hub, course, [t.id for t in chosen.trainees])
    return course, chosen.trainees, live

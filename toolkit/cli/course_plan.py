"""``jiuzhu course plan --from-round R``: a round's findings → 培训计划.xlsx (thin).

Composes the two flows at the CLI layer: findings and the items' checks from the inspection
store (``toolkit.inspections``), the plan from ``toolkit.training.plan``, the workbook with the
reports' Excel exporter.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InputError
from toolkit.policy.audiences import AUDIENCES

DESCRIPTION = """按一个检查轮次发现的问题制定培训计划：每个街镇的经办人员和村（居）干部应学哪些练习、为什么
（发现的问题、次数、依据）。问题与练习通过题目所考的规则编号对应（与练习反馈引用的规则相同）；
没有对应练习的问题单独列出。写出 培训计划.xlsx（按街镇汇总、培训计划明细、无对应练习的问题）。"""
BOOK = "培训计划.xlsx"
LISTS = "发布名单"


def register_plan(course_subparsers) -> None:
    from toolkit.cli.inspect import DEFAULT_STORE

    parser = course_subparsers.add_parser("plan", help="按检查发现的问题制定培训计划（培训计划.xlsx）",
                                          description=DESCRIPTION)
    parser.add_argument("--from-round", required=True, metavar="轮次", help="督导检查轮次")
    parser.add_argument("--district", default=None, metavar="区", help="只为一个区制定")
    parser.add_argument("--out", default=".", metavar="目录", help=f"{BOOK} 的输出目录（默认当前目录）")
    parser.add_argument("--roster", default=None, metavar="花名册.xlsx",
                        help="同时写出发布名单：花名册中这些街镇的每位学员应做的练习（工作表“发布名单”）")
    parser.add_argument("--assign", action="store_true",
                        help="按练习写出发布名单（发布名单/<练习>.csv，可用 nbgrader db student import 导入；"
                             "工作表“按练习发布”），需要 --roster")
    parser.add_argument("--hub", default=None, metavar="平台目录",
                        help="同时把名单中的学员放进 JupyterHub 平台（jiuzhu hub）上 --course 课程的学员名单和课程分组，"
                             "下次 jiuzhu hub start 生效；需要 --assign")
    parser.add_argument("--course", default=None, metavar="课程编号", help="与 --hub 一起用：平台上的课程编号（如 quji、jiezhen）")
    parser.add_argument("--audience", default=None, choices=AUDIENCES, metavar="培训对象",
                        help=f"发布名单只含花名册中这一类学员（按岗位：{'、'.join(AUDIENCES)}），"
                             "如区级培训课程只放街镇经办人员")
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="路径或URL", help=f"督导检查数据库（默认 {DEFAULT_STORE}）")
    parser.set_defaults(func=_plan)


def round_findings(store, round_id: str, district: str | None = None):
    """(findings, item id → check) of a round, from the inspection store."""
    from toolkit.inspections import store as st
    from toolkit.inspections.findings import load_findings
    from toolkit.inspections.rounds import round_checklists

    from sqlalchemy import select

    engine = st.open_store(store, create=False)
    findings = load_findings(engine, round_id, district)
    checks = {item.id: dict(item.check) for c in round_checklists(engine, str(round_id)).values() for item in c.items}
    with engine.connect() as conn:
        sample = bool(conn.execute(select(st.rounds.c.is_sample).where(st.rounds.c.id == str(round_id))).scalar())
    return findings, checks, sample


def write_plan(store, round_id: str, out: Path, district: str | None = None,
               roster: Path | None = None, assign: bool = False, audience: str | None = None) -> tuple[Path, object]:
    """Write 培训计划.xlsx (with ``roster``: its 发布名单 sheet, of one ``audience`` or all; with
    ``assign`` too: the sheet 按练习发布 and one ``发布名单/<练习>.csv`` per exercise)."""
    from toolkit.reports.export_xlsx import Sheet, write_workbook
    from toolkit import SAMPLE_MARK
    from toolkit.training.plan import by_exercise, for_audience, release_list, training_plan, unit_overview, unmatched
    from toolkit.training.roster import read_roster_xlsx

    if (assign or audience) and not roster:
        raise InputError("--assign/--audience", "", "需要花名册", "请同时给出 --roster 花名册.xlsx（名单中的学员来自花名册）")
    people = for_audience(read_roster_xlsx(Path(roster)), audience) if roster else None   # a bad roster: nothing written

    findings, checks, sample = round_findings(store, round_id, district)
    plan = training_plan(findings, checks)
    title = f"培训计划（依据轮次 {round_id} 督导检查发现的问题{'，' + district if district else ''}）"
    mark = [SAMPLE_MARK] if sample else []
    sheets = [Sheet(name, frame, lines=[title, *mark, *note], highlight=set(mark)) for name, frame, note in (
        ("按街镇汇总", unit_overview(plan), []),
        ("培训计划明细", plan, ["次数：档案类问题为不合格档案份数，其他问题为出现的街镇次数"]),
        ("无对应练习的问题", unmatched(findings, checks), ["这些问题没有对应的练习，请在培训中另行安排"]))]
    release = release_list(plan, people) if people is not None else None
    if release is not None:
        sheets.append(Sheet("发布名单", release, lines=[
            title, *mark, "姓名已脱敏，凭学员编号对应花名册；按练习发布给名单中的学员"], highlight=set(mark)))
    if assign:
        sheets.append(Sheet("按练习发布", by_exercise(release, LISTS), lines=[
            title, *mark, f"每个练习的学员名单另存为 {LISTS}/<练习>.csv（nbgrader db student import 的格式，姓名已脱敏）"],
            highlight=set(mark)))
        write_lists(release, Path(out) / LISTS)
    return write_workbook(Path(out) / BOOK, sheets), plan


def write_lists(release, folder: Path) -> list[Path]:
    """One CSV per exercise (its trainees); lists of exercises no longer planned are removed."""
    from toolkit.files import write_text_atomic
    from toolkit.training.plan import student_csv

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
    from toolkit.training.plan import for_audience, planned_roster, release_list
    from toolkit.training.roster import read_roster_xlsx, save_roster

    hub, course = hub_course(hub_root, course_id)
    people = for_audience(read_roster_xlsx(Path(roster)), audience)
    chosen = planned_roster(release_list(plan, people), people)
    if chosen.trainees:
        from toolkit.training.course import ensure_venv_on_path

        ensure_venv_on_path()                  # nbgrader's gradebook runs alembic
        save_roster(chosen, course.db_url, course.id)
    live = add_to_course_group(hub, course, [t.id for t in chosen.trainees])
    return course, chosen.trainees, live


def _plan(args) -> int:
    from toolkit.training.plan import unit_overview

    if (args.hub or args.course) and not (args.hub and args.course and args.assign):
        raise InputError("--hub/--course", args.hub or args.course, "需要同时给出 --assign、--hub 平台目录 和 --course 课程编号",
                         "例如 --assign --hub hub --course jiezhen")
    if args.hub:
        hub_course(Path(args.hub), args.course)       # a wrong hub or course: nothing written
    path, plan = write_plan(args.store, args.from_round, Path(args.out), args.district,
                            Path(args.roster) if args.roster else None, assign=args.assign, audience=args.audience)
    overview = unit_overview(plan)
    print(f"已写出培训计划：{path}（{len(overview)} 个街镇，{len(plan)} 条）")
    for row in overview.itertuples(index=False):
        print(f"  {row.区}{row.街镇}：{row.应学练习}")
    if args.assign:
        print(f"按练习的发布名单：{Path(args.out) / LISTS}/（每个练习一个 .csv，工作表“按练习发布”）")
    if args.hub:
        course, added, live = assign_on_hub(Path(args.hub), args.course, Path(args.roster), plan, args.audience)
        print(f"已把 {len(added)} 名学员放进平台课程 {course.title}（{course.id}）的学员名单；"
              f"新学员请运行 sudo jiuzhu hub accounts --course {course.id} 开设账号")
        group = f"nbgrader-{course.id}"
        if live is None:
            print(f"平台未运行：下次启动（jiuzhu hub start）时他们在课程分组 {group} 中")
        else:
            print(f"平台正在运行：已通过 JupyterHub REST API 把其中已有账号的 {len(live)} 名学员加入课程分组 {group}，立即生效")
            if len(live) < len(added):
                print(f"  另有 {len(added) - len(live)} 名学员还没有账号：用 jiuzhu hub accounts --course {course.id} 开设账号后即加入（平台运行中立即生效）")
    return 0

"""``jiuzhu course plan --from-round R``: a round's findings → 培训计划.xlsx (thin).

Composes the two flows at the CLI layer: findings and the items' checks from the inspection
store (``toolkit.inspections``), the plan from ``toolkit.training.plan``, the workbook with the
reports' Excel exporter.
"""

from __future__ import annotations

from pathlib import Path

DESCRIPTION = """按一个检查轮次发现的问题制定培训计划：每个街镇的经办人员和村（居）干部应学哪些练习、为什么
（发现的问题、次数、依据）。问题与练习通过题目所考的规则编号对应（与练习反馈引用的规则相同）；
没有对应练习的问题单独列出。写出 培训计划.xlsx（按街镇汇总、培训计划明细、无对应练习的问题）。"""
BOOK = "培训计划.xlsx"


def register_plan(course_subparsers) -> None:
    from toolkit.cli.inspect import DEFAULT_STORE

    parser = course_subparsers.add_parser("plan", help="按检查发现的问题制定培训计划（培训计划.xlsx）",
                                          description=DESCRIPTION)
    parser.add_argument("--from-round", required=True, metavar="轮次", help="督导检查轮次")
    parser.add_argument("--district", default=None, metavar="区", help="只为一个区制定")
    parser.add_argument("--out", default=".", metavar="目录", help=f"{BOOK} 的输出目录（默认当前目录）")
    parser.add_argument("--roster", default=None, metavar="花名册.xlsx",
                        help="同时写出发布名单：花名册中这些街镇的每位学员应做的练习（工作表“发布名单”）")
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
               roster: Path | None = None) -> tuple[Path, object]:
    from toolkit.reports.export_xlsx import Sheet, write_workbook
    from toolkit import SAMPLE_MARK
    from toolkit.training.plan import release_list, training_plan, unit_overview, unmatched
    from toolkit.training.roster import read_roster_xlsx

    people = read_roster_xlsx(Path(roster)) if roster else None     # a bad roster: nothing written

    findings, checks, sample = round_findings(store, round_id, district)
    plan = training_plan(findings, checks)
    title = f"培训计划（依据轮次 {round_id} 督导检查发现的问题{'，' + district if district else ''}）"
    mark = [SAMPLE_MARK] if sample else []
    sheets = [Sheet(name, frame, lines=[title, *mark, *note], highlight=set(mark)) for name, frame, note in (
        ("按街镇汇总", unit_overview(plan), []),
        ("培训计划明细", plan, ["次数：档案类问题为不合格档案份数，其他问题为出现的街镇次数"]),
        ("无对应练习的问题", unmatched(findings, checks), ["这些问题没有对应的练习，请在培训中另行安排"]))]
    if people is not None:
        sheets.append(Sheet("发布名单", release_list(plan, people), lines=[
            title, *mark, "姓名已脱敏，凭学员编号对应花名册；按练习发布给名单中的学员"], highlight=set(mark)))
    return write_workbook(Path(out) / BOOK, sheets), plan


def _plan(args) -> int:
    from toolkit.training.plan import unit_overview

    path, plan = write_plan(args.store, args.from_round, Path(args.out), args.district,
                            Path(args.roster) if args.roster else None)
    overview = unit_overview(plan)
    print(f"已写出培训计划：{path}（{len(overview)} 个街镇，{len(plan)} 条）")
    for row in overview.itertuples(index=False):
        print(f"  {row.区}{row.街镇}：{row.应学练习}")
    return 0

"""``jiuzhu course plan --from-round R``: a round's findings → 培训计划.xlsx (thin: the work is in
:mod:`toolkit.loop.course_plan`)."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InputError
from toolkit.loop.course_plan import BOOK, LISTS, TOWNS, assign_on_hub, hub_course, write_plan
from toolkit.policy.audiences import AUDIENCES

DESCRIPTION = """按一个检查轮次发现的问题制定培训计划：每个街镇的经办人员和村（居）干部应学哪些练习、为什么
（发现的问题、次数、依据）。问题与练习通过题目所考的规则编号对应（与练习反馈引用的规则相同）；
没有对应练习的问题单独列出。写出 培训计划.xlsx（按街镇汇总，几页），并为每个街镇写出一份培训计划
（培训计划（各街镇）/区/培训计划（街镇）.xlsx：培训计划明细、无对应练习的问题），分发到各街镇。"""


def register_plan(course_subparsers) -> None:
    from toolkit.cli._argparse import DEFAULT_STORE

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


def _plan(args) -> int:
    from toolkit.loop.training_plan import unit_overview

    if (args.hub or args.course) and not (args.hub and args.course and args.assign):
        raise InputError("--hub/--course", args.hub or args.course, "需要同时给出 --assign、--hub 平台目录 和 --course 课程编号",
                         "例如 --assign --hub hub --course jiezhen")
    if args.hub:
        hub_course(Path(args.hub), args.course)       # a wrong hub or course: nothing written
    path, plan, towns = write_plan(args.store, args.from_round, Path(args.out), args.district,
                            Path(args.roster) if args.roster else None, assign=args.assign, audience=args.audience)
    overview = unit_overview(plan)
    print(f"已写出培训计划：{path}（{len(overview)} 个街镇，{len(plan)} 条）")
    print(f"各街镇的培训计划：{len(towns)} 份 → {Path(args.out) / TOWNS}/（每区一个文件夹）")
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

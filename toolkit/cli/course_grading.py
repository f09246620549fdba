"""``jiuzhu course grade | report | roster import``: grading, analytics and the trainee roster.

The ``course`` group itself belongs to :mod:`toolkit.cli.course`, which calls
:func:`register_grading` to add these three sub-commands.  Imports only argparse at load time.
"""

from __future__ import annotations


def _course_option(parser) -> None:
    parser.add_argument("--course", default="courses", metavar="目录",
                        help="课程目录（含 nbgrader_config.py），默认 courses")
    parser.add_argument("--db", default=None, metavar="数据库地址",
                        help="评分数据库的 SQLAlchemy 地址，默认为课程目录下的 gradebook.db；"
                             "也可用 PostgreSQL，如 postgresql://用户@主机/库名")


def register_grading(course) -> None:
    """Add ``grade``, ``report`` and ``roster`` to the ``jiuzhu course`` sub-command registry."""
    grade = course.add_parser(
        "grade", help="并行自动评分已收取的提交",
        description="对 submitted/ 下的全部提交并行自动评分（与 nbgrader autograde 的分数一致），"
                    "由一个进程写入评分数据库。损坏、被改动、空白或运行不止的笔记本照常得其应得之分，"
                    "并在最后的汇总表中列出原因，不会中断整批评分。学员代码一律在评分沙箱中运行"
                    "（无网络、不能读取课程和他人文件、限制内存和时间），沙箱不可用时拒绝评分。\n"
                    "退出状态：0 全部评分完成；1 有提交未能评分（见汇总表）；2 输入错误。")
    _course_option(grade)
    grade.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="并行进程数，默认 2")
    grade.add_argument("--timeout", type=float, default=300, metavar="秒",
                       help="每份笔记本最多运行的秒数，默认 300；超时的单元格被中断，"
                            "再过 30 秒仍未结束则强制终止（另有课程配置中的单个单元格时限）")
    grade.add_argument("--assignment", action="append", metavar="练习",
                       help="只评这个练习（可重复）；默认全部")
    grade.add_argument("--student", action="append", metavar="学员编号",
                       help="只评这个学员（可重复）；默认全部")
    grade.add_argument("--force", action="store_true", help="重新评已评过的提交")
    grade.add_argument("--quiet", action="store_true", help="不显示进度条")
    grade.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="危险：不用评分沙箱，学员代码以评分程序的权限运行（可读写评分数据库和他人作答）。"
                            "只在沙箱不可用且确认全部提交可信时使用；见 docs/sandbox.md")
    grade.set_defaults(func=_grade)

    report = course.add_parser(
        "report", help="培训统计：错题、完成率、通过率和培训台账",
        description="按题目和规则统计答错比例，按街镇和村居统计完成率和通过率，列出未提交和未通过的学员，"
                    "生成培训台账.xlsx（可作为培训佐证）和中文图表。姓名一律脱敏，以学员编号区分。")
    _course_option(report)
    report.add_argument("--out", default="build/training-report", metavar="目录",
                        help="输出目录，默认 build/training-report")
    report.add_argument("--pass-rate", type=float, default=0.6, metavar="比例",
                        help="通过线（得分率），默认 0.6 即 60%%")
    report.set_defaults(func=_report)

    roster = course.add_parser("roster", help="学员花名册",
                               description="管理培训学员花名册（学员编号、姓名、街镇、村居）。")
    roster_group = roster.add_subparsers(title="子命令", dest="roster_command", metavar="子命令")
    roster_group.required = True
    from toolkit.policy.audiences import roles_text

    imp = roster_group.add_parser(
        "import", help="从 Excel 导入花名册",
        description="从 .xlsx 导入学员花名册。表头须含：学员编号、姓名、街镇、村居（可选：岗位、手机号）。"
                    f"岗位（可留空，算作村居干部）可选：{roles_text()}。"
                    "文件有任何错误时逐条列出行号和列，不导入任何数据，退出状态 2。")
    imp.add_argument("file", metavar="文件.xlsx", help="花名册 Excel 文件")
    _course_option(imp)
    imp.set_defaults(func=_roster_import)


def _grade(args) -> int:
    from toolkit.training.grading.grading import format_summary, grade_course

    run = grade_course(args.course, jobs=args.jobs, db_url=args.db, timeout=args.timeout,
                       assignments=args.assignment, students=args.student, force=args.force,
                       progress=not args.quiet, unsafe_no_sandbox=args.unsafe_no_sandbox)
    print(format_summary(run))
    return run.exit_code


def _report(args) -> int:
    from toolkit.training.analytics.report import format_report_paths, write_training_report

    paths = write_training_report(args.course, args.out, db_url=args.db, pass_rate=args.pass_rate)
    print(format_report_paths(paths))
    return 0


def _roster_import(args) -> int:
    from toolkit.training.course.course import import_roster

    roster = import_roster(args.course, args.file, db_url=args.db)
    towns = sorted({t.town for t in roster.trainees})
    print(f"已导入 {len(roster.trainees)} 名学员（{len(towns)} 个街镇：{'、'.join(towns)}）。")
    return 0

"""``jiuzhu course``: build, release, collect and feedback of the nbgrader training course.

Imports only argparse at load time.  The grading side (``grade``, ``report``, ``roster``) registers
its sub-commands through :func:`toolkit.cli.course_grading.register_grading`, ``course plan``
(findings → 培训计划) through :func:`toolkit.cli.course_plan.register_plan`.
"""

from __future__ import annotations

from toolkit.cli import course_grading, course_plan
from toolkit.cli._argparse import add_group


def register(subparsers) -> None:
    group = add_group(
        subparsers, "course", "培训课程：生成、发布、收取作业与生成反馈",
        "nbgrader 培训课程（课程目录默认为 courses/）。培训老师的顺序：\n"
        "  build → release → （学员作答并提交）→ collect → grade → feedback")
    init = group.add_parser("init", help="新建课程目录：写入 nbgrader_config.py（不覆盖已有的）",
                            description="新建课程目录：写入 nbgrader_config.py（不覆盖已有的），之后在该目录中 build、release。")
    init.add_argument("folder", metavar="目录", help="新课程目录，如 我的课程")
    init.set_defaults(func=_init)
    _add(group, "build", "生成练习：为每个练习写出源笔记本并生成学员版（release/）", _build)
    _add(group, "release", "发布练习：把学员版放到交换目录，学员即可在 Assignments 页面获取", _release)
    _add(group, "collect", "收取作业：把学员提交的作业收到 submitted/ 目录", _collect)
    cases = _add(group, "cases", "发放案例：为学员生成各自的案例（不含答案），供学员的笔记本读取", _cases)
    cases.add_argument("--student", action="append", metavar="学员编号",
                       help="为这位学员发放（可重复）；默认花名册中的全部学员")
    cases.add_argument("--home", metavar="目录",
                       help="同时放到这个主目录下（学员的 ~/.jiuzhu/cases/）；默认只写入课程目录的 cases/")
    feedback = _add(group, "feedback", "生成反馈：每题的得分、学员作答、正确答案与政策依据（HTML）", _feedback)
    feedback.add_argument("--student", metavar="学员", help="只为这位学员生成（默认全部已评分学员）")
    feedback.add_argument("--release", action="store_true", help="同时发布到交换目录，学员可获取反馈")
    course_grading.register_grading(group)
    course_plan.register_plan(group)


def _add(group, name: str, help_text: str, handler):
    parser = group.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("assignments", nargs="*", metavar="练习",
                        help="练习编号，如 m01_means_test（默认全部练习）")
    parser.add_argument("--course", default="courses", metavar="目录",
                        help="课程目录，内含 nbgrader_config.py（默认 courses）")
    parser.set_defaults(func=handler)
    return parser


def _print_paths(header: str, paths) -> int:
    print(header)
    for path in paths:
        print(f"  {path}")
    return 0


def _init(args) -> int:
    from toolkit.training.course.course_config import write_course_config

    path = write_course_config(args.folder)
    print(f"已新建课程目录：{path.parent}\n下一步：jiuzhu course build --course {args.folder}，"
          f"然后 jiuzhu course release --course {args.folder}")
    return 0


def _build(args) -> int:
    from toolkit.training.course import course

    paths = course.build(course.course_root(args.course), args.assignments or None)
    return _print_paths(f"已生成 {len(paths)} 个练习的学员版：", paths)


def _release(args) -> int:
    from toolkit.training.course import course

    paths = course.release(course.course_root(args.course), args.assignments or None)
    return _print_paths(f"已发布 {len(paths)} 个练习到交换目录：", paths)


def _collect(args) -> int:
    from toolkit.training.course import course

    run = course.collect_run(course.course_root(args.course), args.assignments or None)
    for assignment, students in run.collected.items():
        print(f"{assignment}：已收取 {len(students)} 份作业")
    if run.refused:
        print(f"拒收 {len(run.refused)} 份（冒名、夹带链接或特殊文件、或过大，未复制任何内容）：")
        for line in run.refused:
            print(f"  {line}")
        print(run.left_behind)
    if run.retimed:
        print(f"{len(run.retimed)} 份提交自称的时间早于其文件的最后改动，已按文件时间收取（迟交照此计算）：")
        for line in run.retimed:
            print(f"  {line}")
    if run.unverifiable:
        print(run.unverifiable)
    return 1 if run.refused or run.retimed else 0


def _cases(args) -> int:
    from pathlib import Path

    from toolkit.errors import UserError
    from toolkit.training.course import course

    root = course.course_root(args.course)
    trainees = args.student or course.roster_ids(root)
    if not trainees:
        raise UserError("花名册为空：请用 --student 指定学员编号，或先运行 jiuzhu course roster import。")
    paths = course.cases(root, args.assignments or None, trainees,
                         home=Path(args.home) if args.home else None)
    print(f"已为 {len(trainees)} 名学员生成 {len(paths)} 份案例（不含答案），位于 {root / 'cases'}")
    return 0


def _feedback(args) -> int:
    from toolkit.training.course import course

    run = course.feedback(course.course_root(args.course), args.assignments or None,
                          student=args.student, publish=args.release)
    print(f"已生成 {len(run.written)} 份反馈（已检查：不含参考答案和隐藏测试代码）"
          + (f"，已发布 {len(run.released)} 份到交换目录" if args.release else "") + "：")
    for path in run.written:
        print(f"  {path}")
    for line in run.skipped:
        print(line)
    for line in run.withheld:
        print(f"！{line}")
    return 1 if run.withheld else 0

"""``jiuzhu checklist validate|show``."""

from __future__ import annotations

from toolkit.cli._argparse import add_group


def register(subparsers) -> None:
    group = add_group(subparsers, "checklist", "检查表：校验与查看",
                      "检查表以 YAML 维护（checklists/*.yaml）。validate 逐项校验并指出文件、行号和检查项编号；"
                      "show 以表格列出检查表内容。")
    validate = group.add_parser("validate", help="校验一个或多个检查表文件",
                                description="校验检查表：编号重复、分值合计不符、未知字段、无效条件等，"
                                            "逐条列出文件、行号和检查项编号。有问题时返回状态码 2。")
    validate.add_argument("paths", nargs="+", metavar="文件", help="检查表 YAML 文件")
    validate.set_defaults(func=_validate)
    show = group.add_parser("show", help="以表格显示检查表",
                            description="以表格显示检查表的部分、检查项、方法、评分方式、分值、严重程度和依据。")
    show.add_argument("path", metavar="文件", help="检查表 YAML 文件")
    show.set_defaults(func=_show)


def _validate(args) -> int:
    import sys

    from toolkit.checklists import validate_files

    problems = validate_files(args.paths)
    if problems:
        print(f"错误：发现 {len(problems)} 处问题：", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    print(f"校验通过：{len(args.paths)} 个检查表文件均无问题。")
    return 0


def _show(args) -> int:
    from toolkit.checklists import load_checklist
    from toolkit.checklists.display import checklist_table

    print(checklist_table(load_checklist(args.path)))
    return 0

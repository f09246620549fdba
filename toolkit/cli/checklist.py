"""``jiuzhu checklist init|validate|show``."""

from __future__ import annotations

from toolkit.cli._argparse import add_group


def register(subparsers) -> None:
    group = add_group(subparsers, "checklist", "检查表：复制、校验与查看",
                      "检查表以 YAML 维护。工具箱自带一套默认检查表；本单位要修改时，先用 init 复制到自己的文件夹，"
                      "修改后用 validate 逐项校验（指出文件、行号和检查项编号），再在 jiuzhu inspect plan 等命令中"
                      "用 --checklists 目录 指定。show 以表格列出检查表内容。")
    init = group.add_parser("init", help="把默认检查表复制到一个文件夹，供本单位修改",
                            description="把工具箱自带的默认检查表（*.yaml）复制到 目录，供本单位修改；"
                                        "之后在使用检查表的命令中加 --checklists 目录。目录中已有同名文件时不覆盖，返回状态码 2。")
    init.add_argument("directory", metavar="目录", help="写入检查表副本的文件夹（不存在时创建）")
    init.set_defaults(func=_init)
    validate = group.add_parser("validate", help="校验一个或多个检查表文件",
                                description="校验检查表：编号重复、分值合计不符、未知字段、无效条件等，"
                                            "逐条列出文件、行号和检查项编号。有问题时返回状态码 2。")
    validate.add_argument("paths", nargs="+", metavar="文件", help="检查表 YAML 文件")
    validate.set_defaults(func=_validate)
    show = group.add_parser("show", help="以表格显示检查表",
                            description="以表格显示检查表的部分、检查项、方法、评分方式、分值、严重程度和依据。")
    show.add_argument("path", metavar="文件", help="检查表 YAML 文件")
    show.set_defaults(func=_show)


def _init(args) -> int:
    from toolkit.checklists import init_checklists

    paths = init_checklists(args.directory)
    print(f"已复制 {len(paths)} 份默认检查表，可在此修改：")
    for path in paths:
        print(f"  {path}")
    print(f"修改后请运行 jiuzhu checklist validate {args.directory}/*.yaml，"
          f"并在 jiuzhu inspect plan 中加 --checklists {args.directory}")
    return 0


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

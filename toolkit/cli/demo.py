"""``jiuzhu demo``."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="用内置示例数据演示完整流程",
        description="用内置示例数据（示例市，均为虚构）演示完整流程，并列出每个输出文件的位置。")
    parser.add_argument("--out", default="build/demo", metavar="目录",
                        help="输出目录（默认 build/demo）")
    parser.add_argument("--checklists", default=None, metavar="目录",
                        help="检查表目录（默认使用工具箱自带的检查表；可先用 jiuzhu checklist init 目录 复制后修改）")
    parser.set_defaults(func=_run)


def _run(args) -> int:
    from toolkit.demo import run as demo

    options = {}
    if args.checklists:
        from toolkit.checklists import load_checklists

        options["inspections"] = {"checklists": load_checklists(args.checklists)}
    demo.run(Path(args.out), options=options)
    return 0

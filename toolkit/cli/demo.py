"""``jiuzhu demo``."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="用内置示例数据演示完整流程",
        description="用内置示例数据（示例市，均为虚构）演示完整流程，并列出每个输出文件的位置。")
    parser.add_argument("--out", default="build/demo", metavar="目录",
                        help="输出目录（默认 build/demo）")
    parser.set_defaults(func=_run)


def _run(args) -> int:
    from toolkit import demo

    demo.run(Path(args.out))
    return 0

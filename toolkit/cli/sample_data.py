"""``jiuzhu sample-data``."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sample-data", help="生成虚构的示例数据（示例市）",
        description="生成虚构的示例数据：示例市 8 个区、每区 5–12 个街镇、约 4 万户低保家庭及档案信息，"
                    "2018（基线）和 2019 两轮的互检计划、已填写的 Excel 检查表格，并导入数据库 目录/jiuzhu.sqlite。"
                    "所有输出均标注“示例数据”。")
    parser.add_argument("--out", required=True, metavar="目录", help="输出目录")
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="随机种子（默认 1），同一种子结果相同")
    parser.add_argument("--checklists", default=None, metavar="目录",
                        help="检查表目录（默认使用工具箱自带的检查表；可先用 jiuzhu checklist init 目录 复制后修改）")
    parser.set_defaults(func=_run)


def _run(args) -> int:
    from pathlib import Path

    from toolkit.checklists import load_checklists
    from toolkit.demo.sample_data import generate

    checklists = load_checklists(args.checklists) if args.checklists else None
    result = generate(Path(args.out), args.seed, checklists=checklists)
    print(f"示例数据库：{result.store}\n后续命令请加 --store {result.store}，"
          f"例如 jiuzhu inspect scores --round 2019 --store {result.store}")
    return 0

"""``jiuzhu inspect rounds``: every round as a dated record, and the round each is compared with."""

from __future__ import annotations

DESCRIPTION = """列出数据库中的全部轮次：检查类型、范围（区或全市）、检查时间（导入的检查日期，最早至最晚）、
报告下发日期，以及生成报告时默认与哪一轮比较（检查类型和范围相同、检查结束早于本轮开始的最近一轮，按日期而不按名称）。"""


def register_rounds(inspect_subparsers) -> None:
    from toolkit.cli._argparse import add_store_option as _store_option

    parser = inspect_subparsers.add_parser("rounds", help="列出各轮次的类型、范围、检查时间、下发日期和比较轮次",
                                           description=DESCRIPTION)
    _store_option(parser)
    parser.set_defaults(func=_rounds)


def _rounds(args) -> int:
    from toolkit.checklists.text_table import format_table
    from toolkit.inspections.store.round_dates import round_table

    table = round_table(args.store)
    print(format_table(list(table.columns), [list(r) for r in table.itertuples(index=False)]))
    return 0

"""``jiuzhu inspect rectification import|status``: 整改清单 returns read back and tracked to closure.

``register_rectification(inspect_subparsers)`` adds the sub-command group to ``jiuzhu inspect``.
Thin: argument parsing, one call into ``toolkit.inspections``, printing.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from toolkit.cli.inspect_report import _formats

IMPORT_DESCRIPTION = """导入各街镇填好的整改清单（jiuzhu inspect report 生成的 整改清单.xlsx）。

先校验全部文件，任何一处有误则一个也不导入（返回状态码 2），并逐条列出文件、行、列、填写的值和修改方法：
问题编号不是本轮的问题、完成情况不是 已整改/整改中/无法整改、已整改却没有填写整改措施/完成日期/佐证材料、
整改中或无法整改没有说明原因、完成日期早于下发日期或晚于今天等。
可以导入某个街镇自己的整改清单，也可以导入填有多个街镇的全区整改清单：按街镇分别处理，
某街镇在文件中至少填了一行，就以这份文件替换该街镇以前的填报；某街镇在文件中一行也没填，则保持原样（“未填写”），
不会抹掉它以前报送的内容。同一问题在两个文件中都填写了则不导入，并指出两处。
每次导入都记入导入记录。下发日期从整改清单标题行读取（或用 --issued 给出）。"""

STATUS_DESCRIPTION = """查看一个轮次的整改进度：各街镇报送情况（已填报几项、最近一次报送的时间和文件、还有哪些问题未填报），
每个问题的完成情况和逾期工作日（按法定节假日和调休计算），
每个街镇的已整改、整改中、无法整改、未报送、逾期未完成和整改完成率，以及全区、全市合计。"""


REPORT_DESCRIPTION = """生成一个轮次的整改情况通报：各区、各街镇整改完成率和图表，逾期未完成问题清单，
与上一轮相比“已整改”后再次出现的问题（标记为“反弹”）。输出 report.html、报告.docx、整改情况.xlsx（通报附件）和各问题整改情况.xlsx（全部问题，供筛选查询）。"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期 {text} 无效，请写成 2020-01-15 这样的格式") from None


def register_rectification(inspect_subparsers) -> None:
    from toolkit.cli._argparse import add_group
    from toolkit.cli._argparse import add_store_option as _store_option

    group = add_group(inspect_subparsers, "rectification", "整改跟踪：导入各街镇填报的整改清单，查看整改进度",
                      "整改跟踪：import 导入各街镇填好的整改清单 → status 查看完成、整改中和逾期情况。")
    imp = group.add_parser("import", help="校验并导入填好的整改清单", description=IMPORT_DESCRIPTION)
    imp.add_argument("files", nargs="+", metavar="文件", help="填好的 整改清单.xlsx")
    imp.add_argument("--round", required=True, metavar="轮次", help="整改清单所属的检查轮次")
    imp.add_argument("--issued", type=_date, default=None, metavar="日期",
                     help="整改清单下发日期（默认从整改清单标题行读取）")
    imp.add_argument("--today", type=_date, default=None, metavar="日期",
                     help="按这一天检查完成日期是否晚于今天（默认今天）")
    imp.add_argument("--by", default=None, metavar="姓名", help="导入人（默认当前系统用户）")
    _store_option(imp)
    imp.set_defaults(func=_import)

    status = group.add_parser("status", help="查看整改进度和逾期情况", description=STATUS_DESCRIPTION)
    status.add_argument("--round", required=True, metavar="轮次", help="检查轮次")
    status.add_argument("--district", default=None, metavar="区", help="只看一个区")
    status.add_argument("--as-of", type=_date, default=None, metavar="日期", help="按这一天计算逾期（默认今天）")
    status.add_argument("--issued", type=_date, default=None, metavar="日期",
                        help="整改清单下发日期（尚未导入任何整改清单时需要）")
    _store_option(status)
    status.set_defaults(func=_status)

    report = group.add_parser("report", help="生成整改情况通报（网页、Word、Excel）", description=REPORT_DESCRIPTION)
    report.add_argument("--round", required=True, metavar="轮次", help="检查轮次")
    report.add_argument("--district", default=None, metavar="区", help="只通报一个区（默认全部区）")
    report.add_argument("--previous-round", default="", metavar="轮次", help="比较反弹的上一轮次（默认自动取上一轮）")
    report.add_argument("--as-of", default="", metavar="日期", help="统计截止日期（默认今天）")
    report.add_argument("--issued", default="", metavar="日期", help="整改清单下发日期（尚未导入整改清单时需要）")
    report.add_argument("--out", default="build/reports", metavar="目录",
                        help="输出目录（默认 build/reports），通报放在 目录/轮次/整改情况通报/ 下")
    report.add_argument("--formats", type=_formats, default=("html", "docx", "xlsx"), metavar="格式",
                        help="逗号分隔，可选 html,docx,xlsx,pdf（默认 html,docx,xlsx）")
    report.add_argument("--force", action="store_true", help="覆盖已有的通报")
    _store_option(report)
    report.set_defaults(func=_report)


def register_proposals(inspect_subparsers) -> None:
    from toolkit.cli._argparse import add_store_option as _store_option

    parser = inspect_subparsers.add_parser(
        "proposals", help="查看培训台账预填的建议值是否被检查组采纳",
        description="列出 jiuzhu inspect forms --training 预填的建议值、导入的检查结果，以及检查组采纳还是修改了建议值。")
    parser.add_argument("--round", required=True, metavar="轮次", help="检查轮次")
    _store_option(parser)
    parser.set_defaults(func=_proposals)


def _proposals(args) -> int:
    from toolkit.checklists.text_table import format_table
    from toolkit.reports.compose.training_figures import proposal_outcomes

    frame = proposal_outcomes(args.store, args.round)
    print(f"轮次 {args.round} 培训台账建议值：{len(frame)} 项，" +
          "，".join(f"{k} {int((frame['处理'] == k).sum())} 项" for k in ("采纳", "修改", "未导入")))
    print(format_table(list(frame.columns[:-1]), [list(r)[:-1] for r in frame.itertuples(index=False)]))
    return 0


def _report(args) -> int:
    import sys

    from toolkit.reports.compose import summary_text
    from toolkit.reports.compose.rectification_round import run_rectification_report

    summary = run_rectification_report(args.store, args.round, args.district, out=Path(args.out), force=args.force,
                                       progress=sys.stderr.isatty(), as_of=args.as_of, issued=args.issued,
                                       previous_round=args.previous_round, formats=args.formats)
    print(summary_text.render(summary))
    return 1 if summary.failures else 0


def _import(args) -> int:
    from toolkit.checklists.text_table import format_table
    from toolkit.inspections.rectification.rectification_returns import import_returns

    records = import_returns(args.store, args.round, args.files, imported_by=args.by, issued=args.issued,
                             today=args.today)
    from toolkit.inspections.rectification.rectification_returns import SKIPPED

    changed = [r for r in records if r.action != SKIPPED]
    print(f"整改清单导入完成：{len(changed)} 个街镇的填报已导入")
    print(format_table(["区", "街镇", "处理", "问题数", "已填报", "来源"],
                       [[r.district, r.unit, r.action, r.rows, r.reported, r.source] for r in records]))
    skipped = [r.unit or r.district for r in records if r.action == SKIPPED]
    if skipped:
        print(f"未填写（文件中这些街镇一行也没填，保持以前的填报不变）：{'、'.join(skipped)}")
    return 0


def _status(args) -> int:
    from toolkit.checklists.text_table import format_table
    from toolkit.inspections.rectification.rectification_status import problem_status, reporting, unit_summary

    if args.issued:
        from toolkit.inspections.store.round_dates import check_issue_date

        check_issue_date(args.store, args.round, args.issued, "--issued")
    problems = problem_status(args.store, args.round, args.district, as_of=args.as_of, issued=args.issued)
    as_of = (args.as_of or dt.date.today()).isoformat()
    print(f"轮次 {args.round} 整改进度（截至 {as_of}）" + (f"：{args.district}" if args.district else ""))
    sent = reporting(args.store, args.round, args.district)
    waiting = sent[sent["未填报"] > 0]
    print(f"\n报送情况：{len(sent) - len(waiting)} 个街镇已全部填报，{len(waiting)} 个街镇还有未填报的问题")
    print(format_table(list(sent.columns[:-1]), [list(r)[:-1] for r in sent.itertuples(index=False)]))
    for r in waiting.itertuples(index=False):
        print(f"{r.区} {r.街镇} 未填报的问题编号：{r.未填报问题编号}")
    print()
    from toolkit.inspections.store.unit_order import unit_codes

    summary = unit_summary(problems, unit_codes(args.store))
    print(format_table(list(summary.columns), [
        [*row[:-1], "—" if row[-1] is None else f"{row[-1]:.0%}"] for row in summary.itertuples(index=False)]))
    print("\n各问题整改情况")
    print(format_table(["问题编号", "区", "街镇", "检查项", "完成时限", "完成情况", "状态", "逾期工作日"],
                       [[r.问题编号, r.区, r.街镇, r.检查项, r.完成时限, r.完成情况, r.状态, r.逾期工作日]
                        for r in problems.itertuples(index=False)]))
    return 0

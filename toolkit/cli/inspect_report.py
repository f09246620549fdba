"""``jiuzhu inspect report``: supervision reports for one round (thin; see toolkit.reports).

``register_report(inspect_subparsers)`` adds the sub-command to the ``inspect`` group owned by
``toolkit/cli/inspect.py``.  Imports only argparse at load time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("html", "docx", "xlsx", "pdf")

DESCRIPTION = """生成一个检查轮次的督导报告：每个区一份，再加一份全市汇总（只生成指定区时不含汇总）。

每份报告输出到 输出目录/轮次/区名/ 下：
  report.html      网页版报告（不含代码，离线可打开）
  报告.docx         Word 报告（一、基本情况 二、主要做法和成效 三、存在问题 四、整改要求）
  整改清单.xlsx     整改清单（问题、街镇、依据、严重程度、反弹标记、责任单位、按工作日计算的截止日期）
  report.pdf       PDF（需加 --formats …,pdf）
  report.ipynb     已执行的笔记本（元数据中记录参数和来源）
上一轮（--previous-round，默认自动取上一轮）报告“已整改”、本轮再次发现的问题标记为“反弹”。
并在 输出目录/轮次/manifest.json 中记录输入文件哈希、检查表版本、参数、软件版本和用时。

已有的报告不会被覆盖，除非加 --force。某个区出错不影响其他区，最后列出每个失败的区、出错的单元格和错误。
返回状态：0 全部成功；1 有报告失败；2 参数或数据有误（未运行任何笔记本）。"""


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"输出格式 {text} 无效，可选：{','.join(FORMATS)}")
    return chosen


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} 不是正整数")
    return value


def register_report(inspect_subparsers) -> None:
    from toolkit.cli.inspect import DEFAULT_STORE

    parser = inspect_subparsers.add_parser("report", help="生成督导报告（各区报告与全市汇总）",
                                           description=DESCRIPTION)
    parser.add_argument("--round", required=True, metavar="轮次", help="检查轮次，如 2019")
    parser.add_argument("--district", action="append", metavar="区",
                        help="只生成这个区的报告（可重复使用）；不指定则生成全部区和全市汇总")
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="数据库",
                        help=f"督导检查数据库：文件路径或 SQLAlchemy URL（默认 {DEFAULT_STORE}）")
    parser.add_argument("--out", default="build/reports", metavar="目录",
                        help="输出目录（默认 build/reports），报告放在 目录/轮次/ 下")
    parser.add_argument("--formats", type=_formats, default=("html", "docx", "xlsx"),
                        metavar="格式", help="逗号分隔，可选 html,docx,xlsx,pdf（默认 html,docx,xlsx）")
    parser.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="同时运行的笔记本数（默认等于 CPU 核数）")
    parser.add_argument("--scheduler", default=None, metavar="tcp://主机:端口",
                        help="在已有的 Dask 集群上运行（各节点需能访问相同的文件路径）")
    parser.add_argument("--timeout", type=_positive, default=600, metavar="秒",
                        help="每个笔记本的最长运行时间（默认 600 秒）")
    parser.add_argument("--issue-date", default="", metavar="日期",
                        help="报告下发日期，整改期限从这天起按工作日计算（默认今天），如 2025-03-03")
    parser.add_argument("--previous-round", default="", metavar="轮次",
                        help="与之比较、并据其整改情况标记“反弹”的上一轮次（默认自动取上一轮）")
    parser.add_argument("--force", action="store_true", help="覆盖本轮已有的同名报告")
    parser.set_defaults(func=_run)


def _run(args) -> int:
    from toolkit.reports.compose import summary_text
    from toolkit.reports.compose.inspection_round import run_round_reports

    summary = run_round_reports(
        args.store, args.round, args.district, out=Path(args.out), workers=args.jobs,
        scheduler=args.scheduler, formats=args.formats, force=args.force,
        issue_date=args.issue_date, timeout=float(args.timeout), progress=sys.stderr.isatty(),
        previous_round=args.previous_round)
    print(summary_text.render(summary))
    return 1 if summary.failures else 0

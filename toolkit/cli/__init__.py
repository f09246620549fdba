"""The ``jiuzhu`` command: parses arguments, calls one function, prints, sets the exit code.

Each command group lives in its own small module with a ``register(subparsers)`` function,
imported here by name (no dispatch through strings). Those modules import only argparse at load
time and import the heavy machinery inside their handlers, so ``jiuzhu --help`` stays fast
(bench/cli_startup.py measures it).
"""

from __future__ import annotations

import os
import sys

from toolkit.cli import checklist, course, demo, hub, inspect, org, policy, sample_data
from toolkit.cli._argparse import ChineseArgumentParser

# Every file a command writes is kept from other system accounts (trainees on a hub among them):
# rosters, ledgers and account lists carry names.  Files meant for trainees get their modes set
# explicitly (nbgrader's exchange, the hub folder, released feedback).
PRIVATE_UMASK = 0o027

# The command groups in the order ``jiuzhu --help`` lists them.
COMMAND_MODULES = (policy, checklist, org, inspect, sample_data, course, hub, demo)

DESCRIPTION = """救助质量工具箱（jiuzhu）：社会救助管理服务质量的培训与督导检查工具。

  低保政策计算    jiuzhu policy …      家庭收入核算、低保金、审核确认流程与工作日计算
  本单位名册      jiuzhu org …, jiuzhu register import   区街镇名册与低保档案名册：模板、导入、更新
  检查表          jiuzhu checklist …   校验、查看督导检查表（YAML）
  督导检查        jiuzhu inspect …     互检计划、检查表格、导入结果、评分；示例数据 jiuzhu sample-data
  督导报告        jiuzhu inspect report  各区报告与全市汇总（网页、Word、整改清单 Excel、PDF）
  整改跟踪        jiuzhu inspect rectification …  导入整改清单、按工作日查看逾期、整改情况通报
  培训课程        jiuzhu course …      生成、发布、收取练习，评分与反馈（nbgrader）；course plan 按检查发现的问题制定培训计划
  培训平台        jiuzhu hub …         多人同时使用的 JupyterHub：学员账号、两门课程、评分服务
  演示            jiuzhu demo          用内置示例数据走一遍完整流程

每个命令都可以加 --help 查看说明。出错时返回状态码 2 并给出中文提示。"""


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog="jiuzhu", description=DESCRIPTION)
    from toolkit import __version__

    parser.add_argument("--version", action="version", version=f"jiuzhu {__version__}",
                        help="显示版本号并退出")
    subparsers = parser.add_subparsers(title="命令", dest="command", metavar="命令")
    subparsers.required = True
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from toolkit.errors import UserError

    previous = os.umask(PRIVATE_UMASK)           # rosters, ledgers, account lists: not for other accounts
    os.umask(previous | PRIVATE_UMASK)           # never laxer than the caller's own umask
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (``jiuzhu policy params | head -5``): end quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except UserError as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    finally:
        os.umask(previous)
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

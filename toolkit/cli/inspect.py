"""``jiuzhu inspect plan|forms|import|scores``; ``report``, ``rectification`` and ``proposals`` are
registered by their own modules (see EXTENSIONS)."""

from __future__ import annotations

from toolkit.cli import inspect_rectification, inspect_report
from toolkit.cli._argparse import add_group

DEFAULT_STORE = "data/jiuzhu.sqlite"

# Sub-commands registered by other modules, each called with the ``inspect`` registry.
EXTENSIONS = (inspect_report.register_report, inspect_rectification.register_rectification,
              inspect_rectification.register_proposals)


def _store_option(parser) -> None:
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="路径或URL",
                        help=f"督导检查数据库（默认 {DEFAULT_STORE}，首次使用时自动创建；也可写 SQLAlchemy URL）")


def register(subparsers) -> None:
    group = add_group(subparsers, "inspect", "督导检查：检查计划、检查表格、导入、评分",
                      "督导检查流程：plan 制定检查计划（自查、区级督导或各区互检）并抽样 → forms 生成检查表格 → "
                      "检查组填写 → import 校验并导入 → scores 查看评分。\n"
                      "本单位的区街镇和低保档案：先用 jiuzhu org template / org import / register import 导入。")

    plan = group.add_parser("plan", help="制定检查计划（自查、区级督导或各区互检）并抽取档案",
                            description="制定本轮检查计划并按街镇分层随机抽取低保档案（同一随机种子结果相同），写出 目录/plan.xlsx。\n"
                                        "检查类型 --kind：\n"
                                        "  自查      每个街镇检查本街镇（--district 只选一个区的街镇）\n"
                                        "  区级督导  本区检查组检查本区全部街镇（数据库只有一个区时为默认；多个区时须 --district）\n"
                                        "  各区互检  各区检查组不查本区、不两区互查、每组检查一个区（多个区时为默认，至少 3 个区）")
    plan.add_argument("--kind", default=None, choices=("自查", "区级督导", "各区互检"), metavar="类型",
                      help="检查类型：自查、区级督导 或 各区互检（默认：多个区为各区互检，一个区为区级督导）")
    plan.add_argument("--district", default=None, metavar="区", help="自查或区级督导所在的区")
    plan.add_argument("--round", required=True, metavar="轮次", help="轮次编号，以四位年份开头，例如 2019")
    plan.add_argument("--seed", type=int, default=1, metavar="N", help="随机种子（默认 1）")
    plan.add_argument("--out", default=".", metavar="目录", help="plan.xlsx 的输出目录（默认当前目录）")
    plan.add_argument("--checklists", default=None, metavar="目录", help="检查表目录（默认使用工具箱自带的检查表；可先用 jiuzhu checklist init 目录 复制后修改）")
    _store_option(plan)
    plan.set_defaults(func=_plan)

    forms = group.add_parser("forms", help="为每个被检查街镇生成 Excel 检查表格",
                             description="按本轮检查表为每个被检查街镇生成一份 Excel 表格：填写说明、下拉选项与数据校验、"
                                         "抽中的档案清单、锁定的结构。")
    forms.add_argument("--round", required=True, metavar="轮次", help="轮次编号")
    forms.add_argument("--out", required=True, metavar="目录", help="输出目录")
    forms.add_argument("--district", action="append", metavar="区", help="只生成这个区的表格（可重复）")
    forms.add_argument("--training", default=None, metavar="培训台账.xlsx",
                       help="用培训台账预填“街镇对村（居）社会救助干部开展培训”（TS-25，按村居干部）和“街镇经办人员参加区民政局组织的业务培训”"
                            "（TS-24，按街镇经办人员）两项（建议值，备注中写明来源，检查组确认或修改）")
    _store_option(forms)
    forms.set_defaults(func=_forms)

    imp = group.add_parser("import", help="校验并导入填好的检查表格",
                           description="先校验全部文件，任何一处有误则一个也不导入（返回状态码 2），错误清单输出到"
                                       "标准错误并保存为输入文件旁的 xlsx。同一文件重复导入不会改变数据；"
                                       "同一街镇的新表格会替换旧结果，均记入导入记录。")
    imp.add_argument("files", nargs="+", metavar="文件", help="填好的 .xlsx 检查表格")
    imp.add_argument("--round", required=True, metavar="轮次", help="轮次编号")
    imp.add_argument("--by", default=None, metavar="姓名", help="导入人（默认当前系统用户）")
    _store_option(imp)
    imp.set_defaults(func=_import)

    scores = group.add_parser("scores", help="查看评分、等次、档案合规率和发现的问题",
                              description="按 检查项 → 部分 → 街镇 → 区 汇总得分与等次；每个街镇的档案合规率及 95% "
                                          "Wilson 区间；发现的问题（未得满分的检查项，含严重程度和依据）。")
    scores.add_argument("--round", required=True, metavar="轮次", help="轮次编号")
    scores.add_argument("--district", default=None, metavar="区", help="只看一个区")
    _store_option(scores)
    scores.set_defaults(func=_scores)

    entry = group.add_parser("entry", help="复制录入笔记本，在 JupyterLab 中录入或修改检查结果",
                             description="把录入笔记本 data_entry.ipynb 复制到 目录，在 JupyterLab 中打开，"
                                         "在第一格填写数据库路径和轮次后运行全部单元格。已有同名文件时不覆盖。")
    entry.add_argument("--out", default=".", metavar="目录", help="写入笔记本的目录（默认当前目录）")
    entry.set_defaults(func=_entry)

    for register_more in EXTENSIONS:
        register_more(group)


def _plan(args) -> int:
    from pathlib import Path

    from toolkit.inspections.forms.commands import plan_round
    from toolkit.inspections.scores.views import plan_text

    print(plan_text(plan_round(args.store, args.round, args.seed, Path(args.out), args.checklists,
                               kind=args.kind, district=args.district)))
    return 0


def _entry(args) -> int:
    from toolkit.inspections.forms.package_files import copy_entry_notebook

    print(f"已写出录入笔记本：{copy_entry_notebook(args.out)}\n请在 JupyterLab 中打开它，在第一格填写数据库路径和轮次。")
    return 0


def _forms(args) -> int:
    from pathlib import Path

    from toolkit.inspections.forms.commands import write_forms
    from toolkit.inspections.scores.views import paths_text

    if args.training:
        from toolkit.loop.training_facts import write_forms_with_training

        paths = write_forms_with_training(args.store, args.round, Path(args.out), args.district, Path(args.training),
                                          say=print)
    else:
        paths = write_forms(args.store, args.round, Path(args.out), args.district)
    print(paths_text(f"已生成 {len(paths)} 份检查表格：", paths))
    return 0


def _import(args) -> int:
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.scores.views import import_text

    print(import_text(import_files(args.store, args.round, args.files, imported_by=args.by)))
    return 0


def _scores(args) -> int:
    from toolkit.inspections.scores.scores import load_round_scores
    from toolkit.inspections.scores.views import scores_text

    print(scores_text(load_round_scores(args.store, args.round, args.district), args.district))
    return 0

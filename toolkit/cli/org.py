"""``jiuzhu org template|import`` and ``jiuzhu register import``: a bureau's own 区/街镇 and register.

The header alias table shown by ``--help`` comes from ``toolkit.inspections.register.register_labels``,
loaded only when help is printed (``jiuzhu --help`` stays fast).
"""

from __future__ import annotations

from toolkit.cli._argparse import add_group

DEFAULT_STORE = "data/jiuzhu.sqlite"


def _aliases_epilog(parser, which: str) -> None:
    original = parser.format_help

    def format_help():
        from toolkit.inspections.register import register_labels as labels

        columns = labels.ORG_COLUMNS if which == "org" else labels.REGISTER_COLUMNS
        parser.epilog = "可识别的表头（列的顺序不限）：\n" + labels.alias_help(columns) + \
            ("\n日期可写作 2019-03-01、2019/3/1、2019年3月1日、20190301，或 Excel 日期。" if which != "org" else "")
        return original()

    parser.format_help = format_help


def _store(parser, help_text: str) -> None:
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="路径或URL", help=help_text)
    parser.add_argument("--by", default=None, metavar="姓名", help="导入人（默认当前系统用户），记入导入记录")


def register(subparsers) -> None:
    group = add_group(subparsers, "org", "本单位的区、街镇名册：模板与导入",
                      "用本单位的真实数据开始：template 生成区街镇名册和低保档案名册两个 Excel 模板 → 填写 → "
                      "org import 导入区街镇名册 → jiuzhu register import 导入低保档案名册 → jiuzhu inspect plan。")
    template = group.add_parser("template", help="生成 区街镇名册.xlsx 和 低保档案名册.xlsx 两个模板",
                                description="在 目录 中写出两个 Excel 模板，各含填写说明、表头批注和下拉选项。"
                                            "目录中已有同名文件时不覆盖。")
    template.add_argument("--out", required=True, metavar="目录", help="输出目录（不存在时创建）")
    template.set_defaults(func=_template)
    imp = group.add_parser("import", help="导入区街镇名册（.xlsx 或 CSV）",
                           description="校验并导入区街镇名册：任何一处有误则不导入（返回状态码 2），错误清单输出到"
                                       "标准错误并保存为文件旁的 xlsx。数据库不存在时在已有文件夹中创建。"
                                       "重新导入时新增街镇、更新变化的类型和代码，每处变化记入导入记录。")
    imp.add_argument("file", metavar="文件", help="区街镇名册 .xlsx 或 .csv（UTF-8、带 BOM 的 UTF-8、GB18030/GBK）")
    _store(imp, f"督导检查数据库（默认 {DEFAULT_STORE}；也可写 postgresql+psycopg://用户@主机/库名）")
    _aliases_epilog(imp, "org")
    imp.set_defaults(func=_org_import)

    reg = add_group(subparsers, "register", "低保档案名册：导入与更新",
                    "导入本单位的低保档案名册（先导入区街镇名册）。")
    rimp = reg.add_parser("import", help="导入或更新低保档案名册（.xlsx 或 CSV）",
                          description="校验并导入低保档案名册：档案编号重复、街镇不在名册中、身份证号校验位不符、"
                                      "家庭人数为 0、日期晚于今天、缺少必填列、状态无效等，任何一处有误则整份不导入"
                                      "（返回状态码 2，数据库不变），逐条列出文件、行、列、取值和处理办法，并保存错误清单 xlsx。"
                                      "重新导入：新增新档案、更新变化的档案，不删除；已被某轮抽中的档案，该轮结果不变。")
    rimp.add_argument("file", metavar="文件", help="低保档案名册 .xlsx 或 .csv（UTF-8、带 BOM 的 UTF-8、GB18030/GBK）")
    _store(rimp, f"督导检查数据库（默认 {DEFAULT_STORE}，须已导入区街镇名册）")
    _aliases_epilog(rimp, "register")
    rimp.set_defaults(func=_register_import)


def _template(args) -> int:
    from toolkit.inspections.register.templates import write_templates

    paths = write_templates(args.out)
    print("已生成模板（先填区街镇名册，再填低保档案名册；说明见各文件的“填写说明”工作表）：")
    for path in paths:
        print(f"  {path}")
    return 0


def _org_import(args) -> int:
    from toolkit.inspections.register.register import import_org, result_text

    print(result_text(import_org(args.store, args.file, imported_by=args.by)))
    return 0


def _register_import(args) -> int:
    from toolkit.inspections.register.register import import_register, result_text

    print(result_text(import_register(args.store, args.file, imported_by=args.by)))
    return 0

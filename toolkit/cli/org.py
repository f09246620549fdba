"""``jiuzhu org template|import`` and ``jiuzhu register import``: a bureau's own 区/街镇 and register.

The header alias table shown by ``--help`` comes from ``toolkit.inspections.register.register_labels``,
loaded only when help is printed (``jiuzhu --help`` stays fast).
"""

from __future__ import annotations

from toolkit.cli._argparse import DEFAULT_STORE, add_group


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


# 主送机关 and 版记 of the documents an office sends (整改情况通报, 全市/全区汇总), GB/T 9704-2012
DISPATCH_OPTIONS = {
    "recipients": ("主送机关（印在标题下、正文前，末尾加冒号）", "各区民政局", "青浦区=各街道办事处、镇人民政府"),
    "cc": ("抄送机关（印在最后一页的版记中）", "市政府办公厅，市财政局", "青浦区=区人民政府办公室，区财政局"),
    "printer": ("印发机关（印在版记中，印发日期为成文日期）", "上海市民政局办公室", "青浦区=上海市青浦区民政局办公室"),
}


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
    imp.add_argument("--city-office", default=None, metavar="名称",
                     help="市民政局的全称（全市汇总、全市整改情况通报的落款），如 上海市民政局；只需给一次，记入数据库")
    imp.add_argument("--district-office", action="append", default=[], metavar="区=名称",
                     help="区民政局的全称（街镇自查汇总、全区汇总和本区整改情况通报的落款），"
                          "如 青浦区=上海市青浦区民政局；可重复，每个区一次；未给出时为“区名+民政局”")
    for field, (what, example_city, example_district) in DISPATCH_OPTIONS.items():
        imp.add_argument(f"--city-{field}", default=None, metavar="文字",
                         help=f"市民政局发文的{what}，如 {example_city}；只需给一次，记入数据库；给空字符串则清除")
        imp.add_argument(f"--district-{field}", action="append", default=[], metavar="区=文字",
                         help=f"区民政局发文的{what}，如 {example_district}；可重复，每个区一次；写成 区= 则清除")
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
    from toolkit.inspections.register import offices
    from toolkit.inspections.register.register import check_org_file, import_org, result_text

    offices.check_name(args.city_office, "--city-office")
    pairs = dict(offices.parse_pair(p) for p in args.district_office)
    dispatch = {field: dict(offices.parse_dispatch_pair(p, f"--district-{field}") for p in getattr(args, f"district_{field}"))
                for field in DISPATCH_OPTIONS}
    named = {"--district-office": pairs, **{f"--district-{field}": dispatch[field] for field in dispatch}}
    if any(named.values()):                     # every district named, before anything is written
        _table, rows = check_org_file(args.file)
        known = offices.stored_districts(args.store) + [r["district"] for r in rows]
        for option, districts in named.items():
            offices.check_districts(districts, known, option)
    print(result_text(import_org(args.store, args.file, imported_by=args.by)))
    if args.city_office is not None or pairs:
        named = offices.set_offices(args.store, args.city_office, pairs)
        print("已记录民政部门名称（用于报告落款）：" + "；".join(
            f"{k or '全市'}：{v}" for k, v in named.items()))
    for field, (what, _c, _d) in DISPATCH_OPTIONS.items():
        city = getattr(args, f"city_{field}")
        if city is not None or dispatch[field]:
            named = offices.set_dispatch(args.store, field, city, dispatch[field])
            print(f"已记录{what.split('（')[0]}：" + "；".join(
                f"{k or '全市'}：{v or '（已清除）'}" for k, v in named.items()))
    return 0


def _register_import(args) -> int:
    from toolkit.inspections.register.register import import_register, result_text

    print(result_text(import_register(args.store, args.file, imported_by=args.by)))
    return 0

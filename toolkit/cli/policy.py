"""``jiuzhu policy …``: the policy engine on JSON files (or standard input)."""

from __future__ import annotations

import json
import sys

from toolkit.cli._argparse import add_group

USAGE_EXAMPLE = """示例：
  jiuzhu policy assess household.json
  echo '{"date": "2019-05-01", "members": [{"name": "张三", "age": 45, "income": {"wage": 1500}}]}' | jiuzhu policy assess -
  jiuzhu policy check-procedure case.json
  jiuzhu policy workday add 2018-09-28 3
  jiuzhu policy workday between 2018-09-28 2018-10-08
  jiuzhu policy standard 2019-05-01"""


def register(subparsers) -> None:
    group = add_group(subparsers, "policy", "低保政策计算：家庭收入核算、低保金、流程时限、工作日",
                      "低保政策计算。输入、输出均为 JSON；每条结论都注明政策依据。\n\n" + USAGE_EXAMPLE)
    p = group.add_parser("assess", help="低保家庭收入核算与低保金计算（JSON 输入，JSON 输出）",
                         description="按评估日期在档的低保标准和财产标准，核算家庭收入、判断是否符合低保条件并计算月低保金。\n"
                                     "输入字段：region（默认 shanghai）、date、members（name、age、income、disability_grade）、assets。\n"
                                     "收入类型：计入 wage、business、property、transfer、pension；不计入 special_care、"
                                     "family_planning_award、scholarship、heroism_award、assistance、basic_pension_central。")
    p.add_argument("file", metavar="文件", help="JSON 文件路径；用 - 表示从标准输入读取")
    p.set_defaults(func=_assess)

    p = group.add_parser("check-procedure", help="检查一个低保案件的办理流程和时限是否合规",
                         description="按受理日期适用的规则集（2021-07-01 前为民发〔2012〕220号，之后为民发〔2021〕57号）"
                                     "检查步骤顺序、调查时限、调查人数、民主评议、公示期、决定时限、书面告知、近亲属备案和三分离。\n"
                                     "步骤名：accept、investigate、check、appraise、review、notice_start、notice_end、approve、refuse_notice。")
    p.add_argument("file", metavar="文件", help="JSON 文件路径；用 - 表示从标准输入读取")
    p.set_defaults(func=_check_procedure)

    workday = add_group(group, "workday", "按中国法定节假日和调休计算工作日",
                        "按中国法定节假日和调休安排计算工作日（chinesecalendar）。超出日历覆盖年份时按周一至周五计算，"
                        "并在结果中标注 \"confirmed\": false。")
    p = workday.add_parser("add", help="某日期之后第 N 个工作日是哪天",
                           description="从起始日期的次日起算，第 N 个工作日的日期（N 为负数时向前推算）。")
    p.add_argument("date", metavar="日期", help="起始日期，例如 2018-09-28")
    p.add_argument("n", metavar="N", help="工作日数，例如 3")
    p.set_defaults(func=_workday_add)
    p = workday.add_parser("between", help="两个日期之间有几个工作日",
                           description="统计起始日期之后、截至结束日期（含）的工作日数。")
    p.add_argument("start", metavar="起始日期")
    p.add_argument("end", metavar="结束日期")
    p.set_defaults(func=_workday_between)

    p = group.add_parser("standard", help="查询某日在档的低保标准及其来源",
                         description="显示某日施行的低保标准（元/人·月）、起始日期、来源和可信度。")
    p.add_argument("date", metavar="日期", help="例如 2019-05-01")
    p.add_argument("--region", default="shanghai", metavar="地区", help="地区参数文件名（默认 shanghai）")
    p.set_defaults(func=_standard)


def _read_json(path: str):
    from toolkit.errors import UserError

    name = "标准输入" if path == "-" else path
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except FileNotFoundError:
        raise UserError(f"找不到文件 {path}，请检查路径。") from None
    except UnicodeDecodeError:
        raise UserError(f"{name} 不是 UTF-8 编码的文本，请另存为 UTF-8 后重试。") from None
    except OSError as err:
        raise UserError(f"无法读取 {name}：{err.strerror}。") from None
    if not text.strip():
        raise UserError(f"{name} 是空的，请提供 JSON 内容。")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise UserError(f"{name} 第 {err.lineno} 行第 {err.colno} 列不是有效的 JSON（{err.msg}）。"
                        "请检查引号、逗号和括号是否配对。") from None


def _print(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _warn_unconfirmed() -> None:
    print("警告：日期超出法定节假日日历的覆盖年份，已按周一至周五计算工作日，结果未经确认（\"confirmed\": false）。",
          file=sys.stderr)


def _assess(args) -> int:
    from toolkit.policy import assess

    _print(assess(_read_json(args.file)))
    return 0


def _check_procedure(args) -> int:
    from toolkit.policy import check_procedure

    result = check_procedure(_read_json(args.file))
    if not result["calendar_confirmed"]:
        _warn_unconfirmed()
    _print(result)
    return 0


def _parse_int(value: str, where: str) -> int:
    from toolkit.errors import InputError
    from toolkit.policy.inputs import normalize_text

    text = normalize_text(value)
    try:
        return int(text)
    except ValueError:
        raise InputError(where, value, "不是整数", "请填写整数，例如 3 或 -2") from None


def _workday_add(args) -> int:
    from toolkit.policy import add_workdays
    from toolkit.policy.inputs import parse_date

    result = add_workdays(parse_date(args.date, "日期"), _parse_int(args.n, "N"))
    if not result.confirmed:
        _warn_unconfirmed()
    _print({"date": result.date.isoformat(), "confirmed": result.confirmed})
    return 0


def _workday_between(args) -> int:
    from toolkit.policy import workdays_between
    from toolkit.policy.inputs import parse_date

    result = workdays_between(parse_date(args.start, "起始日期"), parse_date(args.end, "结束日期"))
    if not result.confirmed:
        _warn_unconfirmed()
    _print({"working_days": result.days, "confirmed": result.confirmed})
    return 0


def _standard(args) -> int:
    from toolkit.policy import standard_on
    from toolkit.policy.inputs import parse_date

    day = parse_date(args.date, "日期")
    param = standard_on(day, args.region)
    _print({"region": args.region, "date": day.isoformat(), "standard": int(param.value),
            "effective_from": param.effective_from.isoformat(), "source": param.source,
            "confidence": param.confidence, "note": param.note})
    return 0

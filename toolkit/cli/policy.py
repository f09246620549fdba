"""``jiuzhu policy …``: the policy engine on JSON files (or standard input)."""

from __future__ import annotations

import json
import re
import sys

from toolkit.cli._argparse import add_group

USAGE_EXAMPLE = """示例：
  jiuzhu policy assess household.json
  echo '{"date": "2019-05-01", "members": [{"name": "张三", "age": 45, "income": {"wage": 1500}}]}' | jiuzhu policy assess -
  jiuzhu policy check-procedure case.json
  jiuzhu policy workday add 2018-09-28 3
  jiuzhu policy workday between 2018-09-28 2018-10-08
  jiuzhu policy standard 2019-05-01
  jiuzhu policy params
  jiuzhu policy workday add 2027-09-30 3 --holidays holidays.yaml
  jiuzhu policy params --params params.yaml"""

PARAMS_HELP = ("本单位参数文件（YAML，填写本地公布的低保标准等及其文号，格式见 docs/policy.md）；不填时依次使用环境变量 "
               "JIUZHU_PARAMS、~/.config/jiuzhu/params.yaml（若存在）")
HOLIDAYS_HELP = ("本地节假日文件（YAML，格式见 docs/policy.md）；不填时依次使用环境变量 JIUZHU_HOLIDAYS、"
                 "~/.config/jiuzhu/holidays.yaml（若存在）")


def register(subparsers) -> None:
    group = add_group(subparsers, "policy", "低保政策计算：家庭收入核算、低保金、流程时限、工作日",
                      "低保政策计算。输入、输出均为 JSON；每条结论都注明政策依据。\n\n" + USAGE_EXAMPLE)
    p = group.add_parser("assess", help="低保家庭收入核算与低保金计算（JSON 输入，JSON 输出）",
                         description="按评估日期在档的低保标准和财产标准，核算家庭收入、判断是否符合低保条件并计算月低保金。\n"
                                     "输入字段：region（默认 shanghai）、date、members（name、age、income、disability_grade）、assets。\n"
                                     "收入类型：计入 wage、business、property、transfer、pension；不计入 special_care、"
                                     "family_planning_award、scholarship、heroism_award、assistance、basic_pension_central。")
    p.add_argument("file", metavar="文件", help="JSON 文件路径；用 - 表示从标准输入读取")
    p.add_argument("--today", metavar="日期", help="按该日判断参数是否过期（默认今天）")
    p.add_argument("--params", metavar="文件", help=PARAMS_HELP)
    p.set_defaults(func=_assess)

    p = group.add_parser("check-procedure", help="检查一个低保案件的办理流程和时限是否合规",
                         description="按受理日期适用的规则集（民发〔2012〕220号或民发〔2021〕57号；各规则集的施行日期和时限见 jiuzhu policy params）"
                                     "检查步骤顺序、调查时限、调查人数、民主评议、公示期、决定时限、书面告知、近亲属备案和三分离。\n"
                                     "步骤名：accept、investigate、neighbour_visit、letter_inquiry、check、appraise、review、notice_start、notice_end、"
                                     "approve、refuse_notice。")
    p.add_argument("file", metavar="文件", help="JSON 文件路径；用 - 表示从标准输入读取")
    p.add_argument("--holidays", metavar="文件", help=HOLIDAYS_HELP)
    p.set_defaults(func=_check_procedure)

    workday = add_group(group, "workday", "按中国法定节假日和调休计算工作日",
                        "按中国法定节假日和调休安排计算工作日（chinesecalendar）。内置日历未覆盖的年份，使用本地节假日文件"
                        "（若有，结果注明来源）；都没有时按周一至周五计算，并在结果中标注 \"confirmed\": false。\n"
                        "日期范围 1900-01-01 至 2199-12-31，一次最多推算 2500 个工作日。")
    p = workday.add_parser("add", help="某日期之后第 N 个工作日是哪天",
                           description="从起始日期的次日起算，第 N 个工作日的日期（N 为负数时向前推算）。")
    p.add_argument("date", metavar="日期", help="起始日期，例如 2018-09-28")
    p.add_argument("n", metavar="N", help="工作日数，例如 3")
    p.add_argument("--holidays", metavar="文件", help=HOLIDAYS_HELP)
    p.set_defaults(func=_workday_add)
    p = workday.add_parser("between", help="两个日期之间有几个工作日",
                           description="统计起始日期之后、截至结束日期（含）的工作日数。")
    p.add_argument("start", metavar="起始日期")
    p.add_argument("end", metavar="结束日期")
    p.add_argument("--holidays", metavar="文件", help=HOLIDAYS_HELP)
    p.set_defaults(func=_workday_between)

    p = group.add_parser("standard", help="查询某日在档的低保标准及其来源",
                         description="显示某日施行的低保标准（元/人·月）、起始日期、来源和可信度。")
    p.add_argument("date", metavar="日期", help="例如 2019-05-01")
    p.add_argument("--region", default="shanghai", metavar="地区", help="地区参数文件名（默认 shanghai）")
    p.add_argument("--params", metavar="文件", help=PARAMS_HELP)
    p.set_defaults(func=_standard)

    p = group.add_parser("params", help="列出在档的全部参数及其来源、可信度，并指出过期或需核实的参数",
                         description="列出在档的每一项参数：内容、数值、起始日期、来源、可信度。\n"
                                     "并直接说明哪些已过期或需核实：最新低保标准已施行超过13个月、本年或下一年的法定节假日未在档、"
                                     "可信度为 L 的参数。")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--stale", action="store_true", help="只列出过期或需核实的参数")
    p.add_argument("--today", metavar="日期", help="按该日判断是否过期（默认今天）")
    p.add_argument("--holidays", metavar="文件", help=HOLIDAYS_HELP)
    p.add_argument("--params", metavar="文件", help=PARAMS_HELP)
    p.set_defaults(func=_params)


def _read_json(path: str):
    from toolkit.errors import UserError
    from toolkit.policy.jsoninput import MAX_BYTES, parse_json_bytes

    name = "标准输入" if path == "-" else path
    try:
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read(MAX_BYTES + 1) if stream is not None else sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"找不到文件 {path}，请检查路径。") from None
    except IsADirectoryError:
        raise UserError(f"{path} 是文件夹，请给出 JSON 文件的路径。") from None
    except OSError as err:
        raise UserError(f"无法读取 {name}：{err.strerror}。") from None
    return parse_json_bytes(data, name)


def _use_holidays(args) -> None:
    from toolkit.policy import holidays

    if getattr(args, "holidays", None):
        holidays.use_file(args.holidays)
    holidays.active()        # a bad file is refused before anything is computed


def _use_params(args) -> None:
    from toolkit.policy import params

    if getattr(args, "params", None):
        params.use_file(args.params)
    params.local_entries()   # a bad file is refused before anything is computed


def _today(args):
    from datetime import date

    from toolkit.policy.inputs import parse_date

    return parse_date(args.today, "--today") if getattr(args, "today", None) else date.today()


def _print(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _warn_unconfirmed() -> None:
    print("警告：日期超出法定节假日日历的覆盖年份，已按周一至周五计算工作日，结果未经确认（\"confirmed\": false）。",
          file=sys.stderr)


def _assess(args) -> int:
    from toolkit.policy import assess
    from toolkit.policy.inventory import stale_used

    _use_params(args)
    today = _today(args)
    result = assess(_read_json(args.file))
    for warning in stale_used(result["parameters_used"], today):
        print(f"警告：本次计算使用了过期或需核实的参数——{warning}（详见 jiuzhu policy params）", file=sys.stderr)
    _print(result)
    return 0


def _check_procedure(args) -> int:
    from toolkit.policy import check_procedure
    from toolkit.policy.inventory import stale_limits

    _use_holidays(args)
    result = check_procedure(_read_json(args.file))
    if not result["calendar_confirmed"]:
        _warn_unconfirmed()
    for warning in stale_limits(result["rule_set"]):
        print(f"警告：本次检查使用了需核实的时限——{warning}（详见 jiuzhu policy params）", file=sys.stderr)
    _print(result)
    return 0


def _parse_int(value: str, where: str) -> int:
    from toolkit.errors import InputError
    from toolkit.policy.inputs import normalize_text

    text = normalize_text(value)
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise InputError(where, value[:40], "不是整数", "请填写整数，例如 3 或 -2") from None
    return int(text)


def _workday_add(args) -> int:
    from toolkit.policy import add_workdays
    from toolkit.policy.inputs import parse_date

    _use_holidays(args)
    result = add_workdays(parse_date(args.date, "日期"), _parse_int(args.n, "N"))
    if not result.confirmed:
        _warn_unconfirmed()
    _print({"date": result.date.isoformat(), "confirmed": result.confirmed, **_sources(result.sources)})
    return 0


def _workday_between(args) -> int:
    from toolkit.policy import workdays_between
    from toolkit.policy.inputs import parse_date

    _use_holidays(args)
    result = workdays_between(parse_date(args.start, "起始日期"), parse_date(args.end, "结束日期"))
    if not result.confirmed:
        _warn_unconfirmed()
    _print({"working_days": result.days, "confirmed": result.confirmed, **_sources(result.sources)})


def _sources(sources: tuple[str, ...]) -> dict:
    """``{"source": …}`` when an office's holiday file decided a day (absent: the built-in calendar alone)."""
    return {"source": "；".join(sources)} if sources else {}
    return 0


def _standard(args) -> int:
    from toolkit.policy import standard_on
    from toolkit.policy.inputs import parse_date
    from toolkit.policy.params import LOCAL, load_region

    _use_params(args)
    day = parse_date(args.date, "日期")
    param = standard_on(day, args.region)
    _print({"region": args.region, "date": day.isoformat(), "standard": int(param.value),
            "effective_from": param.effective_from.isoformat(),
            "on_file_until": param.on_file_until.isoformat() if param.on_file_until else None,
            "source": param.source, "confidence": param.confidence, "note": param.note, "origin": param.origin,
            **({"file": str(load_region(args.region).local_path)} if param.origin == LOCAL else {})})
    return 0


def _param_line(row: dict, today: str) -> str:
    """One row of ``jiuzhu policy params`` in Chinese: figure, period, confidence, source, origin, status."""
    if row["shadowed"]:
        status = "已由本地参数文件中的数值取代"
    elif row["stale"]:
        status = f"【过期或需核实】{row['stale']}"
    elif row["until"] and row["until"] < today:
        status = "已过施行期"
    else:
        status = "现行" if not row["from"] or row["from"] <= today else "尚未施行"
    period = (f"{row['from']} 起" + (f"，已知适用至 {row['until']}" if row["until"] else "")) if row["from"] else ""
    origin = f"；出处：{row['origin_label']}" + (f"（{row['file']}）" if row["origin"] == "local" else "")
    return (f"{row['what']}：{row['value']}" + (f"（{period}）" if period else "")
            + f"；可信度 {row['confidence'] or '—'}；来源：{row['source'] or '—'}{origin}；{status}")


def _params(args) -> int:
    from toolkit.policy.inventory import inventory

    _use_holidays(args)
    _use_params(args)
    rows = [row.as_dict() for row in inventory(_today(args))]
    if args.stale:
        rows = [row for row in rows if row["stale"]]
    if args.json:
        _print(rows)
        return 0
    today = _today(args).isoformat()
    for row in rows:
        print(_param_line(row, today))
    stale = [row for row in rows if row["stale"]]
    print(f"\n共 {len(rows)} 项；过期或需核实 {len(stale)} 项。" if stale or not args.stale
          else "没有过期或需核实的参数。")
    return 0

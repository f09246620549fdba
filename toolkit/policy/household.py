"""低保 means test and benefit (household income, property, monthly amount).

Rules (see the project's policy facts (sources and confidence: docs/policy.md)):
- eligible when per-capita counted income is **below** the standard in force on the date
  (《上海市社会救助条例》第十条) and the property test passes;
- income counted and excluded per 民发〔2021〕57号 第十三条;
- benefit = standard × household size − counted income (the gap; 条例第十六条), 2 decimals;
- 分类施保 supplements only where parameters exist (minors from 2021-07-01); others are noted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from toolkit.errors import InputError, ParameterMissing
from toolkit.policy import basis
from toolkit.policy.inputs import check_object, echo, parse_amount, parse_count, parse_date
from toolkit.policy.limits import rule_set_for
from toolkit.policy.params import load_region, standard_on
from toolkit.privacy import mask_name

CENT = Decimal("0.01")
CONFIDENCE_LABELS = {"H": "原文或官方网站", "M": "新闻报道或可靠的间接来源", "L": "来源薄弱，使用前须核实"}

COUNTED_INCOME = {
    "wage": "工资性收入",
    "business": "经营净收入",
    "property": "财产净收入",
    "transfer": "转移净收入",
    "pension": "养老金",
}
EXCLUDED_INCOME = {
    "special_care": "优待抚恤金",
    "family_planning_award": "计划生育奖励与扶助金",
    "scholarship": "奖学金",
    "heroism_award": "见义勇为等奖励性补助",
    "assistance": "社会救助款物",
    "basic_pension_central": "中央确定的城乡居民基本养老保险基础养老金",
}
ASSET_KEYS = {
    "deposits": "货币财产（存款、证券、保险等）",
    "vehicles": "非残疾人功能性补偿代步机动车",
    "non_residential_properties": "非居住类房产",
    "homes": "住房",
    "per_capita_floor_area_below_average": "人均住房面积低于全市平均水平",
}
MEMBER_KEYS = {"name", "age", "income", "disability_grade", "relation"}
HOUSEHOLD_KEYS = {"region", "date", "area", "members", "assets"}
MAX_MEMBERS = 50      # plausibility bound of a household's size (input check, not a policy limit)


@dataclass(frozen=True)
class Member:
    name: str
    age: int | None = None
    income: dict[str, Decimal] = field(default_factory=dict)
    disability_grade: int | None = None


@dataclass(frozen=True)
class Household:
    day: date
    members: tuple[Member, ...]
    region: str = "shanghai"
    area: str = "urban"
    assets: dict | None = None


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Decimal) -> int | float:
    """JSON number: whole amounts as int (standards), others as float with 2 decimals."""
    return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(_money(value))


def _yuan(value: Decimal) -> str:
    return f"{_money(value):.2f}" if value != value.to_integral_value() or value.as_tuple().exponent < 0 else f"{value}"


def parse_household(data: object) -> Household:
    """Validate the JSON shape of ``jiuzhu policy assess``; errors name the field path."""
    check_object(data, "（根）", HOUSEHOLD_KEYS, '{"date": …, "members": […]}')
    if "date" not in data:
        raise InputError("date", None, "缺失", "请填写评估日期，例如 \"2019-05-01\"")
    day = parse_date(data["date"], "date")
    region = data.get("region", "shanghai")
    if not isinstance(region, str):
        raise InputError("region", echo(region), "不是地区名称", "请填写参数文件名，例如 \"shanghai\"")
    load_region(region)  # unknown region → InputError listing the ones on file
    area = data.get("area", "urban")
    if area not in ("urban", "rural"):
        raise InputError("area", echo(area), "不是有效取值", "请填写 urban（城镇）或 rural（农村）")
    members_raw = data.get("members")
    if not isinstance(members_raw, list) or not members_raw:
        raise InputError("members", echo(members_raw), "不是非空的家庭成员列表", "请至少填写一名共同生活的家庭成员")
    if len(members_raw) > MAX_MEMBERS:
        raise InputError("members", echo(members_raw), f"超过合理的家庭人数上限 {MAX_MEMBERS}",
                         "请只填写共同生活的家庭成员")
    members = tuple(_parse_member(m, f"members[{i}]") for i, m in enumerate(members_raw))
    assets = None
    if data.get("assets") is not None:
        assets = _parse_assets(data["assets"])
    return Household(day=day, members=members, region=region, area=area, assets=assets)


def _parse_member(raw: object, where: str) -> Member:
    check_object(raw, where, MEMBER_KEYS, '{"name": …, "age": …, "income": {…}}', "成员字段")
    age = None
    if raw.get("age") is not None:
        age = parse_count(raw["age"], f"{where}.age")
        if age > 130:
            raise InputError(f"{where}.age", echo(raw["age"]), "不是合理的年龄", "请填写 0–130 之间的整数")
    income: dict[str, Decimal] = {}
    income_raw = raw.get("income") or {}
    if not isinstance(income_raw, dict):
        raise InputError(f"{where}.income", echo(income_raw), "不是收入对象", "写成 {\"wage\": 1500}")
    for key, value in income_raw.items():
        path = f"{where}.income.{key}"
        if key not in COUNTED_INCOME and key not in EXCLUDED_INCOME:
            names = "、".join(f"{k}（{v}）" for k, v in {**COUNTED_INCOME, **EXCLUDED_INCOME}.items())
            raise InputError(path, key, "不是已知的收入类型", f"可用类型：{names}")
        amount = parse_amount(value, path)
        if amount < 0:
            raise InputError(path, echo(value), "不能为负数", "收入请填写 0 或正数（月收入，元）")
        income[key] = amount
    grade = None
    if raw.get("disability_grade") is not None:
        grade = parse_count(raw["disability_grade"], f"{where}.disability_grade")
        if not 1 <= grade <= 4:
            raise InputError(f"{where}.disability_grade", echo(raw["disability_grade"]), "不是有效的残疾等级", "请填写 1–4")
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise InputError(f"{where}.name", echo(name), "不是姓名文字", "请填写成员姓名，例如 \"张三\"")
    return Member(name=name, age=age, income=income, disability_grade=grade)


def _parse_assets(raw: object) -> dict:
    if not isinstance(raw, dict):
        raise InputError("assets", echo(raw), "不是财产对象", "写成 {\"deposits\": 20000, \"vehicles\": 0}")
    assets: dict = {}
    for key, value in raw.items():
        path = f"assets.{key}"
        if key not in ASSET_KEYS:
            raise InputError(path, key, "不是已知的财产类型", f"可用类型：{'、'.join(ASSET_KEYS)}")
        if key == "deposits":
            amount = parse_amount(value, path)
            if amount < 0:
                raise InputError(path, echo(value), "不能为负数", "请填写 0 或正数（元）")
            assets[key] = amount
        elif key == "per_capita_floor_area_below_average":
            if not isinstance(value, bool):
                raise InputError(path, echo(value), "不是是/否取值", "请填写 true 或 false")
            assets[key] = value
        else:
            assets[key] = parse_count(value, path)
    return assets


def income_basis(day: date) -> str | None:
    """The article on counted income of the measures in force on ``day``; None when none is on file
    (民发〔2012〕220号 has no article on income on file: nothing is cited rather than a made-up one)."""
    rule_set = rule_set_for(day)
    return rule_set.cite("income_counted") if rule_set.has("income_counted") else None


def benefit_basis(day: date) -> str:
    """The article on the benefit amount of the measures in force on ``day``."""
    return rule_set_for(day).cite("benefit_amount")


def excluded_income_on(day: date) -> dict[str, str]:
    """Income types not counted on ``day`` (key → Chinese label): each only within its window
    (57号第十三条 from 2021-07-01; the central basic pension only to 2025-12-31)."""
    windows = rule_set_for(day).excluded_income
    return {key: label for key, label in EXCLUDED_INCOME.items()
            if key in windows and (windows[key]["until"] is None or day <= windows[key]["until"])}


def regulation_cite(day: date, article: str, region: str = "shanghai") -> str | None:
    """《上海市社会救助条例》 and ``article`` when the 条例 is in force on ``day`` (from 2019-05-01), else None."""
    regulation_from = load_region(region).regulation_from
    return basis.sh(article) if regulation_from is None or day >= regulation_from else None


def _check_exclusions(household: Household) -> None:
    """Excluded income only where an exclusion is on file for the date: anything else is an explicit error."""
    allowed = excluded_income_on(household.day)
    windows = rule_set_for(household.day).excluded_income
    for index, member in enumerate(household.members):
        for key in member.income:
            if key in EXCLUDED_INCOME and key not in allowed:
                note = windows.get(key, {}).get("note") or (
                    f"{household.day.isoformat()} 适用的{rule_set_for(household.day).title}中没有在档的不计入收入条款")
                raise InputError(f"members[{index}].income.{key}", key,
                                 f"在 {household.day.isoformat()} 没有“{EXCLUDED_INCOME[key]}”不计入家庭收入的在档规定",
                                 f"{note}。不会按其他时期的规定推算；请按当时本地认定口径，把该收入填为计入的类型"
                                 f"（如 {'、'.join(COUNTED_INCOME)}），或核实后补充规定")


def assess(data: dict) -> dict:
    """The means test for one household: JSON in, JSON out (see ``jiuzhu policy assess``)."""
    household = parse_household(data)
    return evaluate(household)


def evaluate(household: Household) -> dict:
    day = household.day
    params = load_region(household.region)
    standard = standard_on(day, household.region, household.area)
    _check_exclusions(household)
    size = len(household.members)
    counted = sum((v for m in household.members for k, v in m.income.items() if k in COUNTED_INCOME), Decimal(0))
    excluded = sum((v for m in household.members for k, v in m.income.items() if k in EXCLUDED_INCOME), Decimal(0))
    per_capita = _money(counted / size)
    reasons: list[str] = []
    notes: list[str] = []
    cited = [params.basis_on(params["dibao_standard"], day, standard.source), income_basis(day)]
    used = [_used(household.region, "dibao_standard", standard.effective_from)]

    if per_capita >= standard.value:
        reasons.append(f"家庭月人均收入 {per_capita:.2f} 元不低于当时低保标准 {_yuan(standard.value)} 元"
                       f"（{standard.effective_from.isoformat()} 起施行）")
    if standard.confidence != "H":
        notes.append(f"请核实：所用低保标准 {_yuan(standard.value)} 元的可信度为 {standard.confidence}"
                     f"（{CONFIDENCE_LABELS.get(standard.confidence, '')}）：{standard.note or standard.source}。")

    if household.assets is None:
        notes.append("未提供家庭财产信息，本次未作财产状况核查。")
    else:
        reasons.extend(_property_reasons(household, params, notes))
        rule_set = rule_set_for(day)
        cited.append(rule_set.cite("property_limits") if rule_set.has("property_limits") else None)
        cited.append(params["property_limits"].basis)
        used.append(_used(household.region, "property_limits", params["property_limits"].entry_on(day)["effective_from"]))

    minimum = _wage_notes(household, params, notes)
    if minimum is not None:
        used.append(_used(household.region, "minimum_wage", minimum.effective_from))
    eligible = not reasons
    benefit = _money(standard.value * size - counted) if eligible else Decimal(0)
    supplements = _supplements(household, params, standard, notes) if eligible else []
    cited.append(regulation_cite(day, "第十六条", household.region))
    cited.append(benefit_basis(day))
    if income_basis(day) is None:
        notes.append(f"{day.isoformat()} 适用的家庭收入认定条款未在档，本计算按所填收入全部计入。")
    return {
        "region": household.region,
        "date": day.isoformat(),
        "standard": _num(standard.value),
        "standard_effective_from": standard.effective_from.isoformat(),
        "standard_source": standard.source,
        "standard_confidence": standard.confidence,
        "standard_on_file_until": standard.on_file_until.isoformat() if standard.on_file_until else None,
        "standard_origin": standard.origin,
        "household_size": size,
        "counted_income": float(_money(counted)),
        "excluded_income": float(_money(excluded)),
        "per_capita_income": float(per_capita),
        "eligible": eligible,
        "reasons": reasons,
        "monthly_benefit": float(benefit),
        "supplements": supplements,
        "basis": [c for c in dict.fromkeys(cited) if c],
        "notes": notes,
        "parameters_used": used,
    }


def _property_reasons(household: Household, params, notes: list[str]) -> list[str]:
    series = params["property_limits"]
    entry = series.entry_on(household.day)
    assets = household.assets or {}
    size = len(household.members)
    reasons = []
    deposits = assets.get("deposits", Decimal(0))
    per_capita_assets = _money(deposits / size)
    limit = None
    for band in entry["money_assets_per_capita"]:
        if band["min_size"] <= size <= band.get("max_size", size):
            limit = Decimal(str(band["limit"]))
    if limit is None:
        raise ParameterMissing(f"{series.path} 的 property_limits 中没有适用于 {size} 人家庭的货币财产限额，请补充。")
    if per_capita_assets > limit:
        reasons.append(f"家庭人均货币财产 {per_capita_assets:.2f} 元超过 {size} 人家庭的限额 {limit} 元")
    vehicles = assets.get("vehicles", 0)
    if vehicles > entry["max_vehicles"]:
        reasons.append(f"家庭拥有非残疾人功能性补偿代步机动车 {vehicles} 辆（不得拥有生活用机动车）")
    other = assets.get("non_residential_properties", 0)
    if other > entry["max_non_residential_properties"]:
        reasons.append(f"家庭拥有非居住类房产 {other} 处（不得拥有非居住类房产）")
    homes = assets.get("homes", 0)
    allowed = entry["max_homes_small_floor_area"] if assets.get("per_capita_floor_area_below_average") else entry["max_homes"]
    if homes > allowed:
        reasons.append(f"家庭拥有住房 {homes} 套，超过可拥有的 {allowed} 套")
    if entry.get("confidence") != "H":
        notes.append(f"财产认定限额的可信度为 {entry.get('confidence')}（{entry.get('note', '')}），请按本地现行标准核实。")
    return reasons


def _used(region: str, key: str, effective_from: date) -> dict:
    """A parameter entry an assessment used, as ``jiuzhu policy params`` lists it."""
    return {"key": f"{region}.{key}", "from": effective_from.isoformat()}


def _wage_notes(household: Household, params, notes: list[str]):
    """Notes on wages at or above the minimum wage; the minimum-wage entry, when a note used it."""
    if not params.has("minimum_wage"):
        return None
    wages = [(m, m.income.get("wage")) for m in household.members if m.income.get("wage")]
    if not wages:
        return None
    try:
        minimum = params["minimum_wage"].on(household.day)
    except ParameterMissing:
        return None
    noted = False
    for member, wage in wages:
        if wage >= minimum.value:
            noted = True
            rule = regulation_cite(household.day, "第二十七条", household.region)
            notes.append(
                f"成员{mask_name(member.name)}工资性收入 {_yuan(wage)} 元不低于当时最低工资 {minimum.value} 元；"
                + (f"{rule}规定的就业收入部分豁免没有在档的具体比例" if rule else "该日期适用的就业收入豁免规定未在档")
                + "，本计算未作扣减，请按本地口径复核。")
    return minimum if noted else None


def _supplements(household: Household, params, standard, notes: list[str]) -> list[dict]:
    supplements: list[dict] = []
    minors = [m for m in household.members if m.age is not None and params.has("minor_standard")
              and m.age <= int(params["minor_standard"].settings.get("max_age", 15))]
    if minors:
        series = params["minor_standard"]
        entry = next((e for e in series.covering() if e["effective_from"] == standard.effective_from), None)
        if entry is None:
            notes.append(f"家庭有未成年人；{household.day.isoformat()} 适用的未成年人分类施保标准未在档，未计算增发。")
        else:
            extra = Decimal(str(entry["value"])) - standard.value
            for member in minors:
                supplements.append({
                    "type": "minor",
                    "title": "未成年人分类施保",
                    "member": mask_name(member.name),
                    "monthly_amount": float(_money(extra)),
                    "basis": series.basis,
                    "confidence": entry["confidence"],
                })
    rule = regulation_cite(household.day, "第十六条", household.region)
    cite = f"（{rule}）" if rule else ""
    severe = [m for m in household.members if m.disability_grade in (1, 2)]
    if severe:
        notes.append(f"家庭有重度残疾人；其分类施保增发标准未在档，未计算{cite}。")
    elderly = [m for m in household.members if m.age is not None and m.age >= 60]
    if elderly:
        notes.append(f"家庭有老年人；其分类施保增发标准未在档，未计算{cite}。")
    return supplements

"""m01 家庭收入核算与低保金计算: counted vs excluded income, per-capita income, eligibility, benefit.

Traps drawn by seed (each on its own, so any combination occurs):
- ``excluded``: the household has income that must not be counted (优抚金、奖学金 …);
- ``new_standard``: the assessment date is the day a new standard starts, and the per-capita income
  lies between the old and the new standard, so using the old standard gives the wrong answer;
- ``equal``: per-capita counted income is exactly the standard — not *below* it, so not eligible.
Every right answer comes from :func:`toolkit.policy.assess` and :func:`toolkit.policy.standard_on`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from toolkit.cases.base import Case, Option, Question
from toolkit.cases.fiction import SURNAMES, distinct_names, place
from toolkit.cases.render import FICTION_NOTE, cn_date, join_blocks, md_table, yuan
from toolkit.cases.standards import (draw_day, last_case_day, new_standard_days, standard_basis, standard_text,
                                     standards_table)
from toolkit.policy import COUNTED_INCOME, assess, benefit_basis, excluded_income_on, income_basis, standard_on
from toolkit.policy import basis, rule_set_for

ASSIGNMENT = "m01_means_test"
TITLE = "家庭收入核算与低保金计算"

# The income rules taught (counted and excluded income) are 民发〔2021〕57号第十三条, in force from
# 2021-07-01; no earlier article on income is on file, so cases are set under the 2021 rules only.
FIRST_DAY = date(2021, 7, 1)
LAST_DAY = last_case_day()      # up to the current standard year (see toolkit.cases.standards)
WAGE_CAPS = (1680, 2360)          # wages stay below every minimum wage on file (no 条例 art. 27 question here)
NONE_KEY = "none"

# Case wording for each income type: the trainee sees the description, never the type.
INCOME_WORDING = {
    "wage": ("在超市做理货员的月工资", "在物业公司做保洁员的月工资", "在快递网点做分拣员的月工资", "在餐馆帮厨的月工资"),
    "business": ("经营早点摊位的月净收入", "开网店的月净收入"),
    "property": ("出租一间车库的月租金收入", "出租一间储藏室的月租金收入"),
    "transfer": ("已分户居住的子女每月给付的赡养费",),
    "pension": ("每月领取的企业职工基本养老金",),
    "special_care": ("作为伤残退役军人每月领取的伤残抚恤金",),
    "family_planning_award": ("计划生育家庭特别扶助金（按月发放）",),
    "scholarship": ("在校期间获得的国家奖学金（折算到每月）",),
    "heroism_award": ("见义勇为奖励金（折算到每月）",),
    "assistance": ("上月领取的临时救助金（折算到每月）",),
    "basic_pension_central": ("城乡居民基本养老保险中由中央确定的基础养老金",),
}
EXCLUDED_FOR = {  # which excluded income fits which kind of member
    "adult": ("special_care", "family_planning_award", "heroism_award", "assistance"),
    "elder": ("special_care", "family_planning_award", "basic_pension_central", "assistance"),
    "student": ("scholarship", "heroism_award"),
}

Q_PROMPTS = {
    "q1": "下列各项收入中，哪些**不应**计入家庭收入？（可多选；若都应计入，只选“都应计入”）",
    "q2": "该家庭月收入中**应计入**的部分合计是多少元？",
    "q3": "该家庭月人均收入是多少元？（保留两位小数）",
    "q4": "评估日当天适用的本市城乡低保标准是每人每月多少元？",
    "q5": "该家庭是否符合最低生活保障的收入条件？",
    "q6": "如符合条件，该家庭每月可领取的低保金（按差额补足计算，不含分类施保增发）是多少元？不符合请填 0。",
}
POINTS = {"q1": 2, "q2": 2, "q3": 1, "q4": 1, "q5": 2, "q6": 2}


ROLE_SEX = {"父亲": "m", "母亲": "f", "儿子": "m", "女儿": "f"}   # 户主 drawn, 配偶 the other sex


@dataclass
class _Member:
    name: str
    role: str        # 户主 / 配偶 / 子女 / 父亲 …
    age: int
    kind: str        # adult / elder / student / child
    income: dict[str, int] = field(default_factory=dict)


def _draw_date(rng: random.Random, new_standard: bool) -> date:
    """A day whose standard a case may teach (H or M, on file); for the trap, a first day of a new
    standard whose predecessor may be taught too (cases are never set in a gap or on an L figure)."""
    if new_standard:
        return rng.choice(new_standard_days(FIRST_DAY + timedelta(days=1), LAST_DAY))
    return draw_day(rng, FIRST_DAY, LAST_DAY)


def _draw_members(rng: random.Random) -> list[_Member]:
    surname = rng.choice(SURNAMES)
    size = rng.choice((1, 2, 2, 3, 3, 3, 4))
    head_age = rng.randint(38, 58)
    head_sex = rng.choice(("m", "f"))
    plan = [("户主", head_age, "adult", head_sex)]
    if size >= 2:
        plan.append(("配偶", head_age + rng.randint(-4, 4), "adult", "f" if head_sex == "m" else "m")
                    if rng.random() < 0.6 else ("母亲", head_age + rng.randint(24, 30), "elder", "f"))
    while len(plan) < size:
        if rng.random() < 0.7:
            age = rng.randint(7, 21)
            role = rng.choice(("儿子", "女儿"))
            plan.append((role, age, "student" if age >= 16 else "child", ROLE_SEX[role]))
        else:
            plan.append(("父亲", head_age + rng.randint(25, 32), "elder", "m"))
    sexes = [sex for *_, sex in plan]
    names = distinct_names(rng, size, surname, sexes=sexes)
    if plan[1:2] and plan[1][0] in ("配偶", "母亲"):   # a spouse or mother has her or his own surname
        names[1] = distinct_names(rng, 1, avoid=set(names), sexes=sexes[1:2])[0]
    return [_Member(name, role, age, kind) for name, (role, age, kind, _sex) in zip(names, plan)]


def _split_counted(rng: random.Random, members: list[_Member], total: int) -> None:
    """Spread ``total`` yuan of counted income over plausible sources."""
    slots: list[tuple[_Member, str]] = []
    for m in members:
        if m.kind == "adult":
            slots.append((m, rng.choice(("wage", "wage", "business"))))
        elif m.kind == "elder":
            slots.append((m, "pension"))
    head = members[0]
    uncapped = [s for s in slots if s[1] != "wage"]
    if not uncapped:
        extra = rng.choice(("transfer", "property")) if head.age >= 50 else "property"
        slots.append((head, extra))
    weights = [rng.uniform(0.5, 1.5) for _ in slots]
    amounts = [int(total * w / sum(weights)) for w in weights]
    amounts[-1] += total - sum(amounts)
    surplus = 0
    for i, (_, key) in enumerate(slots):
        cap = rng.randint(*WAGE_CAPS)
        if key == "wage" and amounts[i] > cap:
            surplus += amounts[i] - cap
            amounts[i] = cap
    target = next(i for i, (_, key) in enumerate(slots) if key != "wage")
    amounts[target] += surplus
    for (member, key), amount in zip(slots, amounts):
        if amount > 0:
            member.income[key] = member.income.get(key, 0) + amount


def _add_excluded(rng: random.Random, members: list[_Member], day: date) -> None:
    """Income not counted, of a kind whose exclusion is in force on ``day`` (each only within its window)."""
    in_force = excluded_income_on(day)
    candidates = [m for m in members if m.kind in EXCLUDED_FOR]
    for member in rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 2)))):
        key = rng.choice([k for k in EXCLUDED_FOR[member.kind] if k in in_force])
        member.income[key] = rng.randrange(100, 900, 10)


def _household(day: date, members: list[_Member]) -> dict:
    return {"region": "shanghai", "date": day.isoformat(),
            "members": [{"name": m.name, "age": m.age, "income": dict(m.income)} for m in members]}


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def generate(seed: int) -> Case:
    rng = random.Random(seed)
    traps = {name for name in ("excluded", "new_standard", "equal") if rng.random() < 0.4}
    day = _draw_date(rng, "new_standard" in traps)
    standard = standard_on(day)
    members = _draw_members(rng)
    size = len(members)
    if "equal" in traps:
        per_capita_target = standard.value
    elif "new_standard" in traps:
        old = standard_on(day - timedelta(days=1)).value
        per_capita_target = Decimal(rng.randint(int(old) + 1, int(standard.value) - 1))
    else:
        ratio = Decimal(str(rng.uniform(1.03, 1.3) if rng.random() < 0.3 else rng.uniform(0.35, 0.95)))
        per_capita_target = standard.value * ratio
    total = int(per_capita_target * size) if "equal" not in traps else int(standard.value * size)
    _split_counted(rng, members, total)
    if "excluded" in traps:
        _add_excluded(rng, members, day)

    result = assess(_household(day, members))
    where = place(rng)
    lines = [(m, key, amount) for m in members for key, amount in m.income.items()]
    wording = {(m.name, key): rng.choice(INCOME_WORDING[key]) for m, key, _ in lines}
    options = tuple(Option(f"i{n}", f"{m.name}：{wording[(m.name, key)]} {yuan(amount)} 元")
                    for n, (m, key, amount) in enumerate(lines, 1)) + (Option(NONE_KEY, "都应计入"),)
    excluded_keys = frozenset(f"i{n}" for n, (_, key, _a) in enumerate(lines, 1)
                              if key not in COUNTED_INCOME) or frozenset({NONE_KEY})

    counted = _money(result["counted_income"])
    per_capita = _money(result["per_capita_income"])
    std_value = Decimal(str(result["standard"]))
    benefit = _money(result["monthly_benefit"])
    eligible = result["eligible"]
    amount_basis = basis.sh("第十六条") + "；" + benefit_basis(day)
    counted_basis = income_basis(day)
    excluded_basis = rule_set_for(day).cite("income_excluded")
    excluded_text = "、".join(excluded_income_on(day).values())

    head = members[0]
    intro = join_blocks(
        f"## {TITLE}",
        FICTION_NOTE,
        f"{cn_date(day)}，{where.full}居民{head.name}（{head.age}岁）到{where.center}为全家申请城乡居民最低生活保障。"
        f"经入户调查和居民经济状况核对，家庭共同生活成员 {size} 人，家庭财产状况符合规定。"
        f"请以 **{cn_date(day)}** 为评估日，根据下表的月收入情况完成核算。",
        md_table(("成员", "关系", "年龄", "收入项目", "月金额（元）"),
                 [(m.name, m.role, m.age, wording[(m.name, key)], yuan(amount)) for m, key, amount in lines]
                 + [(m.name, m.role, m.age, "无收入", "0") for m in members if not m.income]),
        "说明：表中金额均为经核实的月收入；所有成员均为本市户籍、共同生活。",
        "本市低保标准调整情况（摘录）：",
        standards_table(day),
    )
    counted_text = "＋".join(yuan(a) for m, k, a in lines if k in COUNTED_INCOME) or "0"
    questions = (
        Question("q1", "multi", Q_PROMPTS["q1"], POINTS["q1"], excluded_basis, "income_excluded",
                 answer=excluded_keys, options=options,
                 explanation=f"评估日不计入家庭收入的有：{excluded_text}；工资、经营、财产和赡养费等转移性收入、养老金应计入。"
                             f"本案不计入的收入合计 {yuan(_money(result['excluded_income']))} 元。"),
        Question("q2", "number", Q_PROMPTS["q2"], POINTS["q2"], counted_basis, "income_counted",
                 answer=counted, unit="元",
                 explanation=f"只计入工资、经营、财产、转移性收入和养老金：{counted_text} = {yuan(counted)} 元。"),
        Question("q3", "number", Q_PROMPTS["q3"], POINTS["q3"], basis.sh("第十条") + "；" + counted_basis,
                 "per_capita_income", answer=per_capita, unit="元",
                 explanation=f"月人均收入 = 计入收入 ÷ 共同生活人数 = {yuan(counted)} ÷ {size} = {per_capita:.2f} 元"
                             "（四舍五入保留两位小数）。"),
        Question("q4", "number", Q_PROMPTS["q4"], POINTS["q4"],
                 basis.sh("第十条") + "；" + standard_basis(standard),
                 "standard_in_force", answer=std_value, unit="元",
                 explanation=f"{cn_date(standard.effective_from)}起施行的标准为每人每月 {standard_text(standard, ' 元')}，"
                             f"评估日{cn_date(day)}适用该标准"
                             + ("（新标准自当天起施行，当天即适用新标准）。" if day == standard.effective_from else "。")),
        Question("q5", "choice", Q_PROMPTS["q5"], POINTS["q5"], basis.sh("第十条"), "eligibility_threshold",
                 answer="yes" if eligible else "no",
                 options=(Option("yes", "符合：月人均收入低于低保标准"), Option("no", "不符合：月人均收入不低于低保标准")),
                 explanation=f"月人均收入 {per_capita:.2f} 元，低保标准 {standard_text(standard, ' 元')}。只有人均收入**低于**标准才符合条件，"
                             "等于标准的不符合。"),
        Question("q6", "number", Q_PROMPTS["q6"], POINTS["q6"], amount_basis, "benefit_amount",
                 answer=benefit, unit="元",
                 explanation=(f"低保金按差额补足：{yuan(std_value)} × {size} − {yuan(counted)} = {benefit:.2f} 元。"
                              if eligible else "不符合收入条件，不发放低保金，填 0。")),
    )
    data = {
        "evaluation_date": day.isoformat(),
        "members": [{"成员": m.name, "关系": m.role, "年龄": m.age} for m in members],
        "income": [{"成员": m.name, "收入项目": wording[(m.name, key)], "月金额": amount} for m, key, amount in lines],
    }
    return Case(ASSIGNMENT, TITLE, seed, intro, questions, data)



"""m06 支出型贫困与临时救助: medical-expense poverty and temporary-assistance limits.

Only what the project's policy facts (sources and confidence: docs/policy.md) supports is used (《上海市社会救助条例》第十二条、第十五条、
第十八条、第二十九条、第三十六条).  Figures that are not on file — last year's city average
disposable income, the household's out-of-pocket medical costs — are given in the case and
labelled 案例设定, never presented as policy.  Of the two 支出型 cost tests only "income minus
medical costs below the 低保 standard" is used: the alternative "costs above a set share of
income" has no share on file.  Income, the 低保 test and the standard come from
:func:`toolkit.policy.assess` and :func:`toolkit.policy.standard_on`.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from toolkit.cases.base import Case, Option, Question
from toolkit.cases.fiction import SURNAMES, distinct_names, place
from toolkit.cases.render import FICTION_NOTE, cn_date, join_blocks, md_table, yuan
from toolkit.cases.standards import draw_day, last_case_day, standard_text, standards_table
from toolkit.policy import assess, income_basis, standard_on
from toolkit.policy import basis
from toolkit.policy.special import TEMPORARY_MAX_MONTHS, expenditure_test, temporary_assistance_cap

ASSIGNMENT = "m06_special"
TITLE = "支出型贫困与临时救助"

FIRST_DAY = date(2019, 5, 1)     # 《上海市社会救助条例》 in force
LAST_DAY = last_case_day()       # up to the current standard year (see toolkit.cases.standards)
CENT = Decimal("0.01")

YES_NO = (Option("yes", "是"), Option("no", "否"))
STATUS_OPTIONS = (
    Option("hukou", "可以申请：本市户籍家庭"),
    Option("residence_permit", "可以申请：持有本市居住证"),
    Option("none", "不属于本条例临时救助的申请对象"),
)
STATUS_TEXT = {"hukou": "本市户籍", "residence_permit": "非本市户籍，持有本市居住证", "none": "非本市户籍，也未办理本市居住证"}

Q_PROMPTS = {
    "q1": "案例一：甲家庭的月人均收入是多少元？",
    "q2": "案例一：甲家庭是否符合低保的收入条件？",
    "q3": "案例一：甲家庭的年人均收入是否低于上年度本市居民人均可支配收入（案例设定）？",
    "q4": "案例一：扣除自付医疗费用后，甲家庭的月人均收入是多少元？（结果低于 0 的填 0）",
    "q5": "案例一：甲家庭是否符合支出型贫困家庭生活救助条件？",
    "q6": "案例一：甲家庭每月可获得的支出型贫困生活救助金是多少元？不符合的填 0。",
    "q7": "案例二：乙家庭能否申请本市临时救助？",
    "q8": "案例二：按临时救助的一般标准，乙家庭这次最多可获得多少元临时救助？不能申请的填 0。",
}
POINTS = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 2, "q6": 2, "q7": 1, "q8": 2}


def generate(seed: int) -> Case:
    rng = random.Random(seed)
    day = draw_day(rng, FIRST_DAY, LAST_DAY)      # a day whose standard may be taught (H or M)
    standard = standard_on(day)
    s = standard.value
    where = place(rng)

    # 案例一: a household just above the 低保 line with heavy medical costs
    size = rng.choice((2, 3, 3, 4))
    surname = rng.choice(SURNAMES)
    names = distinct_names(rng, size, surname)
    per_capita_target = s * Decimal(str(rng.uniform(1.05, 2.2)))
    counted = int(per_capita_target * size)
    wage = min(counted, rng.randint(1500, 2300))
    members = [{"name": names[0], "age": rng.randint(40, 58), "income": {"wage": wage}}]
    if counted > wage:
        members.append({"name": names[1], "age": rng.randint(62, 75), "income": {"pension": counted - wage}})
    members += [{"name": n, "age": rng.randint(8, 17)} for n in names[len(members):]]
    result = assess({"region": "shanghai", "date": day.isoformat(), "members": members})
    counted_income = Decimal(str(result["counted_income"]))
    per_capita = Decimal(str(result["per_capita_income"])).quantize(CENT)
    annual_per_capita = per_capita * 12
    above_average = rng.random() < 0.25
    factor = Decimal(str(rng.uniform(0.75, 0.95) if above_average else rng.uniform(1.2, 2.5)))
    city_average = int(annual_per_capita * factor / 100) * 100
    below_average = annual_per_capita < city_average
    cost_case = rng.choice(("low", "high", "over"))
    if cost_case == "low":      # costs too small to bring income below the standard
        medical = int(max(Decimal(0), counted_income - s * size) * Decimal(str(rng.uniform(0.2, 0.8))))
    elif cost_case == "high":   # income after costs below the standard
        medical = int(counted_income - s * size * Decimal(str(rng.uniform(0.3, 0.9))))
    else:                       # costs exceed income
        medical = int(counted_income * Decimal(str(rng.uniform(1.05, 1.5))))
    medical = max(medical, 200)
    test = expenditure_test(counted_income, Decimal(medical), size, s, below_average)

    # 案例二: temporary assistance
    temp_names = distinct_names(rng, 1, avoid=set(names))
    temp_size = rng.randint(1, 4)
    temp_months = rng.randint(1, 5)
    status = rng.choice(("hukou", "hukou", "residence_permit", "none"))
    event = rng.choice(("家中突发火灾，衣物家具全部烧毁", "户主突发重病住院，家庭暂时失去收入", "户主因交通事故受伤无法工作"))
    temp_max = temporary_assistance_cap(s, temp_size, temp_months, status)

    member_rows = [(m["name"], m["age"], "、".join(f"{_INCOME_LABEL[k]} {yuan(v)} 元" for k, v in m.get("income", {}).items())
                    or "无收入") for m in members]
    intro = join_blocks(
        f"## {TITLE}",
        FICTION_NOTE,
        f"评估日：**{cn_date(day)}**。本市低保标准调整情况（摘录）：",
        standards_table(day),
        f"### 案例一：甲家庭（{where.full}）",
        f"甲家庭共同生活 {size} 人，均为本市户籍，家庭财产状况经核对符合低收入家庭认定标准。月收入如下：",
        md_table(("成员", "年龄", "月收入"), member_rows),
        f"**案例设定**（非政策数值，仅用于本题）：上年度本市居民人均可支配收入为 {yuan(city_average)} 元/年；"
        f"经核实，甲家庭近期平均每月自付医疗费用 {yuan(medical)} 元。本题只按“家庭收入扣除医疗费用后低于低保标准”"
        "这一条件判断支出型贫困，不考虑医疗费用占收入比例的条件。",
        "### 案例二：乙家庭",
        f"乙家庭 {temp_size} 人，户主{temp_names[0]}（{STATUS_TEXT[status]}），现居住在{where.district}{where.town}。"
        f"{event}，预计生活困难将持续约 {temp_months} 个月，于{cn_date(day)}向{where.center}申请临时救助。",
    )
    sup = basis.sh("第十二条、第十八条")
    temp_basis = basis.sh("第十五条、第二十九条、第三十六条")
    after_text = f"({yuan(counted_income)} − {yuan(medical)}) ÷ {size}"
    questions = (
        Question("q1", "number", Q_PROMPTS["q1"], POINTS["q1"], "；".join(filter(None, (basis.sh("第十条"), income_basis(day)))),
                 "per_capita_income", answer=per_capita, unit="元",
                 explanation=f"{yuan(counted_income)} ÷ {size} = {per_capita:.2f} 元。"),
        Question("q2", "choice", Q_PROMPTS["q2"], POINTS["q2"], basis.sh("第十条"), "eligibility_threshold",
                 answer="yes" if result["eligible"] else "no", options=YES_NO,
                 explanation=f"当日低保标准 {standard_text(standard, ' 元')}（{cn_date(standard.effective_from)}起施行），月人均收入 "
                             f"{per_capita:.2f} 元" + ("低于标准。" if result["eligible"] else "不低于标准，不符合低保条件。")),
        Question("q3", "choice", Q_PROMPTS["q3"], POINTS["q3"], sup, "expenditure_income_test",
                 answer="yes" if below_average else "no", options=YES_NO,
                 explanation=f"年人均收入 {per_capita:.2f} × 12 = {annual_per_capita:.2f} 元，"
                             f"案例设定的上年度人均可支配收入为 {yuan(city_average)} 元。"),
        Question("q4", "number", Q_PROMPTS["q4"], POINTS["q4"], sup, "expenditure_cost_test",
                 answer=test.per_capita_after_costs, unit="元",
                 explanation=f"{after_text} = {test.per_capita_after_costs:.2f} 元（低于 0 按 0 计）。"),
        Question("q5", "choice", Q_PROMPTS["q5"], POINTS["q5"], sup, "expenditure_eligibility",
                 answer="yes" if test.meets_cost_test else "no", options=YES_NO,
                 explanation="需同时满足：年人均收入低于上年度本市居民人均可支配收入、财产符合规定、扣除医疗费用后月人均收入"
                             f"低于低保标准 {yuan(s)} 元。本案" + ("符合。" if test.meets_cost_test else "不符合。")),
        Question("q6", "number", Q_PROMPTS["q6"], POINTS["q6"], sup, "expenditure_amount",
                 answer=test.monthly_aid, unit="元",
                 explanation=(("医疗费用超过家庭收入，按低保标准全额救助：" f"{yuan(s)} × {size} = {test.monthly_aid:.2f} 元。")
                              if test.meets_cost_test and medical >= counted_income else
                              (f"按差额救助：{yuan(s)} × {size} − ({yuan(counted_income)} − {yuan(medical)}) = "
                               f"{test.monthly_aid:.2f} 元。") if test.meets_cost_test else "不符合条件，填 0。")),
        Question("q7", "choice", Q_PROMPTS["q7"], POINTS["q7"], temp_basis, "temporary_eligibility",
                 answer=status, options=STATUS_OPTIONS,
                 explanation="本市户籍家庭和持有本市居住证的人员可以申请临时救助。"
                             f"乙家庭户主{STATUS_TEXT[status]}。"),
        Question("q8", "number", Q_PROMPTS["q8"], POINTS["q8"], temp_basis, "temporary_amount",
                 answer=temp_max, unit="元",
                 explanation=("乙家庭户主既非本市户籍，也没有本市居住证，不能申请，填 0。" if status == "none" else
                              f"一般每人每月不超过当月低保标准 {yuan(s)} 元，每次最长 {TEMPORARY_MAX_MONTHS} 个月："
                              f"{yuan(s)} × {temp_size} 人 × {min(temp_months, TEMPORARY_MAX_MONTHS)} 个月 = {temp_max:.2f} 元。")),
    )
    data = {"evaluation_date": day.isoformat(), "household_a": [{"成员": n, "年龄": a, "月收入": t} for n, a, t in member_rows],
            "case_settings": {"上年度本市居民人均可支配收入（元/年）": city_average, "月均自付医疗费用（元）": medical}}
    return Case(ASSIGNMENT, TITLE, seed, intro, questions, data)


_INCOME_LABEL = {"wage": "工资", "pension": "养老金"}

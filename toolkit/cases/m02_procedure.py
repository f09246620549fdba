"""m02 审核确认流程与时限: a case timeline around a 国庆 or 春节 holiday.

The seed picks a year (2018 to the current case year, so both the 2012 and the 2021 rule sets occur), a holiday, the
acceptance day just before it, and one to three procedural faults to build in.  The right answers —
which rules are broken and the deadline dates — come from :func:`toolkit.policy.check_procedure`
and the working-day calendar, never from limits written here.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from toolkit.cases.base import Case, Option, Question
from toolkit.cases.fiction import CITY, KIN_NEAR, KIN_NOT_NEAR, distinct_names, place
from toolkit.cases.render import FICTION_NOTE, cn_date, join_blocks, md_table
from toolkit.cases.standards import LAST_CASE_DAY
from toolkit.cases.timeline import (CLASHES, DECISION_RULES, assign_staff, build_timeline, calendar_hint,
                                    earliest_lawful, holiday_run, latest_lawful, step, step_day, violated_rules,
                                    with_step_date)
from toolkit.policy import RULES, STEPS, add_workdays, check_procedure, limit_for, workdays_between
from toolkit.policy.limits import rule_sets
from toolkit.policy import basis

ASSIGNMENT = "m02_procedure"
TITLE = "审核确认流程与时限"

YEARS = range(2018, LAST_CASE_DAY.year + 1)    # up to the current year (toolkit.cases.standards)
FAULTS_BOTH = ("investigation_start", "investigators", "separation_of_duties", "near_relative_filing",
               "notice_period", "steps_order", "late_decision")
FAULTS_2012 = ("appraisal_representatives",)
FAULTS_2021 = ("total_time",)

Q_PROMPTS = {
    "q1": "本案应当适用哪一个审核审批（确认）办法？",
    "q2": "本案办理过程中违反了哪些规定？（可多选）",
    "q3": "按本案适用的办法，家庭经济状况调查最迟应在哪一天启动？",
    "q4": "按本案实际的公示开始日期，公示期最早可以在哪一天结束？",
    "q5": "按本案适用的办法，审批（确认）决定最迟应在哪一天作出？",
    "q6": "本案从受理到作出审批（确认）决定，实际用了多少个工作日？（受理当天不计，结束当天计入）",
}
POINTS = {"q1": 1, "q2": 3, "q3": 2, "q4": 1, "q5": 2, "q6": 1}
RULE_SET_OPTIONS = (Option("2012", basis.MEASURES_2012), Option("2021", basis.MEASURES_2021))


def generate(seed: int) -> Case:
    return build(seed)[0]


def build(seed: int) -> tuple[Case, dict]:
    """The case and the ``check_procedure`` input behind its timeline."""
    rng = random.Random(seed)
    year = rng.choice(YEARS)
    festival = rng.choice(("国庆节", "春节"))
    holiday_start, _ = holiday_run(date(year, 10, 3) if festival == "国庆节" else date(year, 2, 1))
    accept = add_workdays(holiday_start, -rng.randint(1, 3)).date
    rule_set = check_procedure({"steps": [step("accept", accept, [])]})["rule_set"]
    pool = FAULTS_BOTH + (FAULTS_2012 if rule_set == "2012" else FAULTS_2021)
    faults = set(rng.sample(pool, rng.choice((1, 2, 2, 3))))
    if "total_time" in faults:
        faults.discard("late_decision")
    # 2012: objections during the 公示 give 20 working days to decide; 2021: an extension gives 45 in all
    disputed = rule_set == "2012" and rng.random() < 0.25
    extended = rule_set == "2021" and "total_time" not in faults and rng.random() < 0.25

    where = place(rng)
    applicant = distinct_names(rng, 1)[0]
    clash = rng.choice(CLASHES) if "separation_of_duties" in faults else "ok"
    staff = assign_staff(rng, {applicant}, clash)
    kin_staff = rng.choice(("accept", "review", "investigate"))
    if "near_relative_filing" in faults:
        kin, mention_kin = rng.choice(KIN_NEAR), True
    else:
        kin, mention_kin = rng.choice(KIN_NEAR + KIN_NOT_NEAR), rng.random() < 0.5
    near = mention_kin and kin in KIN_NEAR
    relative_of = staff[kin_staff][0]
    case = build_timeline(rng, accept, rule_set, faults, staff, near, disputed=disputed, extended=extended)
    result = check_procedure(case)
    violations = frozenset(v["rule"] for v in result["violations"])
    if not violations:  # every case has something to find
        raise AssertionError(f"seed {seed}: faults {faults} produced no violation")

    approve = step_day(case, "approve")
    latest_investigate, inv_limit = latest_lawful(case, "investigate", {"investigation_start"}, accept)
    notice_start = step_day(case, "notice_start")
    earliest_end = earliest_lawful(case, "notice_end", {"notice_period"}, notice_start)
    notice_end = step_day(case, "notice_end")
    scan_from = accept if violated_rules(with_step_date(case, "approve", notice_end)) & DECISION_RULES else notice_end
    latest_decision, decision_limit = latest_lawful(case, "approve", DECISION_RULES, scan_from)
    binding = decision_limit["rule"]
    used = workdays_between(accept, approve)

    rows = []
    for item in case["steps"]:
        day = date.fromisoformat(item["date"])
        note = ""
        if item["step"] == "check":
            note = f"{where.district}居民经济状况核对中心出具核对报告"
        elif item["step"] == "appraise":
            note = f"参加 {item['participants']} 人，其中居民代表 {item['representatives']} 人"
        elif item["step"] == "notice_start":
            note = "在居委会公示栏张贴"
        elif item["step"] == "approve":
            note = f"{where.district}民政局批准"
        rows.append((STEPS[item["step"]], cn_date(day, weekday=True), "、".join(item["staff"]) or "—", note))

    kin_line = ""
    if mention_kin:
        role = {"accept": "受理人员", "review": "审核人员", "investigate": "调查人员"}[kin_staff]
        filed = "已" if case["near_relative_filed"] else "未"
        kin_line = f"申请人{applicant}是{role}{relative_of}的{kin}，{filed}作为经办人员近亲属申请单独登记备案。"
    intro = join_blocks(
        f"## {TITLE}",
        FICTION_NOTE,
        f"{where.full}居民{applicant}于{cn_date(accept)}向{where.center}申请城乡居民最低生活保障，"
        f"材料齐全当场受理。{_circumstances(disputed, extended)}{kin_line}"
        f"办理过程如下（经办人员均为{CITY}{where.district}及{where.town}工作人员）：",
        md_table(("环节", "日期", "经办人员", "备注"), _sorted_rows(case, rows)),
        f"**日历提示**（{cn_date(accept)}至{cn_date(max(approve, latest_decision) + timedelta(days=7))}）："
        + calendar_hint(accept, max(approve, latest_decision) + timedelta(days=7)) + "。",
    )

    rs = result["rule_set"]
    listed = "；".join(f"{v['title']}（{v['message']}）" for v in result["violations"])
    q = (
        Question("q1", "choice", Q_PROMPTS["q1"], POINTS["q1"],
                 _switch_basis(), "rule_set",
                 answer=rs, options=RULE_SET_OPTIONS,
                 explanation=f"以受理日期确定适用的办法：本案{cn_date(accept)}受理，适用"
                             f"{basis.MEASURES_2021 if rs == '2021' else basis.MEASURES_2012}。"),
        Question("q2", "multi", Q_PROMPTS["q2"], POINTS["q2"],
                 "；".join(dict.fromkeys(v["basis"] for v in result["violations"])), "procedure_violations",
                 answer=violations, options=tuple(Option(r.id, r.title) for r in RULES.values()),
                 explanation=f"本案存在的问题：{listed}。"),
        Question("q3", "date", Q_PROMPTS["q3"], POINTS["q3"], RULES["investigation_start"].basis[rs],
                 "investigation_start", answer=latest_investigate,
                 explanation=f"受理后应在 {inv_limit['expected'].lstrip('≤ ')}内启动调查"
                             + ("（入户调查、邻里访问、信函索证或信息核对，任一种调查的第一步即为启动）" if rs == "2021" else "（入户调查）")
                             + f"。从受理日次日起按工作日计算（节假日不计，调休上班日计入），期限内最后一个工作日是"
                             f"{cn_date(latest_investigate, weekday=True)}。" + _first_step_note(case, rs)),
        Question("q4", "date", Q_PROMPTS["q4"], POINTS["q4"], RULES["notice_period"].basis[rs], "notice_period",
                 answer=earliest_end,
                 explanation=f"公示期不少于{limit_for('notice_period', accept).value}天，按自然日计算、首尾两天都算："
                             f"{cn_date(notice_start)}开始，"
                             f"最早{cn_date(earliest_end)}结束（节假日照常计算）。"),
        Question("q5", "date", Q_PROMPTS["q5"], POINTS["q5"], RULES[binding].basis[rs], binding,
                 answer=latest_decision,
                 explanation=f"起作用的时限是“{RULES[binding].title}”（{decision_limit['expected']}）："
                             f"最迟{cn_date(latest_decision, weekday=True)}作出决定。"),
        Question("q6", "number", Q_PROMPTS["q6"], POINTS["q6"],
                 RULES["total_time" if rs == "2021" else "decision_after_notice"].basis[rs], "workday_counting",
                 answer=Decimal(used.days), unit="个工作日", tolerance=Decimal(0),
                 explanation=f"{cn_date(accept)}至{cn_date(approve)}：受理当天不计，节假日和周末不计，"
                             f"调休上班日计入，共 {used.days} 个工作日。"),
    )
    data = {"timeline": [{"环节": STEPS[s["step"]], "日期": s["date"], "经办人员": "、".join(s["staff"])}
                         for s in case["steps"]]}
    return Case(ASSIGNMENT, TITLE, seed, intro, q, data), case


def _first_step_note(case: dict, rs: str) -> str:
    """For a 2021 case whose investigation started with 信息核对: the later home visit is not late."""
    check, visit = step_day(case, "check"), step_day(case, "investigate")
    if rs != "2021" or check >= visit:
        return ""
    return (f"本案{cn_date(check)}先做了居民经济状况信息核对，调查即已启动；其后{cn_date(visit)}的入户调查"
            "不受这一时限约束（民发〔2021〕57号第十五条）。")


def _switch_basis() -> str:
    """"《新办法》自…起施行，《旧办法》同时废止" for the newest national rule set on file."""
    *_, old, new = [rs for rs in rule_sets() if rs.region is None]
    return f"{new.title}自{cn_date(new.effective_from)}起施行，{old.title}同时废止"


def _circumstances(disputed: bool, extended: bool) -> str:
    notice = ("公示期间有居民对该户收入情况提出异议，经复查异议不成立。" if disputed else "公示期间无人提出异议。")
    extension = ("因家庭情况复杂，经批准延长了审核确认期限。" if extended else "本案未办理延期。")
    return notice + extension


def _sorted_rows(case: dict, rows: list[tuple]) -> list[tuple]:
    order = sorted(range(len(case["steps"])), key=lambda i: (case["steps"][i]["date"], i))
    return [rows[i] for i in order]

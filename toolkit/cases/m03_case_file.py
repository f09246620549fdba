"""m03 档案材料核查: a 低保 case file's document list — what is missing, what is defective,
三分离 and near-relative filing.

The timeline behind the file is built like m02's and checked with
:func:`toolkit.policy.check_procedure`; every procedural defect written into a document must be
reported by the engine (the generator refuses to produce a case otherwise), and whether a
民主评议 record belongs in the file is asked of the engine too.  The list of documents a complete
file holds is the local practice recorded in the project's policy facts (sources and confidence: docs/policy.md) (confidence M).
"""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta

from toolkit.cases.base import Case, Option, Question
from toolkit.cases.fiction import KIN_NEAR, KIN_NOT_NEAR, distinct_names, place
from toolkit.cases.render import FICTION_NOTE, cn_date, join_blocks, md_table
from toolkit.cases.standards import LAST_CASE_DAY
from toolkit.cases.timeline import CLASHES, assign_staff, build_timeline, step_day, violated_rules
from toolkit.policy import RULES, add_workdays, check_procedure, rule_set_for
from toolkit.policy import basis

ASSIGNMENT = "m03_case_file"
TITLE = "档案材料核查"

FIRST_ACCEPT = date(2019, 6, 3)
LAST_ACCEPT = date(LAST_CASE_DAY.year, 9, 30)   # the whole timeline stays inside the calendar year
FILE_PRACTICE = "本市低保档案管理要求（完整档案材料清单）"

# Documents of a complete 低保 case file (policy-facts: "A complete case file", local rule, M).
DOCUMENTS = {
    "application": "低保申请书（申请人签名）",
    "identity": "户口簿、身份证复印件",
    "authorization": "家庭经济状况核对授权书",
    "pledge": "诚信承诺书",
    "acceptance": "受理登记表",
    "near_relative_form": "经办人员近亲属申请备案表",
    "home_visit": "入户调查表（调查人员签名）",
    "check_report": "居民经济状况核对报告",
    "appraisal": "民主评议记录（参加人员签名）",
    "review": "街镇审核意见表",
    "notice": "公示名单及张贴照片",
    "approval": "区民政局审批（确认）表（负责人签名）",
}
MISSABLE = ("identity", "authorization", "pledge", "notice", "appraisal")
# defect → (document, engine rule that must report it, or None for a formal defect)
DEFECTS = {
    "one_investigator": ("home_visit", "investigators"),
    "visit_before_accept": ("home_visit", "steps_order"),
    "short_notice": ("notice", "notice_period"),
    "approval_before_notice_end": ("approval", "steps_order"),
    "few_representatives": ("appraisal", "appraisal_representatives"),
    "unsigned_application": ("application", None),
}
CLASH_OPTIONS = (
    Option("ok", "符合：受理、审核、审批由不同人员办理"),
    Option("accept-review", "不符合：受理与审核为同一人"),
    Option("review-approve", "不符合：审核与审批为同一人"),
    Option("accept-approve", "不符合：受理与审批为同一人"),
)
KIN_OPTIONS = (
    Option("not_near", "不属于近亲属，无需单独登记备案"),
    Option("filed", "属于近亲属，已单独登记备案，符合要求"),
    Option("not_filed", "属于近亲属，但未单独登记备案，不符合要求"),
)
APPRAISAL_OPTIONS = (
    Option("required", "必须有：该办法要求每个申请都组织民主评议"),
    Option("if_disputed", "不是必须：该办法只在公示有异议时才组织民主评议"),
)

Q_PROMPTS = {
    "q1": "档案中**缺少**哪些应有的材料？（可多选）",
    "q2": "哪些材料在签名、日期或人数上**存在问题**？（可多选）",
    "q3": "从受理登记表、审核意见表和审批表的经办人看，本案是否符合“三分离”要求？",
    "q4": "关于申请人与经办人员的关系，下列判断哪一项正确？",
    "q5": "按本案适用的办法，档案中是否必须有民主评议记录？",
}
POINTS = {"q1": 2, "q2": 3, "q3": 2, "q4": 2, "q5": 1}


def _draw_accept(rng: random.Random) -> date:
    day = FIRST_ACCEPT + timedelta(days=rng.randrange((LAST_ACCEPT - FIRST_ACCEPT).days))
    return add_workdays(day, 1).date


def _appraisal_required(timeline: dict) -> bool:
    """Ask the engine whether leaving out the 民主评议 breaks a rule of the applicable set."""
    probe = copy.deepcopy(timeline)
    probe["steps"] = [s for s in probe["steps"] if s["step"] != "appraise"]
    return "appraisal_required" in violated_rules(probe)


def build(seed: int) -> tuple[Case, dict]:
    """The case and the ``check_procedure`` input behind its file."""
    rng = random.Random(seed)
    accept = _draw_accept(rng)
    rule_set = check_procedure({"steps": [{"step": "accept", "date": accept.isoformat()}]})["rule_set"]
    where = place(rng)
    applicant = distinct_names(rng, 1)[0]
    clash = rng.choice(("ok", "ok") + CLASHES)
    staff = assign_staff(rng, {applicant}, clash)
    acceptor = staff["accept"][0]

    kin_case = rng.choice(("not_near", "filed", "not_filed", "none"))
    kin = rng.choice(KIN_NOT_NEAR if kin_case == "not_near" else KIN_NEAR)
    near = kin_case in ("filed", "not_filed")

    defect_pool = [d for d in DEFECTS if d != "few_representatives" or rule_set == "2012"]
    defects = set(rng.sample(defect_pool, rng.choice((1, 1, 2))))
    faults = {"investigators"} if "one_investigator" in defects else set()
    if "few_representatives" in defects:
        faults.add("appraisal_representatives")
    if "short_notice" in defects:
        faults.add("notice_period")
    if kin_case == "not_filed":
        faults.add("near_relative_filing")
    timeline = build_timeline(rng, accept, rule_set, faults, staff, near)
    if "visit_before_accept" in defects:
        _set_day(timeline, "investigate", accept - timedelta(days=rng.randint(1, 3)))
    if "approval_before_notice_end" in defects:
        _set_day(timeline, "approve", step_day(timeline, "notice_end") - timedelta(days=rng.randint(1, 3)))

    result = check_procedure(timeline)
    found = {v["rule"] for v in result["violations"]}
    for defect in defects:
        rule = DEFECTS[defect][1]
        if rule and rule not in found:
            raise AssertionError(f"seed {seed}: defect {defect} not reported by the engine ({found})")
    needs_appraisal = _appraisal_required(timeline)

    required = set(DOCUMENTS) - {"near_relative_form", "appraisal"}
    if near:
        required.add("near_relative_form")
    if needs_appraisal:
        required.add("appraisal")
    missable = [d for d in MISSABLE if d in required and d not in {DEFECTS[x][0] for x in defects}]
    missing = set(rng.sample(missable, rng.choice((1, 1, 2))))
    if kin_case == "not_filed":
        missing.add("near_relative_form")
    present = [d for d in DOCUMENTS if d in required and d not in missing]
    defective = {DEFECTS[d][0] for d in defects}

    sep_violation = next((v for v in result["violations"] if v["rule"] == "separation_of_duties"), None)
    if (sep_violation is None) != (clash == "ok"):
        raise AssertionError(f"seed {seed}: 三分离 {clash} but engine says {sep_violation}")
    kin_answer = "not_near" if not near else ("filed" if "near_relative_filing" not in found else "not_filed")

    size = rng.randint(1, 4)
    rows = [_row(doc, timeline, defects, size, applicant) for doc in present]
    kin_line = ""
    if kin_case != "none":
        kin_line = f"另据了解，申请人{applicant}是受理人员{acceptor}的{kin}。"
    else:
        kin_answer = "not_near"
        kin_line = f"申请人{applicant}与本案经办人员无亲属关系。"
    intro = join_blocks(
        f"## {TITLE}",
        FICTION_NOTE,
        f"区民政局抽查{where.full}居民{applicant}家的低保档案（{cn_date(accept)}受理，已批准，家庭 {size} 人）。"
        f"公示期间无人提出异议。{kin_line}档案内现有材料如下：",
        md_table(("序号", "材料", "日期", "签名／经办人", "记录内容"),
                 [(n, *row) for n, row in enumerate(rows, 1)]),
    )
    rs = rule_set
    file_basis = f"{FILE_PRACTICE}（参照{RULES['missing_step'].basis[rs]}）"
    doc_options = tuple(Option(k, v) for k, v in DOCUMENTS.items())
    figures = rule_set_for(accept).figures()
    defect_text = "；".join(_DEFECT_TEXT[d].format(**figures) for d in sorted(defects))
    questions = (
        Question("q1", "multi", Q_PROMPTS["q1"], POINTS["q1"], file_basis,
                 "file_missing", answer=frozenset(missing), options=doc_options,
                 explanation="完整档案应有：" + "、".join(DOCUMENTS[d] for d in DOCUMENTS if d in required)
                             + "。本案缺少：" + "、".join(DOCUMENTS[d] for d in DOCUMENTS if d in missing) + "。"),
        Question("q2", "multi", Q_PROMPTS["q2"], POINTS["q2"],
                 "；".join(dict.fromkeys([RULES[DEFECTS[d][1]].basis[rs] if DEFECTS[d][1] else file_basis
                                          for d in sorted(defects)])),
                 "file_defects", answer=frozenset(defective), options=doc_options,
                 explanation=f"存在问题的材料：{defect_text}。"),
        Question("q3", "choice", Q_PROMPTS["q3"], POINTS["q3"], RULES["separation_of_duties"].basis[rs],
                 "separation_of_duties", answer=clash, options=CLASH_OPTIONS,
                 explanation=("受理、审核、审批应由不同人员办理。"
                              + (f"本案{sep_violation['message']}。" if sep_violation else "本案三个环节经办人各不相同。"))),
        Question("q4", "choice", Q_PROMPTS["q4"], POINTS["q4"], RULES["near_relative_filing"].basis[rs],
                 "near_relative_filing", answer=kin_answer, options=KIN_OPTIONS,
                 explanation="近亲属指配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女；经办人员近亲属申请的，"
                             "应当单独登记备案。" + _KIN_TEXT[kin_answer].format(kin=kin if kin_case != "none" else "")),
        Question("q5", "choice", Q_PROMPTS["q5"], POINTS["q5"],
                 RULES["appraisal_required"].basis.get(rs) or basis.m2021("第十九条"), "appraisal_required",
                 answer="required" if needs_appraisal else "if_disputed", options=APPRAISAL_OPTIONS,
                 explanation=(f"本案适用{basis.MEASURES_2012}，每个申请都要组织民主评议。" if needs_appraisal else
                              f"本案适用{basis.MEASURES_2021}，只在公示有异议时才组织民主评议；本案公示无异议，"
                              "没有民主评议记录不算缺材料。")),
    )
    data = {"documents": [{"材料": r[0], "日期": r[1], "签名／经办人": r[2], "记录内容": r[3]} for r in rows]}
    return Case(ASSIGNMENT, TITLE, seed, intro, questions, data), timeline


def generate(seed: int) -> Case:
    return build(seed)[0]


# Defects as told in the feedback, formatted with the limits of the case's rule set.
_DEFECT_TEXT = {
    "one_investigator": "入户调查表只有1名调查人员签名（调查人员不得少于{investigators}人）",
    "visit_before_accept": "入户调查表的日期早于受理日期",
    "short_notice": "公示不满{notice_period}天",
    "approval_before_notice_end": "审批表的日期早于公示期满",
    "few_representatives": "民主评议中居民代表不足参加人数的{appraisal_representatives}",
    "unsigned_application": "申请书没有申请人签名",
}
_KIN_TEXT = {
    "not_near": "{kin}不在近亲属范围内（或无亲属关系），无需单独备案。",
    "filed": "{kin}属于近亲属，档案中有备案表，符合要求。",
    "not_filed": "{kin}属于近亲属，但档案中没有备案表，不符合要求。",
}


def _set_day(timeline: dict, name: str, day: date) -> None:
    for item in timeline["steps"]:
        if item["step"] == name:
            item["date"] = day.isoformat()


def _row(doc: str, timeline: dict, defects: set[str], size: int, applicant: str) -> tuple[str, str, str, str]:
    steps = {s["step"]: s for s in timeline["steps"]}
    accept = cn_date(step_day(timeline, "accept"))
    if doc == "application":
        signed = "（无签名）" if "unsigned_application" in defects else applicant
        return DOCUMENTS[doc], accept, signed, f"申请家庭 {size} 人"
    if doc in ("identity", "authorization", "pledge"):
        return DOCUMENTS[doc], accept, applicant if doc != "identity" else "—", f"共 {size} 人" if doc == "identity" else "—"
    if doc == "acceptance":
        return DOCUMENTS[doc], accept, "、".join(steps["accept"]["staff"]), "材料齐全，予以受理"
    if doc == "near_relative_form":
        return DOCUMENTS[doc], accept, "、".join(steps["accept"]["staff"]), "已单独登记备案"
    if doc == "home_visit":
        s = steps["investigate"]
        return DOCUMENTS[doc], cn_date(step_day(timeline, "investigate")), "、".join(s["staff"]), "入户核实家庭成员与收入"
    if doc == "check_report":
        return DOCUMENTS[doc], cn_date(step_day(timeline, "check")), "核对中心", "核对结果符合低保条件"
    if doc == "appraisal":
        s = steps["appraise"]
        return (DOCUMENTS[doc], cn_date(step_day(timeline, "appraise")), "参加人员签名",
                f"参加 {s['participants']} 人，其中居民代表 {s['representatives']} 人")
    if doc == "review":
        return DOCUMENTS[doc], cn_date(step_day(timeline, "review")), "、".join(steps["review"]["staff"]), "同意，报区民政局"
    if doc == "notice":
        return (DOCUMENTS[doc], f"{cn_date(step_day(timeline, 'notice_start'))}至{cn_date(step_day(timeline, 'notice_end'))}",
                "—", "公示期间无异议")
    if doc == "approval":
        return DOCUMENTS[doc], cn_date(step_day(timeline, "approve")), "、".join(steps["approve"]["staff"]), "批准"
    raise KeyError(doc)

"""m04 一口受理与一次性告知: a counter scenario at a 社区事务受理服务中心.

The seed decides where the applicant's hukou is (this 街镇 or another), which household
circumstances need which supporting material, what the applicant brought, and the day the
materials are complete.  Questions: where the application is accepted (一门办理/一口受理), what
must be told at once (一次性告知 — never data the government already shares), 首问负责,
限时办理 (the latest decision day, asked of :func:`toolkit.policy.check_procedure`), and a
free-text 一次性告知书 graded by hand with the guide in its explanation.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from toolkit.cases.base import Case, Option, Question
from toolkit.cases.fiction import CITY, TOWNS, distinct_names, place
from toolkit.cases.render import FICTION_NOTE, cn_date, join_blocks, md_table
from toolkit.cases.standards import LAST_CASE_DAY
from toolkit.cases.timeline import calendar_hint, latest_lawful, step
from toolkit.policy import RULES, add_workdays, check_procedure
from toolkit.policy import basis

ASSIGNMENT = "m04_one_window"
TITLE = "一口受理与一次性告知"

FIRST_DAY = date(2022, 1, 4)
LAST_DAY = date(LAST_CASE_DAY.year, 10, 15)   # the decision deadline stays inside the calendar year

# Supporting material an applicant may be asked for (local practice; policy-facts "case file", M).
MATERIALS = {
    "id_card": "全体家庭成员身份证",
    "hukou_book": "户口簿",
    "authorization": "家庭经济状况核对授权书（家庭成员签名）",
    "pledge": "诚信承诺书",
    "income_proof": "就业成员的劳动合同或工资收入证明",
    "medical_proof": "患病成员的病历和医疗费用票据",
    "disability_cert": "残疾人证",
    "marriage_cert": "结婚证",
    "property_cert": "不动产权证书",
    "insurance_record": "社会保险缴费记录",
}
ALWAYS = ("id_card", "hukou_book", "authorization", "pledge")
SHARED = ("marriage_cert", "property_cert", "insurance_record")   # 案例设定: available by data sharing
CIRCUMSTANCES = {   # household circumstance → material it calls for
    "income_proof": "儿子在一家物流公司打零工，有工资收入",
    "medical_proof": "丈夫患慢性肾病，长期门诊透析",
    "disability_cert": "女儿为二级肢体残疾",
}
WHERE_OPTIONS = (
    Option("local", "直接受理，由本街镇审核"),
    Option("forward", "受理申请，并将材料转交户籍所在地街镇审核"),
    Option("send_back", "告知其回户籍所在地街镇申请，不予受理"),
    Option("district", "告知其到区民政局申请"),
)
FIRST_INQUIRY_OPTIONS = (
    Option("refer_away", "说明此事不归本窗口办理，请其自行到相关部门咨询"),
    Option("own_it", "作为首问责任人当场解答；不能解答的，告知承办窗口并帮助联系，不推诿"),
    Option("later", "请其改天再来咨询"),
    Option("hotline", "请其拨打政务热线咨询"),
)
NOTICE_OPTIONS = (
    Option("once_written", "一次性书面告知需要补齐的全部材料，补齐后即予受理"),
    Option("refuse", "材料不齐，不予受理，也不作说明"),
    Option("piecemeal", "先告知缺少的一部分材料，其余等下次来时再说"),
    Option("all_again", "请申请人把全部材料（含已交的）重新准备一遍再来"),
)
OTHER_MATTERS = ("残疾人两项补贴如何申请", "医疗救助费用如何报销", "老年人居家养老服务补贴如何申请")

Q_PROMPTS = {
    "q1": "窗口工作人员对这份低保申请应当如何处理？",
    "q2": "按一次性告知的要求，应当告知申请人补齐哪些材料？（可多选）",
    "q3": "申请人顺便询问了一件不属于本窗口办理的事项，窗口工作人员应当怎么做？",
    "q4": "材料补齐并受理后，（不办理延期的情况下）最迟应在哪一天完成审核确认？",
    "q5": "发现申请材料不齐时，窗口的正确做法是：",
    "q6": "请为本案写一份《一次性告知书》（直接在答题框中书写，交由培训老师评分）。",
}
POINTS = {"q1": 2, "q2": 3, "q3": 1, "q4": 2, "q5": 1, "q6": 4}


def generate(seed: int) -> Case:
    rng = random.Random(seed)
    where = place(rng)
    hukou_town = where.town if rng.random() < 0.4 else rng.choice([t for t in TOWNS if t != where.town])
    applicant, clerk = distinct_names(rng, 2)
    circumstances = [k for k in CIRCUMSTANCES if rng.random() < 0.5] or [rng.choice(list(CIRCUMSTANCES))]
    needed = list(ALWAYS) + circumstances
    missing = set(rng.sample(needed, rng.randint(1, min(3, len(needed)))))
    brought = [m for m in needed if m not in missing]
    asked_shared = [m for m in SHARED if rng.random() < 0.6]        # things the applicant has not brought
    visit = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    visit = visit if visit.weekday() < 5 else add_workdays(visit, 1).date
    complete = add_workdays(visit, rng.randint(2, 8)).date
    other = rng.choice(OTHER_MATTERS)

    timeline = {"region": "shanghai", "decision": "approved",
                "steps": [step("accept", complete, [clerk]), step("approve", complete, [])]}
    rule_set = check_procedure(timeline)["rule_set"]
    latest, limit = latest_lawful(timeline, "approve", {"total_time"}, complete)

    same_town = hukou_town == where.town
    intro = join_blocks(
        f"## {TITLE}",
        FICTION_NOTE,
        f"{cn_date(visit, weekday=True)}上午，居民{applicant}来到{CITY}{where.district}{where.center}综合受理窗口，"
        f"为全家申请城乡居民最低生活保障。{applicant}全家户籍在{where.district}{hukou_town}，"
        + ("与受理中心同属一个街镇。" if same_town else f"现租住在{where.town}辖区内。")
        + "家庭情况：" + "；".join(CIRCUMSTANCES[c] for c in circumstances) + "。窗口工作人员为" + clerk + "。",
        f"{applicant}带来的材料：" + "、".join(MATERIALS[m] for m in brought) + "。"
        + ("" if not asked_shared else f"没有带：{'、'.join(MATERIALS[m] for m in asked_shared)}。"),
        f"办理过程中，{applicant}还顺便询问“{other}”的办法，该事项由中心的另一个窗口承办。",
        f"**案例设定**：本区已通过政务数据共享，可直接查询{'、'.join(MATERIALS[m] for m in SHARED)}的信息。"
        f"申请人按告知补齐材料后，于{cn_date(complete, weekday=True)}受理。",
        f"**日历提示**（{cn_date(complete)}至{cn_date(latest + timedelta(days=7))}）："
        + calendar_hint(complete, latest + timedelta(days=7)) + "。",
    )
    to_tell = frozenset(m for m in needed if m in missing)
    material_options = tuple(Option(k, v) for k, v in MATERIALS.items())
    shared_text = "、".join(MATERIALS[m] for m in SHARED)
    tell_text = "、".join(MATERIALS[m] for m in MATERIALS if m in to_tell)
    questions = (
        Question("q1", "choice", Q_PROMPTS["q1"], POINTS["q1"], basis.sh("第三十一条、第三十六条"), "one_window",
                 answer="local" if same_town else "forward", options=WHERE_OPTIONS,
                 explanation=("申请人可以在就近的社区事务受理服务中心申请（一门办理、一口受理），由户籍所在地街镇审核确认。"
                              + ("本案户籍就在本街镇，直接受理。" if same_town
                                 else f"本案户籍在{hukou_town}，应当受理并转交{hukou_town}，不得让申请人来回跑。"))),
        Question("q2", "multi", Q_PROMPTS["q2"], POINTS["q2"],
                 basis.m2021("第十条") + "；" + basis.sh("第四十六条"), "one_time_notice",
                 answer=to_tell, options=material_options,
                 explanation=f"应一次性告知补齐：{tell_text}。{shared_text}可通过数据共享获取，不得要求申请人提供；"
                             "与本家庭情况无关的材料也不应要求。"),
        Question("q3", "choice", Q_PROMPTS["q3"], POINTS["q3"], basis.SEED_NOTICE + "（首问负责制）", "first_inquiry",
                 answer="own_it", options=FIRST_INQUIRY_OPTIONS,
                 explanation=f"首问负责：第一个被询问的工作人员要负责到底，对“{other}”应当解答，"
                             "不能解答的告知承办窗口并帮助联系，不得推诿。"),
        Question("q4", "date", Q_PROMPTS["q4"], POINTS["q4"], RULES["total_time"].basis[rule_set], "total_time",
                 answer=latest,
                 explanation=f"限时办理：审核确认自受理之日起计算，{limit['expected']}（受理当天不计，节假日不计，"
                             f"调休上班日计入），最迟{cn_date(latest, weekday=True)}。"),
        Question("q5", "choice", Q_PROMPTS["q5"], POINTS["q5"], basis.m2021("第十条"), "one_time_notice",
                 answer="once_written", options=NOTICE_OPTIONS,
                 explanation="材料不齐的，应当一次性书面告知需要补齐的全部材料，不能让申请人多次往返。"),
        Question("q6", "text", Q_PROMPTS["q6"], POINTS["q6"], basis.m2021("第十条") + "；" + basis.SEED_NOTICE,
                 "one_time_notice_letter",
                 explanation=_grading_guide(applicant, tell_text, shared_text, where.center, clerk)),
    )
    data = {"needed": [MATERIALS[m] for m in needed], "brought": [MATERIALS[m] for m in brought],
            "shared": [MATERIALS[m] for m in SHARED]}
    return Case(ASSIGNMENT, TITLE, seed, intro, questions, data)


def _grading_guide(applicant: str, tell_text: str, shared_text: str, center: str, clerk: str) -> str:
    return md_table(("评分要点", "分值"), [
        (f"写明申请人（{applicant}）、申请事项（城乡居民最低生活保障）和告知日期", 1),
        (f"一次列全需补齐的材料：{tell_text}（漏一项扣0.5分，多要求{shared_text}等共享信息的扣0.5分）", 1.5),
        (f"写明补齐后的提交地点（{center}）、补齐即受理，以及受理后限时办理", 1),
        (f"有经办人（{clerk}）和联系方式、单位落款", 0.5),
    ]) + "\n\n满分4分；语言清楚、不使用“等材料”之类含糊表述。"

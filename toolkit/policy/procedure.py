"""Is a 低保 case's timeline lawful?  Procedure and time-limit rules of the 2012 and 2021 measures.

The rule set follows the acceptance date: 民发〔2012〕220号 for cases accepted before 2021-07-01,
民发〔2021〕57号 from then.  Working days are counted on the Chinese statutory calendar (the day
after the start up to and including the end day); the 公示 period is counted inclusively.

Modelling choices (documented because the measures have more steps than a case record keeps):
- one 公示 pair (``notice_start``/``notice_end``) stands for the 公示 before the decision;
- 2012: the decision must follow within 3 working days after the 公示 ends (art. 29), or within
  20 working days when the 公示 drew objections (``disputed``);
- 2021: the county decides within 10 working days of receiving the materials after the 公示
  (art. 20) and the whole process ends within 30 working days of acceptance, 45 when ``extended``
  (art. 22).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.errors import InputError, ParameterMissing
from toolkit.policy import basis
from toolkit.policy.inputs import check_object, parse_count, parse_date
from toolkit.policy.workdays import workdays_between
from toolkit.privacy import mask_name

RULES_2021_FROM = date(2021, 7, 1)
RULES_2012_FROM = date(2012, 12, 12)

STEPS = {
    "accept": "受理",
    "investigate": "入户调查（启动）",
    "check": "经济状况核对",
    "appraise": "民主评议",
    "review": "审核（初审）",
    "notice_start": "公示开始",
    "notice_end": "公示结束",
    "approve": "审批/确认决定",
    "refuse_notice": "书面告知不予批准",
}
CASE_KEYS = {"region", "decision", "near_relative_of_staff", "near_relative_filed", "extended",
             "disputed", "county_home_visit", "steps"}
STEP_KEYS = {"step", "date", "staff", "participants", "representatives"}

# (earlier, later) pairs that must hold when both steps are on file, per rule set.
ORDER = {
    "2012": [("accept", "investigate"), ("accept", "check"), ("investigate", "appraise"),
             ("appraise", "review"), ("investigate", "review"), ("review", "notice_start"),
             ("notice_start", "notice_end"), ("notice_end", "approve"), ("check", "approve"),
             ("approve", "refuse_notice")],
    "2021": [("accept", "investigate"), ("accept", "check"), ("investigate", "review"),
             ("review", "notice_start"), ("notice_start", "notice_end"), ("notice_start", "appraise"),
             ("appraise", "approve"), ("notice_end", "approve"), ("check", "approve"),
             ("approve", "refuse_notice")],
}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    basis: dict  # rule set → citation


RULES: dict[str, Rule] = {r.id: r for r in [
    Rule("steps_order", "办理步骤按时间先后进行",
         {"2012": basis.m2012("第十八条至第二十九条"), "2021": basis.m2021("第十五条至第二十一条")}),
    Rule("missing_step", "必经步骤齐全",
         {"2012": basis.m2012("第十三条、第十八条、第二十一条、第二十五条、第二十六条"),
          "2021": basis.m2021("第十条、第十五条、第十九条、第二十一条、第二十八条")}),
    Rule("investigation_start", "按时启动家庭经济状况调查",
         {"2012": basis.m2012("第十八条"), "2021": basis.m2021("第十五条")}),
    Rule("investigators", "每组调查人员不少于2人",
         {"2012": basis.m2012("第十八条"), "2021": basis.m2021("第十六条")}),
    Rule("appraisal_required", "组织民主评议", {"2012": basis.m2012("第二十一条")}),
    Rule("appraisal_representatives", "民主评议中村（居）民代表不少于三分之二", {"2012": basis.m2012("第二十二条")}),
    Rule("notice_period", "公示期不少于7天",
         {"2012": basis.m2012("第二十五条、第二十九条"), "2021": basis.m2021("第十九条")}),
    Rule("decision_after_notice", "公示期满后按时作出审批决定", {"2012": basis.m2012("第二十九条")}),
    Rule("county_review", "县级民政部门10个工作日内提出审核确认意见", {"2021": basis.m2021("第二十条")}),
    Rule("total_time", "审核确认自受理之日起30个工作日内完成（特殊情况45个）", {"2021": basis.m2021("第二十二条")}),
    Rule("refusal_notice", "不予批准的按时书面告知理由",
         {"2012": basis.m2012("第二十六条"), "2021": basis.m2021("第二十一条")}),
    Rule("near_relative_filing", "经办人员近亲属申请单独登记备案",
         {"2012": basis.m2012("第十四条"), "2021": basis.m2021("第十一条")}),
    Rule("near_relative_home_visit", "近亲属申请由县级民政部门入户调查",
         {"2012": basis.m2012("第二十六条"), "2021": basis.m2021("第二十条")}),
    Rule("separation_of_duties", "受理、审核、审批由不同人员办理（三分离）",
         {"2012": basis.SEED_NOTICE, "2021": basis.SEED_NOTICE}),
]}


@dataclass(frozen=True)
class Step:
    name: str
    day: date
    staff: tuple[str, ...]
    participants: int | None = None
    representatives: int | None = None


def rule_set_for(accepted: date) -> str:
    if accepted < RULES_2012_FROM:
        raise ParameterMissing(
            f"受理日期 {accepted.isoformat()} 早于 {basis.MEASURES_2012} 的施行日期 {RULES_2012_FROM.isoformat()}，"
            "此前的审核审批规则未在档，无法检查。")
    return "2021" if accepted >= RULES_2021_FROM else "2012"


def _flag(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InputError(key, value, "不是是/否取值", "请填写 true 或 false")
    return value


def _require_accept(steps: dict[str, Step]) -> None:
    if "accept" not in steps:
        raise InputError("steps", "（无 accept）", "缺少受理步骤", "请填写 {\"step\": \"accept\", \"date\": …}，规则集按受理日期确定")


def _parse_steps(raw: object) -> dict[str, Step]:
    if not isinstance(raw, list) or not raw:
        raise InputError("steps", raw, "不是非空的步骤列表", "请按 [{\"step\": \"accept\", \"date\": …, \"staff\": […]}] 填写")
    steps: dict[str, Step] = {}
    for index, item in enumerate(raw):
        where = f"steps[{index}]"
        check_object(item, where, STEP_KEYS, '{"step": …, "date": …, "staff": […]}', "步骤字段")
        name = item.get("step")
        if name not in STEPS:
            listed = "、".join(f"{k}（{v}）" for k, v in STEPS.items())
            raise InputError(f"{where}.step", name, "不是已知的步骤", f"可用步骤：{listed}")
        if name in steps:
            raise InputError(f"{where}.step", name, "重复出现", "每个步骤只填写一次")
        if "date" not in item:
            raise InputError(f"{where}.date", None, "缺失", "请填写该步骤的日期，例如 2022-03-01")
        staff_raw = item.get("staff", [])
        if isinstance(staff_raw, str):
            staff_raw = [staff_raw]
        if not isinstance(staff_raw, list) or not all(isinstance(s, str) for s in staff_raw):
            raise InputError(f"{where}.staff", staff_raw, "不是人员姓名列表", "写成 [\"王芳\", \"李强\"]")
        participants = item.get("participants")
        representatives = item.get("representatives")
        steps[name] = Step(
            name=name,
            day=parse_date(item["date"], f"{where}.date"),
            staff=tuple(s.strip() for s in staff_raw if s.strip()),
            participants=None if participants is None else parse_count(participants, f"{where}.participants"),
            representatives=None if representatives is None else parse_count(representatives, f"{where}.representatives"),
        )
    _require_accept(steps)
    return steps


def check_procedure(data: dict) -> dict:
    """Check a case timeline; JSON in, JSON out (see ``jiuzhu policy check-procedure``)."""
    check_object(data, "（根）", CASE_KEYS, '{"decision": …, "steps": […]}')
    decision = data.get("decision", "approved")
    if decision not in ("approved", "refused"):
        raise InputError("decision", decision, "不是有效取值", "请填写 approved（批准）或 refused（不予批准）")
    flags = {k: _flag(data, k) for k in ("near_relative_of_staff", "near_relative_filed", "extended", "disputed")}
    home_visit = data.get("county_home_visit")
    if home_visit is not None and not isinstance(home_visit, bool):
        raise InputError("county_home_visit", home_visit, "不是是/否取值", "请填写 true 或 false，未记录时不填")
    steps = _parse_steps(data.get("steps"))
    return check_steps(steps, decision, home_visit, **flags)


def check_steps(steps: dict[str, Step], decision: str = "approved", county_home_visit: bool | None = None, *,
                near_relative_of_staff: bool = False, near_relative_filed: bool = False,
                extended: bool = False, disputed: bool = False) -> dict:
    """:func:`check_procedure` on steps already typed and validated by the caller (bulk imports).

    ``steps``: step name -> :class:`Step`, names from ``STEPS``; the result is the same dict.
    """
    _require_accept(steps)
    flags = {"near_relative_of_staff": near_relative_of_staff, "near_relative_filed": near_relative_filed,
             "extended": extended, "disputed": disputed}
    home_visit = county_home_visit
    rule_set = rule_set_for(steps["accept"].day)
    checker = _Checker(rule_set, steps)

    checker.order()
    checker.required(decision)
    checker.investigation()
    if rule_set == "2012":
        checker.appraisal()
    checker.notice()
    checker.decision_time(flags["disputed"], flags["extended"])
    if decision == "refused":
        checker.refusal()
    if flags["near_relative_of_staff"]:
        if not flags["near_relative_filed"]:
            checker.add("near_relative_filing", "申请人是经办人员或村（居）委会成员的近亲属，但未单独登记备案",
                        "单独登记备案", "未登记备案")
        if home_visit is False:
            checker.add("near_relative_home_visit", "近亲属申请未由县级民政部门入户调查", "县级民政部门入户调查", "未入户调查")
    checker.separation()
    return {
        "rule_set": rule_set,
        "rule_set_title": basis.MEASURES_2021 if rule_set == "2021" else basis.MEASURES_2012,
        "compliant": not checker.violations,
        "violations": checker.violations,
        "calendar_confirmed": checker.confirmed,
    }


class _Checker:
    def __init__(self, rule_set: str, steps: dict[str, Step]):
        self.rule_set = rule_set
        self.steps = steps
        self.violations: list[dict] = []
        self.confirmed = True

    def add(self, rule: str, message: str, expected: str, actual: str) -> None:
        self.violations.append({"rule": rule, "title": RULES[rule].title, "message": message,
                                "expected": expected, "actual": actual,
                                "basis": RULES[rule].basis[self.rule_set]})

    def workdays(self, start: str, end: str) -> int:
        count = workdays_between(self.steps[start].day, self.steps[end].day)
        self.confirmed &= count.confirmed
        return count.days

    def order(self) -> None:
        for earlier, later in ORDER[self.rule_set]:
            if earlier in self.steps and later in self.steps and self.steps[later].day < self.steps[earlier].day:
                a, b = self.steps[earlier], self.steps[later]
                self.add("steps_order", f"“{STEPS[later]}”（{b.day.isoformat()}）早于“{STEPS[earlier]}”（{a.day.isoformat()}）",
                         f"{STEPS[earlier]}在先", f"{STEPS[later]}在先")

    def required(self, decision: str) -> None:
        needed = ["investigate", "review", "approve"]
        if decision == "approved":
            needed += ["notice_start", "notice_end"]
        else:
            needed += ["refuse_notice"]
        for name in needed:
            if name not in self.steps:
                self.add("missing_step", f"缺少“{STEPS[name]}”步骤的记录", f"有{STEPS[name]}记录", "无记录")

    def investigation(self) -> None:
        if "investigate" not in self.steps:
            return
        limit = 10 if self.rule_set == "2012" else 3
        days = self.workdays("accept", "investigate")
        if days > limit:
            self.add("investigation_start", f"入户调查在受理后第 {days} 个工作日才启动，超过 {limit} 个工作日的时限",
                     f"≤ {limit} 个工作日", f"{days} 个工作日")
        investigators = len(set(self.steps["investigate"].staff))
        if investigators < 2:
            self.add("investigators", f"入户调查人员只有 {investigators} 人，每组调查人员不得少于2人", "≥ 2 人", f"{investigators} 人")

    def appraisal(self) -> None:
        step = self.steps.get("appraise")
        if step is None:
            self.add("appraisal_required", "未组织民主评议（2012年办法要求以村（居）为单位进行民主评议）", "有民主评议记录", "无记录")
            return
        if step.participants is None or step.representatives is None:
            self.add("appraisal_representatives", "民主评议记录未写明参加人数和村（居）民代表人数，无法核对代表比例",
                     "记录参加总人数和代表人数", "未记录")
        elif step.representatives * 3 < step.participants * 2:
            self.add("appraisal_representatives",
                     f"民主评议参加 {step.participants} 人，其中村（居）民代表 {step.representatives} 人，不足三分之二",
                     f"≥ {-(-step.participants * 2 // 3)} 人", f"{step.representatives} 人")

    def notice(self) -> None:
        if "notice_start" in self.steps and "notice_end" in self.steps:
            days = (self.steps["notice_end"].day - self.steps["notice_start"].day).days + 1
            if days < 7:
                self.add("notice_period", f"公示期只有 {days} 天（含首尾两天），少于7天", "≥ 7 天", f"{days} 天")

    def decision_time(self, disputed: bool, extended: bool) -> None:
        if "approve" not in self.steps:
            return
        if self.rule_set == "2012":
            if "notice_end" in self.steps:
                limit = 20 if disputed else 3
                days = self.workdays("notice_end", "approve")
                if days > limit:
                    self.add("decision_after_notice",
                             f"公示期满后第 {days} 个工作日才作出审批决定，超过 {limit} 个工作日"
                             + ("（公示有异议）" if disputed else ""), f"≤ {limit} 个工作日", f"{days} 个工作日")
            return
        if "notice_end" in self.steps:
            days = self.workdays("notice_end", "approve")
            if days > 10:
                self.add("county_review", f"公示结束后第 {days} 个工作日才作出审核确认，超过10个工作日", "≤ 10 个工作日", f"{days} 个工作日")
        limit = 45 if extended else 30
        days = self.workdays("accept", "approve")
        if days > limit:
            self.add("total_time", f"自受理至审核确认用了 {days} 个工作日，超过 {limit} 个工作日"
                     + ("（已按特殊情况延长）" if extended else ""), f"≤ {limit} 个工作日", f"{days} 个工作日")

    def refusal(self) -> None:
        if "approve" not in self.steps or "refuse_notice" not in self.steps:
            return
        if self.rule_set == "2012":
            days = (self.steps["refuse_notice"].day - self.steps["approve"].day).days
            unit = "日"
        else:
            days = self.workdays("approve", "refuse_notice")
            unit = "个工作日"
        if days > 3:
            self.add("refusal_notice", f"作出不予批准决定后第 {days} {unit}才书面告知，超过3{unit}", f"≤ 3 {unit}", f"{days} {unit}")

    def separation(self) -> None:
        roles = [("accept", "受理"), ("review", "审核"), ("approve", "审批")]
        present = [(name, label, set(self.steps[name].staff)) for name, label in roles if name in self.steps]
        for i, (_, label_a, staff_a) in enumerate(present):
            for _, label_b, staff_b in present[i + 1:]:
                shared = staff_a & staff_b
                if shared:
                    who = "、".join(mask_name(s) for s in sorted(shared))
                    self.add("separation_of_duties", f"{label_a}与{label_b}由同一人员办理：{who}",
                             f"{label_a}、{label_b}人员不同", f"{who} 兼任")

"""Is a 低保 case's timeline lawful?  Procedure and time-limit rules of the 低保 measures.

The rule set follows the acceptance date and every limit is data: ``params/procedure.yaml``
(see :mod:`toolkit.policy.limits`) holds each rule set's start date, steps order, limits with
their units and articles; rule titles and messages are formatted from those values.  Working
days are counted on the Chinese statutory calendar (the day after the start up to and including
the end day); the 公示 period is counted inclusively.

Modelling choices (documented because the measures have more steps than a case record keeps):
- one 公示 pair (``notice_start``/``notice_end``) stands for the 公示 before the decision;
- a rule set with ``decision_after_notice`` (2012) limits the time from the end of the 公示 to
  the decision, with ``decision_after_notice_disputed`` when the 公示 drew objections
  (``disputed``);
- a rule set with ``county_review`` and ``total_time`` (2021) limits the county's decision after
  the 公示 and the whole process from acceptance, with ``total_time_extended`` when ``extended``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from toolkit.errors import InputError
from toolkit.policy import basis
from toolkit.policy.inputs import check_object, echo, parse_count, parse_date, parse_staff
from toolkit.policy.limits import Limit, RuleSet, rule_set_for as _rule_set_for, rule_sets
from toolkit.policy.holidays import active
from toolkit.policy.workdays import add_workdays, count_workdays
from toolkit.privacy import mask_name

STEPS = {
    "accept": "受理",
    "investigate": "入户调查（启动）",
    "neighbour_visit": "邻里访问",
    "letter_inquiry": "信函索证",
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
MAX_PARTICIPANTS = 10_000      # plausibility bound of a 民主评议's head count (input check, not a policy limit)

# Rule titles, formatted with the limits of a rule set ({name} = that limit's value).
RULE_TITLES = {
    "steps_order": "办理步骤按时间先后进行",
    "missing_step": "必经步骤齐全",
    "investigation_start": "按时启动家庭经济状况调查",
    "investigators": "每组调查人员不少于{investigators}人",
    "appraisal_required": "组织民主评议",
    "appraisal_representatives": "民主评议中村（居）民代表不少于{appraisal_representatives}",
    "notice_period": "公示期不少于{notice_period}天",
    "decision_after_notice": "公示期满后按时作出审批决定",
    "county_review": "县级民政部门{county_review}个工作日内提出审核确认意见",
    "total_time": "审核确认自受理之日起{total_time}个工作日内完成（特殊情况{total_time_extended}个）",
    "refusal_notice": "不予批准的按时书面告知理由",
    "near_relative_filing": "经办人员近亲属申请单独登记备案",
    "near_relative_home_visit": "近亲属申请由县级民政部门入户调查",
    "separation_of_duties": "受理、审核、审批由不同人员办理（三分离）",
}
# Rules whose source is not a rule set of the measures but the seed notice.
FIXED_BASIS = {"separation_of_duties": basis.SEED_NOTICE}


def rule_title(rule: str, rule_set: RuleSet) -> str:
    """Chinese title of ``rule`` with the figures of ``rule_set``."""
    return RULE_TITLES[rule].format(**rule_set.figures())


def rule_basis(rule: str, rule_set: RuleSet) -> str:
    """Document and article of ``rule`` in ``rule_set`` (ParameterMissing naming the file when not on file)."""
    return FIXED_BASIS.get(rule) or rule_set.cite(rule)


def _applies(rule: str, rule_set: RuleSet) -> bool:
    if rule in FIXED_BASIS:
        return True
    try:
        RULE_TITLES[rule].format(**rule_set.figures())
    except KeyError:
        return False
    return rule_set.has(rule)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str   # with the figures of the newest rule set it applies to
    basis: dict  # rule set id → citation


def first_investigation(steps: dict, rule_set: RuleSet) -> str | None:
    """The step that started the 家庭经济状况调查: the earliest of the rule set's investigation steps on file
    (2021, 第十五条: 入户调查, 邻里访问, 信函索证 or 信息核对, whichever came first)."""
    present = [name for name in rule_set.investigation_steps if name in steps]
    if not present:
        return None
    def day(name):
        value = steps[name]
        return value.day if isinstance(value, Step) else value
    return min(present, key=lambda name: (day(name), rule_set.investigation_steps.index(name)))


def _build_rules() -> dict[str, Rule]:
    rules = {}
    for rule in RULE_TITLES:
        sets = [rs for rs in rule_sets() if _applies(rule, rs)]
        cite = {rs.id: rule_basis(rule, rs) for rs in sets}
        rules[rule] = Rule(rule, rule_title(rule, sets[-1]) if sets else RULE_TITLES[rule], cite)
    return rules


RULES: dict[str, Rule] = _build_rules()


@dataclass(frozen=True)
class Span:
    """A time limit between two steps: ``end`` at most limit ``key`` after ``start``.

    ``variant_key`` replaces ``key`` when the case flag ``variant_flag`` is set (objections to the
    公示, an extended procedure) and the rule set has that limit.
    """
    start: str
    end: str
    key: str
    variant_flag: str = ""
    variant_key: str = ""

    def limit_key(self, rule_set: RuleSet, flags: dict[str, bool]) -> str:
        if self.variant_flag and flags.get(self.variant_flag) and self.variant_key in rule_set.limits:
            return self.variant_key
        return self.key


SPANS = {
    "investigation_start": Span("accept", "investigate", "investigation_start"),
    "decision_after_notice": Span("notice_end", "approve", "decision_after_notice", "disputed",
                                  "decision_after_notice_disputed"),
    "county_review": Span("notice_end", "approve", "county_review"),
    "total_time": Span("accept", "approve", "total_time", "extended", "total_time_extended"),
    "refusal_notice": Span("approve", "refuse_notice", "refusal_notice"),
}


@dataclass(frozen=True)
class Deadline:
    """The latest lawful day of a span's end step (for ``notice_period``: the earliest end of the 公示)."""
    rule: str
    day: date
    limit: Limit
    expected: str       # as in a violation: "≤ " and the limit with its unit
    basis: str
    confirmed: bool     # the working-day calendar knew every day counted


def deadline(rule: str, days: dict[str, date], disputed: bool = False, extended: bool = False,
             region: str | None = None) -> Deadline:
    """Compute the deadline of ``rule`` from the step dates ``days`` (``accept`` fixes the rule set).

    Computed on the working-day calendar, never searched: the n-th working day after the start
    (or n calendar days for limits in days); ``notice_period`` gives the earliest lawful end.
    """
    rule_set = _rule_set_for(days["accept"], region)
    if rule == "notice_period":
        limit = rule_set.limit("notice_period")
        end = days["notice_start"] + timedelta(days=limit.value - 1)     # both first and last day count
        return Deadline(rule, end, limit, f"≥ {limit.value} 天", rule_basis(rule, rule_set), True)
    span = SPANS[rule]
    limit = rule_set.limit(span.limit_key(rule_set, {"disputed": disputed, "extended": extended}))
    if limit.unit == "working_days":
        result = add_workdays(days[span.start], limit.value)
        end, confirmed = result.date, result.confirmed
    else:
        end, confirmed = days[span.start] + timedelta(days=limit.value), True
    return Deadline(rule, end, limit, f"≤ {_days_text(limit.value, limit.unit)}", rule_basis(rule, rule_set), confirmed)


@dataclass(frozen=True)
class Step:
    name: str
    day: date
    staff: tuple[str, ...]
    participants: int | None = None
    representatives: int | None = None


def _flag(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise InputError(key, value, "不是是/否取值", "请填写 true 或 false")
    return value


def _require_accept(steps: dict[str, Step]) -> None:
    if "accept" not in steps:
        raise InputError("steps", "（无 accept）", "缺少受理步骤", "请填写 {\"step\": \"accept\", \"date\": …}，规则集按受理日期确定")


def _head_counts(item: dict, where: str) -> tuple[int | None, int | None]:
    """民主评议 participants and representatives, plausible: at most MAX_PARTICIPANTS, representatives ≤ participants."""
    counts = []
    for key in ("participants", "representatives"):
        raw = item.get(key)
        number = None if raw is None else parse_count(raw, f"{where}.{key}")
        if number is not None and number > MAX_PARTICIPANTS:
            raise InputError(f"{where}.{key}", echo(raw), f"超过合理人数上限 {MAX_PARTICIPANTS}", "请填写实际参加民主评议的人数")
        counts.append(number)
    participants, representatives = counts
    if participants is not None and representatives is not None and representatives > participants:
        raise InputError(f"{where}.representatives", representatives, f"多于参加总人数 {participants}",
                         "代表人数是参加人员中的村（居）民代表，不能多于参加总人数；请核对记录")
    return participants, representatives


def _parse_steps(raw: object) -> dict[str, Step]:
    if not isinstance(raw, list) or not raw:
        raise InputError("steps", echo(raw), "不是非空的步骤列表", "请按 [{\"step\": \"accept\", \"date\": …, \"staff\": […]}] 填写")
    steps: dict[str, Step] = {}
    for index, item in enumerate(raw):
        where = f"steps[{index}]"
        check_object(item, where, STEP_KEYS, '{"step": …, "date": …, "staff": […]}', "步骤字段")
        name = item.get("step")
        if not isinstance(name, str) or name not in STEPS:
            listed = "、".join(f"{k}（{v}）" for k, v in STEPS.items())
            raise InputError(f"{where}.step", echo(name), "不是已知的步骤", f"可用步骤：{listed}")
        if name in steps:
            raise InputError(f"{where}.step", name, "重复出现", "每个步骤只填写一次")
        if "date" not in item:
            raise InputError(f"{where}.date", None, "缺失", "请填写该步骤的日期，例如 2022-03-01")
        participants, representatives = _head_counts(item, where)
        steps[name] = Step(
            name=name,
            day=parse_date(item["date"], f"{where}.date"),
            staff=parse_staff(item.get("staff", []), f"{where}.staff"),
            participants=participants,
            representatives=representatives,
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
    region = data.get("region")
    if region is not None and not isinstance(region, str):
        raise InputError("region", echo(region), "不是地区名称", "请填写地区名，例如 \"shanghai\"，或不填")
    steps = _parse_steps(data.get("steps"))
    return check_steps(steps, decision, home_visit, region=region, **flags)


def check_steps(steps: dict[str, Step], decision: str = "approved", county_home_visit: bool | None = None, *,
                near_relative_of_staff: bool = False, near_relative_filed: bool = False,
                extended: bool = False, disputed: bool = False, region: str | None = None) -> dict:
    """:func:`check_procedure` on steps already typed and validated by the caller (bulk imports).

    ``steps``: step name -> :class:`Step`, names from ``STEPS``; the result is the same dict.
    """
    _require_accept(steps)
    flags = {"near_relative_of_staff": near_relative_of_staff, "near_relative_filed": near_relative_filed,
             "extended": extended, "disputed": disputed}
    home_visit = county_home_visit
    rule_set = _rule_set_for(steps["accept"].day, region)
    checker = _Checker(rule_set, steps, flags)

    checker.order()
    checker.required(decision)
    checker.investigation()
    if rule_set.has("appraisal_required"):
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
        "rule_set": rule_set.id,
        "rule_set_title": rule_set.title,
        "compliant": not checker.violations,
        "violations": checker.violations,
        "calendar_confirmed": checker.confirmed,
        **({"calendar_source": "；".join(sorted(checker.sources))} if checker.sources else {}),
    }


def _days_text(days: int, unit: str) -> str:
    return f"{days} {'个工作日' if unit == 'working_days' else '日'}"


class _Checker:
    def __init__(self, rule_set: RuleSet, steps: dict[str, Step], flags: dict[str, bool]):
        self.rule_set = rule_set
        self.steps = steps
        self.flags = flags
        self.violations: list[dict] = []
        self.confirmed = True
        self.sources: set[str] = set()     # local holiday files that decided a counted day
        self.calendar = active()            # looked up once per case

    def add(self, rule: str, message: str, expected: str, actual: str) -> None:
        self.violations.append({"rule": rule, "title": rule_title(rule, self.rule_set), "message": message,
                                "expected": expected, "actual": actual, "basis": rule_basis(rule, self.rule_set)})

    def elapsed(self, start: str, end: str, unit: str) -> int:
        """Days from step ``start`` to step ``end``: working days, or calendar days after the start."""
        if unit != "working_days":
            return (self.steps[end].day - self.steps[start].day).days
        count = count_workdays(self.steps[start].day, self.steps[end].day, self.calendar)
        self.confirmed &= count.confirmed
        self.sources.update(count.sources)
        return count.days

    def order(self) -> None:
        for earlier, later in self.rule_set.order:
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
            if self.rule_set.has("refusal_after_check") and "check" in self.steps:
                # 57号第十八条: 信息核对 already shows the household does not qualify; the rest may be skipped
                needed = [name for name in needed if name not in ("investigate", "review")]
        for name in needed:
            if name not in self.steps:
                self.add("missing_step", f"缺少“{STEPS[name]}”步骤的记录", f"有{STEPS[name]}记录", "无记录")

    def late(self, rule: str, message: str, end: str | None = None) -> None:
        """Violation of ``rule`` when its span's end step (or ``end``) comes later than its limit allows.

        ``message`` is formatted with ``days`` (elapsed, with unit) and ``limit`` (the limit, with unit;
        ``tight``: the same without a space).
        """
        span = SPANS[rule]
        limit = self.rule_set.limit(span.limit_key(self.rule_set, self.flags))
        days = self.elapsed(span.start, end or span.end, limit.unit)
        if days > limit.value:
            used, allowed = _days_text(days, limit.unit), _days_text(limit.value, limit.unit)
            self.add(rule, message.format(days=used, limit=allowed, tight=allowed.replace(" ", "")), f"≤ {allowed}", used)

    def investigation(self) -> None:
        first = first_investigation(self.steps, self.rule_set)
        if first is not None:
            what = ("家庭经济状况调查" + (f"（最早的调查步骤为{STEPS[first]}）" if len(self.rule_set.investigation_steps) > 1
                                  else "（入户调查）"))
            self.late("investigation_start", what + "在受理后第 {days}才启动，超过 {limit}的时限", end=first)
        if "investigate" not in self.steps:
            return
        minimum = self.rule_set.limit("investigators").value
        investigators = len(set(self.steps["investigate"].staff))
        if investigators < minimum:
            self.add("investigators", f"入户调查人员只有 {investigators} 人，每组调查人员不得少于{minimum}人",
                     f"≥ {minimum} 人", f"{investigators} 人")

    def appraisal(self) -> None:
        step = self.steps.get("appraise")
        if step is None:
            self.add("appraisal_required", f"未组织民主评议（{self.rule_set.title}要求以村（居）为单位进行民主评议）",
                     "有民主评议记录", "无记录")
            return
        if "appraisal_representatives" not in self.rule_set.limits:
            return
        share = self.rule_set.limit("appraisal_representatives")
        if step.participants is None or step.representatives is None:
            self.add("appraisal_representatives", "民主评议记录未写明参加人数和村（居）民代表人数，无法核对代表比例",
                     "记录参加总人数和代表人数", "未记录")
        elif step.representatives < Fraction(share.value) * step.participants:
            self.add("appraisal_representatives",
                     f"民主评议参加 {step.participants} 人，其中村（居）民代表 {step.representatives} 人，不足{share.text}",
                     f"≥ {math.ceil(Fraction(share.value) * step.participants)} 人", f"{step.representatives} 人")

    def notice(self) -> None:
        if "notice_start" in self.steps and "notice_end" in self.steps:
            minimum = self.rule_set.limit("notice_period").value
            days = (self.steps["notice_end"].day - self.steps["notice_start"].day).days + 1
            if days < minimum:
                self.add("notice_period", f"公示期只有 {days} 天（含首尾两天），少于{minimum}天", f"≥ {minimum} 天", f"{days} 天")

    def decision_time(self, disputed: bool, extended: bool) -> None:
        if "approve" not in self.steps:
            return
        limits = self.rule_set.limits
        if "decision_after_notice" in limits and "notice_end" in self.steps:
            self.late("decision_after_notice",
                      "公示期满后第 {days}才作出审批决定，超过 {limit}" + ("（公示有异议）" if disputed else ""))
        if "county_review" in limits and "notice_end" in self.steps:
            self.late("county_review", "公示结束后第 {days}才作出审核确认，超过{tight}")
        if "total_time" in limits:
            self.late("total_time", "自受理至审核确认用了 {days}，超过 {limit}" + ("（已按特殊情况延长）" if extended else ""))

    def refusal(self) -> None:
        if "approve" not in self.steps or "refuse_notice" not in self.steps:
            return
        self.late("refusal_notice", "作出不予批准决定后第 {days}才书面告知，超过{tight}")

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

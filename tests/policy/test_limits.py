"""Every procedure limit, one day inside and one day outside, on a 2020 case (民发〔2012〕220号) and a
2022 case (民发〔2021〕57号).  The dates are worked out by hand on the statutory calendar (comments);
each violation must cite the article the limit comes from (params/procedure.yaml)."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.errors import ParameterMissing
from toolkit.policy import check_procedure, limit_for, rule_set_for
from toolkit.policy.procedure import RULES, deadline


def timeline(steps: dict, decision: str = "approved", **flags) -> dict:
    """``steps``: step → (date, staff) or (date, staff, extra)."""
    return {"decision": decision, **flags,
            "steps": [{"step": name, "date": spec[0], "staff": list(spec[1]), **(spec[2] if len(spec) > 2 else {})}
                      for name, spec in steps.items()]}


def changed(base: dict, **changes) -> dict:
    return {**base, **{name: (value if isinstance(value, tuple) else (value, base[name][1], *base[name][2:]))
                       for name, value in changes.items()}}


# 2020, 2012 rule set.  Dragon Boat Festival 2020: 25–27 June off, Sunday 28 June a make-up working day.
CASE_2020 = {
    "accept": ("2020-06-01", ["甲"]),
    # art. 18, 10 working days: 2–5 June (4), 8–12 (9), Mon 15 June the 10th.
    "investigate": ("2020-06-15", ["乙", "丙"]),
    # art. 22: of 9 participants at least 6 (⅔) representatives.
    "appraise": ("2020-06-17", ["乙"], {"participants": 9, "representatives": 6}),
    "review": ("2020-06-18", ["丁"]),
    # art. 25, 29: 7 days counting both ends: 19–25 June.
    "notice_start": ("2020-06-19", []),
    "notice_end": ("2020-06-25", []),
    # art. 29, 3 working days after the 公示: Sun 28 June (make-up), Mon 29, Tue 30 June.
    "approve": ("2020-06-30", ["戊"]),
}
REFUSED_2020 = {k: v for k, v in CASE_2020.items() if not k.startswith("notice")} | {
    # art. 26, 3 (calendar) days after the decision of 30 June: 3 July.
    "refuse_notice": ("2020-07-03", ["丁"])}

# 2022, 2021 rule set.  Qingming 2022: 3–5 April off, Saturday 2 April a make-up working day;
# Labour Day 2022: 30 April–4 May off, Sunday 24 April and Saturday 7 May make-up working days.
CASE_2022 = {
    "accept": ("2022-03-01", ["甲"]),
    # art. 15, 3 working days: Wed 2, Thu 3, Fri 4 March.
    "investigate": ("2022-03-04", ["乙", "丙"]),
    "check": ("2022-03-04", []),
    "review": ("2022-03-10", ["丁"]),
    # art. 19, 7 days counting both ends: 11–17 March.
    "notice_start": ("2022-03-11", []),
    "notice_end": ("2022-03-17", []),
    # art. 20, 10 working days after the 公示: 18 (1), 21–25 (6), 28–31 March (10).
    "approve": ("2022-03-31", ["戊"]),
}
# art. 22, 30 working days from acceptance: March 2–31 (22), 1 April (23), Sat 2 April (24), 6–8 (27),
# 11–13 April (30); the 公示 ends 3 April so the county's 10 days are not what binds.
TOTAL_2022 = changed(CASE_2022, review="2022-03-25", notice_start="2022-03-28", notice_end="2022-04-03",
                     approve="2022-04-13")
# art. 22, 45 when extended: 14–15 (32), 18–22 (37), Sun 24 (38), 25–29 (43), 5–6 May (45).
EXTENDED_2022 = changed(CASE_2022, review="2022-04-22", notice_start="2022-04-25", notice_end="2022-05-01",
                        approve="2022-05-06")
# art. 21, 3 working days after the refusal of Tue 22 March: 23, 24, 25 March.
REFUSED_2022 = {k: v for k, v in CASE_2022.items() if not k.startswith("notice")} | {
    "approve": ("2022-03-22", ["戊"]), "refuse_notice": ("2022-03-25", ["丁"])}

# (label, case inside the limit, the same one day outside, flags, rule, article)
LIMITS = [
    ("2020 investigation start 10 wd", CASE_2020, changed(CASE_2020, investigate="2020-06-16"), {},
     "investigation_start", "第十八条"),
    ("2020 two investigators", CASE_2020, changed(CASE_2020, investigate=("2020-06-15", ["乙"])), {},
     "investigators", "第十八条"),
    ("2020 two thirds representatives", CASE_2020,
     changed(CASE_2020, appraise=("2020-06-17", ["乙"], {"participants": 9, "representatives": 5})), {},
     "appraisal_representatives", "第二十二条"),
    ("2020 notice 7 days", CASE_2020, changed(CASE_2020, notice_end="2020-06-24"), {}, "notice_period", "第二十五条"),
    ("2020 decision 3 wd after notice", CASE_2020, changed(CASE_2020, approve="2020-07-01"), {},
     "decision_after_notice", "第二十九条"),
    # disputed, 20 working days after 25 June: 28–30 June (3), 1–3 July (6), 6–10 (11), 13–17 (16), 20–23 July (20)
    ("2020 decision 20 wd when disputed", changed(CASE_2020, approve="2020-07-23"),
     changed(CASE_2020, approve="2020-07-24"), {"disputed": True}, "decision_after_notice", "第二十九条"),
    ("2020 refusal notice 3 days", REFUSED_2020, changed(REFUSED_2020, refuse_notice="2020-07-04"),
     {"decision": "refused"}, "refusal_notice", "第二十六条"),
    # art. 15: the first investigation step of any kind (here 入户调查 and 信息核对 on the same day)
    ("2022 investigation start 3 wd", CASE_2022, changed(CASE_2022, investigate="2022-03-07", check="2022-03-07"),
     {}, "investigation_start", "第十五条"),
    ("2022 two investigators", CASE_2022, changed(CASE_2022, investigate=("2022-03-04", ["乙"])), {},
     "investigators", "第十六条"),
    # (deciding on 30 March keeps the county's 10 working days after a 公示 ending on the 16th)
    ("2022 notice 7 days", changed(CASE_2022, approve="2022-03-30"),
     changed(CASE_2022, notice_end="2022-03-16", approve="2022-03-30"), {}, "notice_period", "第十九条"),
    ("2022 county review 10 wd", CASE_2022, changed(CASE_2022, approve="2022-04-01"), {}, "county_review", "第二十条"),
    ("2022 total 30 wd", TOTAL_2022, changed(TOTAL_2022, approve="2022-04-14"), {}, "total_time", "第二十二条"),
    ("2022 total 45 wd when extended", EXTENDED_2022, changed(EXTENDED_2022, approve="2022-05-07"),
     {"extended": True}, "total_time", "第二十二条"),
    ("2022 refusal notice 3 wd", REFUSED_2022, changed(REFUSED_2022, refuse_notice="2022-03-28"),
     {"decision": "refused"}, "refusal_notice", "第二十一条"),
]


@pytest.mark.parametrize("label,inside,outside,flags,rule,article", LIMITS, ids=[row[0] for row in LIMITS])
def test_one_day_inside_and_one_day_outside(label, inside, outside, flags, rule, article):
    flags = dict(flags)
    decision = flags.pop("decision", "approved")
    ok = check_procedure(timeline(inside, decision, **flags))
    assert ok["compliant"], ok["violations"]
    assert ok["calendar_confirmed"]
    bad = check_procedure(timeline(outside, decision, **flags))
    assert [v["rule"] for v in bad["violations"]] == [rule]
    assert article in bad["violations"][0]["basis"]
    assert ok["rule_set"] == ("2012" if label.startswith("2020") else "2021")


def test_every_limit_on_file_is_exercised_above():
    exercised = {(row[0][:4], row[4]) for row in LIMITS}
    for day, year in ((date(2020, 6, 1), "2020"), (date(2022, 3, 1), "2022")):
        for key, limit in rule_set_for(day).limits.items():
            if not limit.checked:       # on file for the record, start day not in policy-facts
                continue
            rule = key.removesuffix("_disputed").removesuffix("_extended")
            assert (year, rule) in exercised, (year, key)


def test_limit_for_a_case_accepted_on_a_day():
    assert limit_for("investigation_start", date(2021, 6, 30)).value == 10
    assert limit_for("investigation_start", date(2021, 7, 1)).value == 3
    total = limit_for("total_time", date(2022, 3, 1))
    assert (total.value, total.unit, total.article, total.confidence) == (30, "working_days", "第二十二条", "H")
    assert "民发〔2021〕57号" in total.citation
    with pytest.raises(ParameterMissing, match="total_time"):
        limit_for("total_time", date(2020, 6, 1))   # the 2012 measures have no overall limit
    with pytest.raises(ParameterMissing, match="2012-12-12"):
        limit_for("investigation_start", date(2012, 1, 5))


def test_deadlines_are_computed_on_the_calendar():
    days = {name: date.fromisoformat(spec[0]) for name, spec in CASE_2020.items()}
    assert deadline("investigation_start", days).day == date(2020, 6, 15)
    assert deadline("decision_after_notice", days).day == date(2020, 6, 30)
    assert deadline("decision_after_notice", days, disputed=True).day == date(2020, 7, 23)
    assert deadline("notice_period", days).day == date(2020, 6, 25)
    days22 = {name: date.fromisoformat(spec[0]) for name, spec in CASE_2022.items()}
    assert deadline("total_time", days22).day == date(2022, 4, 13)
    assert deadline("total_time", days22, extended=True).day == date(2022, 5, 6)
    assert deadline("county_review", days22).expected == "≤ 10 个工作日"


def test_titles_are_formatted_from_the_limits():
    assert RULES["notice_period"].title == "公示期不少于7天"
    assert RULES["total_time"].title == "审核确认自受理之日起30个工作日内完成（特殊情况45个）"
    assert RULES["appraisal_representatives"].title == "民主评议中村（居）民代表不少于三分之二"


def test_a_new_rule_set_is_a_new_yaml_entry(tmp_path, monkeypatch):
    """A district's stricter local limit: one more entry in procedure.yaml, no code change."""
    import yaml

    from toolkit.policy import limits

    raw = yaml.safe_load(limits.PROCEDURE_FILE.read_text(encoding="utf-8"))
    national = raw["rule_sets"][-1]
    raw["rule_sets"].append({**national, "id": "demo-2024", "region": "demo_city",
                             "title": "《示例市低保审核确认实施细则》", "effective_from": date(2024, 1, 1),
                             "source": "示例市民政局（测试用，虚构）", "confidence": "H",
                             "limits": {**national["limits"],
                                        "investigation_start": {"value": 2, "unit": "working_days", "article": "第八条"}}})
    path = tmp_path / "procedure.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(limits, "PROCEDURE_FILE", path)
    # Mon 2024-03-04 accepted; Thu 03-07 is the 3rd working day: in time nationally, late locally
    steps = {"accept": ("2024-03-04", ["甲"]), "investigate": ("2024-03-07", ["乙", "丙"])}
    local = check_procedure({**timeline(steps), "region": "demo_city"})
    assert local["rule_set"] == "demo-2024" and local["rule_set_title"] == "《示例市低保审核确认实施细则》"
    late = [v for v in local["violations"] if v["rule"] == "investigation_start"]
    assert late and late[0]["basis"] == "《示例市低保审核确认实施细则》第八条" and late[0]["expected"] == "≤ 2 个工作日"
    national_result = check_procedure(timeline(steps))
    assert national_result["rule_set"] == "2021"
    assert "investigation_start" not in {v["rule"] for v in national_result["violations"]}
    assert limit_for("investigation_start", date(2024, 3, 4), "demo_city").value == 2

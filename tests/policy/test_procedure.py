"""Procedure rules: each test is a hand-worked timeline citing the article it exercises."""

import pytest

from toolkit.errors import InputError, ParameterMissing
from toolkit.policy import check_procedure


def case(*steps, **flags):
    return {"decision": flags.pop("decision", "approved"), **flags,
            "steps": [dict(step=s, date=d, staff=st, **kw) for s, d, st, *rest in steps
                      for kw in [rest[0] if rest else {}]]}


GOOD_2021 = [
    ("accept", "2022-03-01", ["王芳"]),
    ("investigate", "2022-03-03", ["李强", "陈静"]),
    ("check", "2022-03-03", []),
    ("review", "2022-03-10", ["刘洋"]),
    ("notice_start", "2022-03-11", []),
    ("notice_end", "2022-03-17", []),
    ("approve", "2022-03-22", ["赵敏"]),
]


def rules_of(result):
    return [v["rule"] for v in result["violations"]]


def test_lawful_2021_case():
    result = check_procedure(case(*GOOD_2021))
    assert result["rule_set"] == "2021"
    assert result["compliant"] is True, result["violations"]
    assert result["calendar_confirmed"] is True


def replace(steps, name, **changes):
    out = []
    for s in steps:
        if s[0] == name:
            s = (s[0], changes.get("date", s[1]), changes.get("staff", s[2]), *s[3:])
        out.append(s)
    return out


def test_notice_of_6_days_violates_7_of_7_is_fine():
    # 民发〔2021〕57号 第十九条: 公示期为7天, counted inclusively.
    six = check_procedure(case(*replace(GOOD_2021, "notice_end", date="2022-03-16")))
    assert rules_of(six) == ["notice_period"]
    assert six["violations"][0]["actual"] == "6 天"
    assert "第十九条" in six["violations"][0]["basis"]
    assert check_procedure(case(*GOOD_2021))["compliant"]


def test_investigation_start_2021_is_3_working_days():
    # 第十五条: start within 3 working days. Accept Tue 2022-03-01: Fri 03-04 is the 3rd, Mon 03-07 the 4th.
    # The investigation starts with its first step of any kind (here 入户调查 and 信息核对 on one day).
    on_time = replace(replace(GOOD_2021, "investigate", date="2022-03-04"), "check", date="2022-03-04")
    assert check_procedure(case(*on_time))["compliant"]
    late = check_procedure(case(*replace(replace(GOOD_2021, "investigate", date="2022-03-07"), "check",
                                         date="2022-03-07")))
    assert rules_of(late) == ["investigation_start"]
    assert late["violations"][0]["actual"] == "4 个工作日"


def test_information_check_first_starts_the_investigation_2021():
    # 第十五条: 信息核对 on working day 1, the home visit on day 5 — the investigation started on time.
    steps = replace(replace(GOOD_2021, "check", date="2022-03-02"), "investigate", date="2022-03-08")
    assert check_procedure(case(*steps))["compliant"]


@pytest.mark.parametrize(("kind", "label"), [("neighbour_visit", "邻里访问"), ("letter_inquiry", "信函索证"),
                                             ("check", "经济状况核对"), ("investigate", "入户调查")])
def test_any_kind_of_first_step_counts_and_is_named_when_late(kind, label):
    steps = [s for s in GOOD_2021 if s[0] not in ("investigate", "check")] + [
        ("investigate", "2022-03-10", ["李强", "陈静"]), ("check", "2022-03-10", [])]
    first = [s for s in steps if s[0] != kind] + [(kind, "2022-03-02", ["李强", "陈静"])]
    assert check_procedure(case(*first))["compliant"], kind
    late = check_procedure(case(*steps))
    assert rules_of(late) == ["investigation_start"]
    if kind in ("investigate", "check"):
        assert "最早的调查步骤为" in late["violations"][0]["message"]


def test_refusal_after_information_check_alone_is_compliant_2021():
    # 第十八条: 信息核对 shows the household does not qualify: refused without 入户调查 and 审核.
    steps = [("accept", "2022-03-01", ["王芳"]), ("check", "2022-03-03", []),
             ("approve", "2022-03-08", ["赵敏"]), ("refuse_notice", "2022-03-10", ["刘洋"])]
    result = check_procedure(case(*steps, decision="refused"))
    assert result["compliant"], result["violations"]
    # without the 信息核对 the steps are still missing; under the 2012 rules (no 第十八条) too
    no_check = [s for s in steps if s[0] != "check"]
    assert set(rules_of(check_procedure(case(*no_check, decision="refused")))) == {"missing_step"}
    old = [("accept", "2020-06-01", ["王芳"]), ("check", "2020-06-03", []),
           ("approve", "2020-06-08", ["赵敏"]), ("refuse_notice", "2020-06-10", ["刘洋"])]
    assert "missing_step" in rules_of(check_procedure(case(*old, decision="refused")))


def test_investigation_across_national_day_holiday_2018():
    # 2012 rules (accepted before 2021-07-01), art. 18: within 10 working days.
    # Accept Fri 2018-09-28; 29–30 Sept are make-up working days; 1–7 Oct holiday.
    steps = [("accept", "2018-09-28", ["甲"]), ("investigate", "2018-10-12", ["乙", "丙"]),
             ("appraise", "2018-10-15", ["乙"], {"participants": 9, "representatives": 6}),
             ("review", "2018-10-16", ["丁"]), ("notice_start", "2018-10-17", []),
             ("notice_end", "2018-10-23", []), ("approve", "2018-10-25", ["戊"])]
    result = check_procedure(case(*steps))
    assert result["rule_set"] == "2012"
    # 29, 30 Sep, 8, 9, 10, 11, 12 Oct = 7 working days → within 10.
    assert result["compliant"], result["violations"]
    # Accept Thu 2018-09-20: 21, 25–30 Sep (24th is Mid-Autumn), 8–12 Oct → 12 working days.
    late = check_procedure(case(*replace(steps, "accept", date="2018-09-20")))
    assert rules_of(late) == ["investigation_start"]
    assert late["violations"][0]["actual"] == "12 个工作日"


def test_two_investigators_required():
    result = check_procedure(case(*replace(GOOD_2021, "investigate", staff=["李强"])))
    assert rules_of(result) == ["investigators"]


def test_separation_of_duties():
    # 三分离 (青民〔2018〕44号): accept, review, approve by different staff.
    result = check_procedure(case(*replace(GOOD_2021, "approve", staff=["王芳", "赵敏"])))
    assert rules_of(result) == ["separation_of_duties"]
    assert "王*" in result["violations"][0]["message"]
    assert "王芳" not in str(result)  # names masked in every output
    assert "青民〔2018〕44号" in result["violations"][0]["basis"]


def test_steps_out_of_order():
    result = check_procedure(case(*replace(GOOD_2021, "review", date="2022-03-02")))
    assert "steps_order" in rules_of(result)


def test_2021_total_time_and_extension():
    # 第二十二条: ≤ 30 working days from acceptance, 45 when extended.
    steps = [("accept", "2022-03-01", ["甲"]), ("investigate", "2022-03-02", ["乙", "丙"]),
             ("review", "2022-03-25", ["丁"]), ("notice_start", "2022-03-28", []),
             ("notice_end", "2022-04-03", []), ("approve", "2022-04-14", ["戊"])]
    result = check_procedure(case(*steps))
    # 03-01 → 04-14: 31 working days (Qingming 04-03..05 off, Sat 04-02 a make-up working day).
    assert rules_of(result) == ["total_time"]
    assert result["violations"][0]["actual"] == "31 个工作日"
    assert check_procedure(case(*steps, extended=True))["compliant"]


def test_2021_county_review_within_10_working_days():
    result = check_procedure(case(*replace(GOOD_2021, "approve", date="2022-04-01")))
    assert "county_review" in rules_of(result)


def test_2012_appraisal_and_representatives():
    base = [("accept", "2019-03-01", ["甲"]), ("investigate", "2019-03-05", ["乙", "丙"]),
            ("review", "2019-03-12", ["丁"]), ("notice_start", "2019-03-13", []),
            ("notice_end", "2019-03-19", []), ("approve", "2019-03-20", ["戊"])]
    assert rules_of(check_procedure(case(*base))) == ["appraisal_required"]
    few = base[:2] + [("appraise", "2019-03-08", ["乙"], {"participants": 9, "representatives": 5})] + base[2:]
    result = check_procedure(case(*few))
    assert rules_of(result) == ["appraisal_representatives"]
    assert result["violations"][0]["expected"] == "≥ 6 人"


def test_2012_decision_within_3_working_days_after_notice_or_20_when_disputed():
    base = [("accept", "2019-03-01", ["甲"]), ("investigate", "2019-03-05", ["乙", "丙"]),
            ("appraise", "2019-03-08", ["乙"], {"participants": 6, "representatives": 4}),
            ("review", "2019-03-12", ["丁"]), ("notice_start", "2019-03-13", []),
            ("notice_end", "2019-03-19", []), ("approve", "2019-03-25", ["戊"])]
    assert rules_of(check_procedure(case(*base))) == ["decision_after_notice"]
    assert check_procedure(case(*base, disputed=True))["compliant"]


def test_refusal_notice_2021_working_days_2012_calendar_days():
    refused = [("accept", "2022-09-26", ["甲"]), ("investigate", "2022-09-28", ["乙", "丙"]),
               ("review", "2022-09-29", ["丁"]), ("approve", "2022-09-30", ["戊"]),
               ("refuse_notice", "2022-10-10", ["丁"])]
    # 2021 art. 21: 3 working days; 10-01..07 holiday, 10-08 (Sat) a make-up working day → 10-10 is the 2nd.
    assert check_procedure(case(*refused, decision="refused"))["compliant"]
    refused_2012 = [("accept", "2019-09-23", ["甲"]), ("investigate", "2019-09-24", ["乙", "丙"]),
                    ("appraise", "2019-09-25", ["乙"], {"participants": 3, "representatives": 2}),
                    ("review", "2019-09-26", ["丁"]), ("approve", "2019-09-27", ["戊"]),
                    ("refuse_notice", "2019-10-08", ["丁"])]
    result = check_procedure(case(*refused_2012, decision="refused"))
    assert rules_of(result) == ["refusal_notice"]  # 2012 art. 26: 3 days, not working days
    assert result["violations"][0]["actual"] == "11 日"


def test_near_relative_must_be_filed():
    result = check_procedure(case(*GOOD_2021, near_relative_of_staff=True))
    assert rules_of(result) == ["near_relative_filing"]
    assert "第十一条" in result["violations"][0]["basis"]
    assert check_procedure(case(*GOOD_2021, near_relative_of_staff=True, near_relative_filed=True))["compliant"]


def test_missing_steps_reported():
    result = check_procedure(case(*GOOD_2021[:2]))
    assert rules_of(result).count("missing_step") == 4


def test_beyond_calendar_is_unconfirmed_not_a_crash():
    steps = [("accept", "2026-12-28", ["甲"]), ("investigate", "2026-12-30", ["乙", "丙"]),
             ("review", "2027-01-05", ["丁"]), ("notice_start", "2027-01-06", []),
             ("notice_end", "2027-01-12", []), ("approve", "2027-01-14", ["戊"])]
    result = check_procedure(case(*steps))
    assert result["calendar_confirmed"] is False
    assert result["compliant"] is True


@pytest.mark.parametrize("data,where", [
    ({"steps": [{"step": "accepted", "date": "2022-03-01"}]}, "steps[0].step"),
    ({"steps": [{"step": "accept", "date": "2022-13-01"}]}, "steps[0].date"),
    ({"steps": [{"step": "investigate", "date": "2022-03-01"}]}, "steps"),
    ({"decision": "maybe", "steps": []}, "decision"),
    ({"extended": "yes", "steps": []}, "extended"),
    ({"steps": [{"step": "accept", "date": "2022-03-01", "who": 1}]}, "steps[0].who"),
])
def test_bad_input_names_the_field(data, where):
    with pytest.raises(InputError) as err:
        check_procedure(data)
    assert str(err.value).startswith(where + "：")


def test_acceptance_before_2012_rules_is_an_error():
    with pytest.raises(ParameterMissing, match="2012-12-12"):
        check_procedure(case(("accept", "2012-01-05", ["甲"])))

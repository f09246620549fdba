"""Deadlines found by asking the engine, checked against dates worked out by hand on the calendar."""

from __future__ import annotations

from datetime import date

from toolkit.cases.timeline import calendar_hint, earliest_lawful, holiday_run, latest_lawful, step


def timeline(accept: date, investigate: date) -> dict:
    return {"decision": "approved",
            "steps": [step("accept", accept, ["甲"]), step("investigate", investigate, ["乙", "丙"])]}


def test_latest_investigation_start_2021_across_national_day():
    # 2021: 1–7 Oct off, Saturday 9 Oct a make-up working day; 3 working days after Thu 30 Sep:
    # Fri 8 Oct, Sat 9 Oct, Mon 11 Oct.
    accept = date(2021, 9, 30)
    latest, limit = latest_lawful(timeline(accept, accept), "investigate", {"investigation_start"}, accept)
    assert latest == date(2021, 10, 11)
    assert limit["rule"] == "investigation_start" and "3" in limit["expected"]


def test_latest_investigation_start_2012_across_national_day():
    # 2018: 1–7 Oct off, 29–30 Sep make-up days; 10 working days after Fri 28 Sep:
    # 29, 30 Sep, 8, 9, 10, 11, 12, 15, 16, 17 Oct.
    accept = date(2018, 9, 28)
    latest, _ = latest_lawful(timeline(accept, accept), "investigate", {"investigation_start"}, accept)
    assert latest == date(2018, 10, 17)


def test_earliest_notice_end_counts_seven_calendar_days_through_a_holiday():
    case = {"decision": "approved", "steps": [step("accept", date(2022, 9, 20), ["甲"]),
                                              step("notice_start", date(2022, 9, 29), []),
                                              step("notice_end", date(2022, 9, 29), [])]}
    assert earliest_lawful(case, "notice_end", {"notice_period"}, date(2022, 9, 29)) == date(2022, 10, 5)


def test_holiday_run_and_calendar_hint_name_the_days_off_and_make_up_days():
    assert holiday_run(date(2018, 10, 3)) == (date(2018, 10, 1), date(2018, 10, 7))
    hint = calendar_hint(date(2018, 9, 27), date(2018, 10, 10))
    assert "10月1日" in hint and "10月5日" in hint
    assert "9月29日（星期六）" in hint and "9月30日（星期日）" in hint

from datetime import date

import pytest

from toolkit.policy import add_workdays, is_workday, workdays_between


def test_national_day_2018_example():
    # policy-facts: from Friday 2018-09-28, three working days later is Monday 2018-10-08.
    assert add_workdays(date(2018, 9, 28), 3).date == date(2018, 10, 8)
    assert workdays_between(date(2018, 9, 28), date(2018, 10, 8)).days == 3


def test_make_up_working_day_on_a_weekend():
    assert is_workday(date(2018, 9, 29))  # Saturday, make-up working day
    assert not is_workday(date(2018, 10, 1))  # National Day


def test_spring_festival_2019():
    # 2019-02-04..10 off; 02-02 (Sat) and 02-03 (Sun) make-up working days.
    assert add_workdays(date(2019, 2, 1), 2).date == date(2019, 2, 3)
    assert add_workdays(date(2019, 2, 3), 1).date == date(2019, 2, 11)


def test_negative_and_zero():
    assert add_workdays(date(2018, 10, 8), -3).date == date(2018, 9, 28)
    assert add_workdays(date(2018, 10, 8), 0).date == date(2018, 10, 8)
    assert workdays_between(date(2018, 10, 8), date(2018, 9, 28)).days == -3


def test_beyond_the_calendar_falls_back_to_monday_friday_unconfirmed():
    result = add_workdays(date(2026, 12, 30), 3)
    assert result.confirmed is False
    assert result.date == date(2027, 1, 4)
    inside = add_workdays(date(2026, 3, 2), 1)
    assert inside.confirmed is True


@pytest.mark.parametrize("start,end,days", [
    (date(2022, 3, 1), date(2022, 3, 1), 0),
    (date(2022, 3, 4), date(2022, 3, 7), 1),  # Fri → Mon
])
def test_between_counts_days_after_start(start, end, days):
    assert workdays_between(start, end).days == days

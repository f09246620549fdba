from datetime import date
from decimal import Decimal

import pytest

from toolkit.cases.base import Option, Question
from toolkit.errors import InputError
from toolkit.training.trainee.parsing import describe_value, parse_response

pytestmark = pytest.mark.usefixtures("practice_assignment")

AMOUNT = Question("q1", "number", "人均收入？", 2, "b", "r", Decimal("1500"), unit="元")
DAYS = Question("q2", "number", "几天？", 1, "b", "r", Decimal("7"), unit="天")
DAY = Question("q3", "date", "哪天？", 1, "b", "r", date(2018, 10, 8))
ONE = Question("q4", "choice", "选一个", 1, "b", "r", "B", options=(Option("A", "受理"), Option("B", "审核")))
MANY = Question("q5", "multi", "选多个", 2, "b", "r", frozenset("AC"),
                options=(Option("A", "甲"), Option("B", "乙"), Option("C", "丙")))


@pytest.mark.parametrize("raw", ["1500", "１５００元", "1,500", "1,500.00", " 1500 元 ", "１，５００"])
def test_amounts_typed_many_ways_earn_the_points(raw):
    assert parse_response(AMOUNT, raw) == Decimal("1500")
    assert AMOUNT.score(parse_response(AMOUNT, raw)) == 1.0


def test_number_with_its_unit_and_unreadable_number():
    assert parse_response(DAYS, "７天") == Decimal("7")
    with pytest.raises(InputError) as err:
        parse_response(AMOUNT, "一千五")
    assert "第1题" in str(err.value) and "一千五" in str(err.value)


@pytest.mark.parametrize("raw", ["2018年10月8日", "2018-10-08", "2018/10/8", "２０１８年１０月８日"])
def test_dates_typed_many_ways(raw):
    assert parse_response(DAY, raw) == date(2018, 10, 8)


def test_impossible_date_is_rejected_with_chinese_message():
    with pytest.raises(InputError) as err:
        parse_response(DAY, "2018年13月1日")
    assert "日期" in str(err.value)


def test_choices_accept_keys_labels_and_full_width_letters():
    assert parse_response(ONE, "B") == "B"
    assert parse_response(ONE, "审核") == "B"
    assert parse_response(ONE, "ｂ") == "B"
    with pytest.raises(InputError):
        parse_response(ONE, "Z")
    assert parse_response(MANY, ["C", "A"]) == frozenset("AC")
    assert parse_response(MANY, '["A", "C"]') == frozenset("AC")
    assert parse_response(MANY, "A、丙") == frozenset("AC")


def test_blank_is_none_and_echo_does_not_judge():
    assert parse_response(AMOUNT, "  ") is None and parse_response(MANY, []) is None
    assert describe_value(DAY, date(2018, 10, 8)) == "2018年10月8日"
    assert describe_value(MANY, frozenset("CA")) == "甲；丙"

from datetime import date
from decimal import Decimal

import pytest

from toolkit.errors import InputError
from toolkit.policy.inputs import parse_amount, parse_date


@pytest.mark.parametrize("text,value", [
    ("1500", "1500"), ("１５００", "1500"), ("1,500", "1500"), ("１，５００元", "1500"),
    ("800 元", "800"), ("1500.50", "1500.50"), ("￥20", "20"), (1500, "1500"), (12.5, "12.5"),
])
def test_amounts(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "", "1,50", "15 00 0x", True])
def test_bad_amounts(text):
    with pytest.raises(InputError):
        parse_amount(text, "收入")


@pytest.mark.parametrize("text", ["2018-10-08", "2018/10/8", "2018.10.8", "2018年10月8日", "２０１８年１０月８日"])
def test_dates(text):
    assert parse_date(text) == date(2018, 10, 8)


@pytest.mark.parametrize("text", ["2018-02-30", "10/8/2018", "昨天", ""])
def test_bad_dates(text):
    with pytest.raises(InputError, match="日期"):
        parse_date(text)

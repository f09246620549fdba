"""How people write dates, amounts and counts on an answer card: a table of written forms, accepted and refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from toolkit.cases.base import Question
from toolkit.errors import InputError
from toolkit.training.trainee.parsing import parse_response

DAY = Question("q3", "date", "哪天？", 1, "b", "r", date(2018, 10, 8))
AMOUNT = Question("q2", "number", "多少元？", 2, "b", "r", Decimal("1500"), unit="元")
WORKDAYS = Question("q6", "number", "几个工作日？", 1, "b", "r", Decimal("12"), unit="个工作日", tolerance=Decimal(0))

# Every form below means 2018-10-08 (a Monday).
DATES_ACCEPTED = [
    "2018-10-08", "2018-10-8", "2018/10/08", "2018/10/8", "2018.10.08", "2018.10.8",
    "2018年10月8日", "2018年10月08日", "2018年10月8号", "2018年10月08号", "2018年10月8",
    "2018年10月08日（星期一）", "2018年10月8日(星期一)", "2018年10月8日 （星期一）", "2018年10月8日星期一",
    "2018年10月8日（周一）", "2018年10月8日周一", "2018年10月8日（礼拜一）", "2018-10-08（星期一）",
    "2018-10-08 (周一)", "2018/10/8 星期一", "20181008", "２０１８１００８", "２０１８年１０月８日",
    "２０１８－１０－０８", "２０１８／１０／８", "2018年10月8日。", "2018年10月8日，", "2018-10-08。",
    " 2018-10-08 ", "2018 年 10 月 8 日", "2018年 10月 8日", "\t2018年10月8日\n", "2018．10．8",
    "2018年10月8日；", "2018年10月8号。", "2018年10月08日（星期一）。", "2018年10月8日!", "2018年10月8日？",
    "２０１８年１０月０８日（星期一）", "2018-10-08,", "2018/10/08。",
]
DATES_REFUSED = [
    "", "十月八日", "10月8日", "10/8", "18年10月8日", "2018年13月8日", "2018年10月32日", "2018-02-30",
    "2018年2月29日", "20181308", "20181032", "2018100", "201810081", "二〇一八年十月八日", "2018年十月八日",
    "2018-10", "2018年10月", "2018", "2018-10-08T09:00", "2018-10-08 09:00", "明天", "国庆后第一个工作日",
    "2018年10月8日（星期二）", "2018年10月8日周日", "2018-10-08（星期三）", "2018_10_08", "2018\\10\\08",
    "2018年10月8日至9日", "2018-10-08/2018-10-09", "10-08-2018", "08/10/2018", "2018-010-08", "2018-10-008",
    "abc", "2018年10月8日下午", "2018年10月8日前", "约2018年10月8日", "2018-10-0８x", "０", "1500元",
]

AMOUNTS_ACCEPTED = [
    "1500", "1500元", "1500 元", "1,500", "1,500元", "1,500.00", "1500.00", "1500.0", "１５００", "１５００元",
    "１，５００", "１，５００元", "1500。", "1500元。", "1,500。", "1500，", "1500块", "1500块钱", "1500圆",
    "1500元整", "¥1500", "￥1500", "￥1,500.00", "人民币1500元", "人民币1,500元", " 1500 ", "1500\n",
    "１５００．００", "1500.", "+1500", "1500；", "1500！", "1500？", "1,500.0元", "１５００块",
    "¥1500元", "1500元，", "0001500", "1500.000", "1500..",
]
AMOUNTS_REFUSED = [
    "一千五", "一千五百元", "1千5", "1.5千", "1500美元", "USD1500", "1500$", "15OO", "1500元多", "约1500",
    "1500左右", "1500-1600", "1500~1600", "1500/月", "1500元/月", "1,50,0", "15,00", "1.500,00",
    "1500元元", "¥", "元", "人民币", "--1500", "1500-", "1e3", "NaN", "Infinity", "1500 1600", "1500,1600",
    "1 500", "15.00.0",
    "十五", "壹仟伍佰", "1500块5", "1500.5.5", "abc", "1500%", "0x5dc", "1_500", "(1500)", "1500元整整",
]

COUNTS_ACCEPTED = [
    "12", "12天", "12 天", "12日", "12个工作日", "12 个工作日", "12工作日", "12个", "１２", "１２天",
    "１２个工作日", "12。", "12天。", "12，", " 12 ", "12.0", "12.00", "+12", "012", "12个工作日。",
    "１２日", "12\n", "12天；", "12天！", "12 日", "１２．０", "12個"[:2], "12.", "12天，", "１２个",
    "12个工作日，", "12 工作日", "１２工作日", "12天?", "12日。", "12;", "12！", "12？", "12个。", "12工作日。",
    "12..",
]
COUNTS_REFUSED = [
    "十二", "十二天", "12周", "12月", "12小时", "两周", "12-13", "12~13", "约12天", "12天左右",
    "12天多", "12个半", "12+1", "12/13", "1 2 天"[:0] + "一二", "12个工作日天", "12天天", "twelve", "12d", "12days",
    "12个月", "12年", "半个月", "12%", "12元天", "第12天", "12th", "1e1", "NaN", "Infinity",
    "12.5.1", "1,2", "12..5", "1 2", "12 13", "12次", "12人", "(12)", "12_", "壹拾贰", "12点", "12号",
]


@pytest.mark.parametrize("raw", DATES_ACCEPTED)
def test_dates_people_write_are_read(raw):
    assert parse_response(DAY, raw) == date(2018, 10, 8)
    assert DAY.score(parse_response(DAY, raw)) == 1.0


@pytest.mark.parametrize("raw", [r for r in DATES_REFUSED if r])
def test_dates_that_cannot_be_read_are_refused_naming_the_question_and_echoing_the_value(raw):
    with pytest.raises(InputError) as err:
        parse_response(DAY, raw)
    message = str(err.value)
    assert message.startswith("第3题（q3）")
    if not raw.strip().isdigit():     # a date, possible or not, is echoed as typed, never masked
        assert "*" not in message and raw.strip()[:10] in message


@pytest.mark.parametrize("raw", AMOUNTS_ACCEPTED)
def test_amounts_people_write_are_read(raw):
    assert parse_response(AMOUNT, raw) == Decimal("1500")


@pytest.mark.parametrize("raw", AMOUNTS_REFUSED)
def test_amounts_that_cannot_be_read_are_refused(raw):
    with pytest.raises(InputError, match="第2题"):
        parse_response(AMOUNT, raw)


@pytest.mark.parametrize("raw", COUNTS_ACCEPTED)
def test_counts_people_write_are_read(raw):
    assert parse_response(WORKDAYS, raw) == Decimal("12")
    assert WORKDAYS.score(parse_response(WORKDAYS, raw)) == 1.0


@pytest.mark.parametrize("raw", COUNTS_REFUSED)
def test_counts_that_cannot_be_read_are_refused(raw):
    with pytest.raises(InputError, match="第6题"):
        parse_response(WORKDAYS, raw)


def test_the_tables_are_large_enough():
    for table in (DATES_ACCEPTED, DATES_REFUSED, AMOUNTS_ACCEPTED, AMOUNTS_REFUSED, COUNTS_ACCEPTED, COUNTS_REFUSED):
        assert len(set(table)) >= 40


@pytest.mark.parametrize(("raw", "shown"), [("13812345678", "138****5678"), ("310101199001011234", "310101********1234"),
                                            ("2018-02-30", "2018-02-30"), ("20180230", "20180230")])
def test_only_id_and_phone_like_values_are_masked(raw, shown):
    with pytest.raises(InputError) as err:
        parse_response(DAY, raw)
    assert f"“{shown}”" in str(err.value)

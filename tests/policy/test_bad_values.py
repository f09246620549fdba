"""Every bad value of issue 10 that reaches `jiuzhu policy …`: exit 2, a Chinese message naming the
field and the value, nothing on stdout, no traceback, nothing personal echoed, bounded time."""

from __future__ import annotations

import io
import sys

import pytest

from toolkit.cli import main

ASSESS = ["policy", "assess", "-"]
CHECK = ["policy", "check-procedure", "-"]
GOOD_STEPS = '{"step": "investigate", "date": "2022-03-03", "staff": ["李强", "陈静"]}'


def household(member: str) -> bytes:
    return ('{"date": "2019-05-01", "members": [%s]}' % member).encode("utf-8")


def steps(*items: str) -> bytes:
    return ('{"decision": "approved", "steps": [%s]}' % ", ".join(items)).encode("utf-8")


def accept(extra: str = "") -> str:
    return '{"step": "accept", "date": "2022-03-01", "staff": ["王芳"]%s}' % extra


GBK_HOUSEHOLD = '{"date": "2019-05-01", "members": [{"name": "张三", "income": {"wage": 1500}}]}'.encode("gbk")

# (id, argv, stdin bytes or None, fragments the message must contain, texts that must not appear)
BAD = [
    ("nan amount", ASSESS, household('{"income": {"wage": NaN}}'), ["members[0].income.wage", "nan", "不是有限的数值"], []),
    ("infinity amount", ASSESS, household('{"income": {"wage": Infinity}}'), ["members[0].income.wage", "不是有限的数值"], []),
    ("1e400 amount", ASSESS, household('{"income": {"pension": 1e400}}'), ["members[0].income.pension", "不是有限的数值"], []),
    ("1e30 amount", ASSESS, household('{"income": {"wage": 1e30}}'), ["members[0].income.wage", "1e+30", "上限"], []),
    ("1e30 deposits", ASSESS, b'{"date": "2019-05-01", "members": [{}], "assets": {"deposits": 1e30}}',
     ["assets.deposits", "上限"], []),
    ("huge integer amount", ASSESS, household('{"income": {"wage": %s}}' % ("9" * 60)), ["members[0].income.wage", "上限"], []),
    ("5000-digit integer", ASSESS, household('{"age": %s}' % ("9" * 5000)), ["无法处理的数值"], []),
    ("json nested 100k deep", ASSESS, b"[" * 100_000 + b"]" * 100_000, ["嵌套层数过深"], []),
    ("value nested 100k deep", ASSESS, household('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}"), ["嵌套层数过深"], []),
    ("nested 40 deep", ASSESS, household('{"income": ' + "[" * 40 + "]" * 40 + "}"), ["嵌套层数过深"], []),
    ("workday add 9999-12-31 1", ["policy", "workday", "add", "9999-12-31", "1"], None, ["日期", "9999-12-31", "超出"], []),
    ("workday add 3000000 days", ["policy", "workday", "add", "2019-01-01", "3000000"], None, ["N", "3000000", "上限 2500"], []),
    ("workday add -3000000 days", ["policy", "workday", "add", "2019-01-01", "-3000000"], None, ["N", "上限 2500"], []),
    ("workday add 30-digit days", ["policy", "workday", "add", "2019-01-01", "1" * 30], None, ["N", "不是整数"], []),
    ("workday between 1 and 9999", ["policy", "workday", "between", "0001-01-01", "9999-12-31"], None, ["起始日期", "超出"], []),
    ("step name a list", CHECK, steps('{"step": ["accept"], "date": "2022-03-01"}'), ["steps[0].step", "列表", "不是已知的步骤"], []),
    ("step name an object", CHECK, steps('{"step": {"a": 1}, "date": "2022-03-01"}'), ["steps[0].step"], []),
    ("date a list", CHECK, steps('{"step": "accept", "date": ["2022-03-01"]}'), ["steps[0].date", "不是有效的日期"], []),
    ("stdin utf-16", ASSESS, GBK_HOUSEHOLD.decode("gbk").encode("utf-16"), ["UTF-16", "UTF-8"], []),
    ("stdin utf-16 without bom", ASSESS, GBK_HOUSEHOLD.decode("gbk").encode("utf-16-le"), ["UTF-16"], []),
    ("stdin 0xff bytes", ASSESS, b'{"date": "2019-05-01", "members": [{"name": "\xff\xfe\xff"}]}', ["0xFF", "UTF-8"], []),
    ("stdin gbk", ASSESS, GBK_HOUSEHOLD, ["GBK", "UTF-8"], ["请检查引号"]),
    ("member object echoed", ASSESS,
     household('{"name": "张三丰", "nick": {"name": "李四", "id": "310101199001011234"}}'),
     ["members[0].nick", "是未知字段"], ["李四", "310101199001011234", "张三丰"]),
    ("members an object", ASSESS, b'{"date": "2019-05-01", "members": {"name": "\xe5\xbc\xa0\xe4\xb8\x89"}}',
     ["members", "不是非空的家庭成员列表"], ["张三"]),
    ("member name an object", ASSESS, household('{"name": {"full": "欧阳锋"}}'), ["members[0].name"], ["欧阳锋"]),
    ("id number in an amount", ASSESS, household('{"income": {"wage": "310101199001011234"}}'),
     ["members[0].income.wage", "310101********1234"], ["310101199001011234"]),
    ("staff list of objects", CHECK, steps(accept(), '{"step": "review", "date": "2022-03-02", "staff": [{"name": "赵敏"}]}'),
     ["steps[1].staff", "不是人员姓名列表"], ["赵敏"]),
    ("phone number as 受理人", CHECK, steps('{"step": "accept", "date": "2022-03-01", "staff": ["13812345678"]}'),
     ["steps[0].staff[0]", "138****5678", "电话"], ["13812345678"]),
    ("id number as 审核人", CHECK, steps(accept(), '{"step": "review", "date": "2022-03-02", "staff": ["310101199001011234"]}'),
     ["steps[1].staff[0]", "不是人员姓名"], ["310101199001011234"]),
    ("99 representatives of 11 participants", CHECK,
     steps('{"step": "accept", "date": "2019-03-01", "staff": ["甲"]}',
           '{"step": "appraise", "date": "2019-03-08", "participants": 11, "representatives": 99}'),
     ["steps[1].representatives", "99", "多于参加总人数 11"], []),
    ("1e300 participants", CHECK,
     steps('{"step": "accept", "date": "2019-03-01", "staff": ["甲"]}',
           '{"step": "appraise", "date": "2019-03-08", "participants": 1%s, "representatives": 6}' % ("0" * 300)),
     ["steps[1].participants", "超过合理人数上限"], []),
    ("1e300 participants as float", CHECK,
     steps('{"step": "accept", "date": "2019-03-01", "staff": ["甲"]}',
           '{"step": "appraise", "date": "2019-03-08", "participants": 1e300, "representatives": 6}'),
     ["steps[1].participants", "不是整数"], []),
    ("5000-digit head count as text", CHECK,
     steps('{"step": "accept", "date": "2019-03-01", "staff": ["甲"]}',
           '{"step": "appraise", "date": "2019-03-08", "participants": "%s", "representatives": 6}' % ("1" * 5000)),
     ["steps[1].participants", "数值过大"], []),
    ("region a list", ASSESS, b'{"date": "2019-05-01", "region": ["shanghai"], "members": [{}]}', ["region"], []),
    ("51 members", ASSESS, household(", ".join(["{}"] * 51)), ["members", "上限 50"], []),
]


def feed(monkeypatch, data: bytes | None) -> None:
    if data is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.timeout(30)
@pytest.mark.parametrize("argv,stdin,fragments,absent", [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_value_is_refused_cleanly(capsys, monkeypatch, argv, stdin, fragments, absent):
    feed(monkeypatch, stdin)
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert err.startswith("错误：") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    for text in absent:
        assert text not in err, (text, err)
    assert len(err) < 2000       # a message, not an echo of the input


def test_a_utf8_byte_order_mark_is_accepted(capsys, monkeypatch):
    feed(monkeypatch, b"\xef\xbb\xbf" + household('{"income": {"wage": 1500}}'))
    assert main(ASSESS) == 0
    assert '"counted_income": 1500.0' in capsys.readouterr().out

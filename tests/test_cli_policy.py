"""The ``jiuzhu policy`` commands as a user runs them: JSON in, JSON out, Chinese errors, exit 2."""

import json
import subprocess
import sys

import pytest

from toolkit.cli import main


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        import io
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_from_file(tmp_path, capsys):
    path = tmp_path / "household.json"
    path.write_text(json.dumps({"date": "2022-03-01", "members": [
        {"name": "张三", "age": 45, "income": {"wage": 1500, "scholarship": 800}},
        {"name": "李四", "age": 43, "disability_grade": 2}, {"name": "张小明", "age": 12}],
        "assets": {"deposits": 20000}}, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "policy", "assess", str(path))
    assert code == 0, err
    data = json.loads(out)
    assert data["monthly_benefit"] == 2490.0 and data["eligible"] is True
    assert "张三" not in out  # no personal names in output


def test_assess_from_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, "policy", "assess", "-", monkeypatch=monkeypatch,
                       stdin='{"date": "2019-05-01", "members": [{"income": {"wage": "１５００元"}}]}')
    assert code == 0 and json.loads(out)["counted_income"] == 1500.0


@pytest.mark.parametrize("stdin,fragment", [
    ("{not json", "第 1 行第 2 列不是有效的 JSON"),
    ("", "是空的"),
    ('{"date": "2019-05-01", "members": [{"income": {"salary": 1}}]}', "members[0].income.salary"),
    ('{"date": "2019-05-01", "members": [{"income": {"wage": -5}}]}', "不能为负数"),
    ('{"date": "2019-05-01", "members": [{"income": {"wage": "很多"}}]}', "不是有效的金额"),
    ('{"date": "2019-13-01", "members": [{}]}', "date"),
    ('{"date": "2019-05-01", "members": []}', "请至少填写一名"),
    ('{"date": "2027-07-01", "members": [{}]}', "没有在档"),
])
def test_assess_bad_input(capsys, monkeypatch, stdin, fragment):
    code, out, err = run(capsys, "policy", "assess", "-", stdin=stdin, monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert fragment in err and err.startswith("错误：")
    assert "Traceback" not in err


def test_missing_file(capsys):
    code, _, err = run(capsys, "policy", "assess", "no/such/file.json")
    assert code == 2 and "找不到文件 no/such/file.json" in err


def test_check_procedure(tmp_path, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"decision": "approved", "steps": [
        {"step": "accept", "date": "2022-03-01", "staff": ["王芳"]},
        {"step": "investigate", "date": "2022-03-03", "staff": ["李强"]},
        {"step": "review", "date": "2022-03-10", "staff": ["王芳"]},
        {"step": "notice_start", "date": "2022-03-11"}, {"step": "notice_end", "date": "2022-03-16"},
        {"step": "approve", "date": "2022-03-18", "staff": ["赵敏"]}]}, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "policy", "check-procedure", str(path))
    data = json.loads(out)
    assert code == 0 and data["rule_set"] == "2021" and data["compliant"] is False
    assert {v["rule"] for v in data["violations"]} == {"investigators", "notice_period", "separation_of_duties"}
    assert all(v["basis"].startswith("《") or "青民" in v["basis"] for v in data["violations"])


def test_workday_commands(capsys):
    code, out, err = run(capsys, "policy", "workday", "add", "2018-09-28", "3")
    assert code == 0 and json.loads(out) == {"date": "2018-10-08", "confirmed": True} and err == ""
    code, out, _ = run(capsys, "policy", "workday", "between", "2018-09-28", "2018-10-08")
    assert json.loads(out) == {"working_days": 3, "confirmed": True}
    code, out, err = run(capsys, "policy", "workday", "add", "2027-03-01", "２")
    assert code == 0 and json.loads(out) == {"date": "2027-03-03", "confirmed": False}
    assert "未经确认" in err
    code, _, err = run(capsys, "policy", "workday", "add", "2018-02-30", "3")
    assert code == 2 and "不是存在的日期" in err


def test_standard_command(capsys):
    code, out, _ = run(capsys, "policy", "standard", "2019-04-01")
    assert json.loads(out)["standard"] == 1160


def test_help_is_chinese():
    result = subprocess.run([sys.executable, "-m", "toolkit", "policy", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "用法：" in result.stdout and "低保" in result.stdout and "显示本帮助并退出" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "toolkit", "policy", "nonsense"], capture_output=True, text=True)
    assert bad.returncode == 2 and "错误" in bad.stderr and "无效" in bad.stderr


def test_every_subcommand_has_chinese_help():
    from toolkit.cli import build_parser

    def walk(parser):
        yield parser
        for action in parser._actions:
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                for sub in action.choices.values():
                    yield from walk(sub)

    for parser in walk(build_parser()):
        text = parser.format_help()
        assert "用法：" in text and any("\u4e00" <= ch <= "\u9fff" for ch in parser.description or ""), parser.prog

"""An office's holiday file for a year chinesecalendar does not know yet (here: an invented 2027)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from toolkit.cli import main
from toolkit.policy import add_workdays, check_procedure, holidays, workdays_between

HOLIDAYS_2027 = """\
# 示例：2027 年国庆节安排（测试用，虚构）
source: 国务院办公厅关于2027年部分节假日安排的通知（示例）
years: [2027]
holidays:
  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
  - 2027-01-01
workdays:
  - {date: 2027-10-09, name: 国庆节调休上班}
"""


@pytest.fixture
def holiday_file(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text(HOLIDAYS_2027, encoding="utf-8")
    return path


def test_without_a_file_2027_is_monday_to_friday_unconfirmed():
    # Thu 30 Sep 2027: Fri 1 Oct, Mon 4, Tue 5 Oct.
    result = add_workdays(date(2027, 9, 30), 3)
    assert (result.date, result.confirmed, result.sources) == (date(2027, 10, 5), False, ())


def test_a_file_for_2027_is_used_and_confirmed_with_the_file_as_source(holiday_file):
    holidays.use_file(holiday_file)
    # 1–7 Oct off, Fri 8 Oct (1), Sat 9 Oct make-up working day (2), Mon 11 Oct (3).
    result = add_workdays(date(2027, 9, 30), 3)
    assert result.date == date(2027, 10, 11) and result.confirmed is True
    assert str(holiday_file) in result.sources[0]
    count = workdays_between(date(2027, 9, 30), date(2027, 10, 11))
    assert (count.days, count.confirmed) == (3, True) and str(holiday_file) in count.sources[0]
    # a year neither the package nor the file knows stays unconfirmed
    assert add_workdays(date(2028, 3, 1), 1).confirmed is False
    # years the package knows are the package's, and not attributed to the file
    known = add_workdays(date(2018, 9, 28), 3)
    assert (known.date, known.confirmed, known.sources) == (date(2018, 10, 8), True, ())


def test_found_through_the_environment_and_the_config_folder(holiday_file, tmp_path, monkeypatch):
    monkeypatch.setenv(holidays.ENV_FILE, str(holiday_file))
    assert add_workdays(date(2027, 9, 30), 3).confirmed
    monkeypatch.delenv(holidays.ENV_FILE)
    assert not add_workdays(date(2027, 9, 30), 3).confirmed
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "holidays.yaml").write_text(HOLIDAYS_2027, encoding="utf-8")
    assert add_workdays(date(2027, 9, 30), 3).date == date(2027, 10, 11)


def test_check_procedure_uses_the_file(holiday_file):
    case = {"decision": "approved", "steps": [
        {"step": "accept", "date": "2027-09-30", "staff": ["甲"]},
        {"step": "investigate", "date": "2027-10-11", "staff": ["乙", "丙"]}]}
    assert check_procedure(case)["calendar_confirmed"] is False
    holidays.use_file(holiday_file)
    result = check_procedure(case)
    assert result["calendar_confirmed"] is True and str(holiday_file) in result["calendar_source"]
    # 3 working days (民发〔2021〕57号 第十五条): 8, 9 (make-up), 11 Oct — in time with the file
    assert "investigation_start" not in {v["rule"] for v in result["violations"]}


def test_cli_workday_add_with_the_file(holiday_file, capsys):
    assert main(["policy", "workday", "add", "2027-09-30", "3", "--holidays", str(holiday_file)]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["date"] == "2027-10-11" and data["confirmed"] is True and str(holiday_file) in data["source"]
    assert err == ""
    holidays.use_file(None)
    assert main(["policy", "workday", "add", "2027-09-30", "3"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"date": "2027-10-05", "confirmed": False} and "未经确认" in err


def test_a_file_contradicting_chinesecalendar_is_refused(tmp_path, capsys):
    path = tmp_path / "wrong.yaml"
    path.write_text("source: 错误示例\nyears: [2026]\nholidays:\n  - {from: 2026-10-01, to: 2026-10-07}\n", encoding="utf-8")
    # a file for 2026 declares the whole year: its first contradiction with chinesecalendar is
    # 1 January (元旦, not in the file, so a working day by the file)
    code = main(["policy", "workday", "add", "2026-09-30", "3", "--holidays", str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "不一致" in err and "2026-01-01" in err and str(path) in err and "Traceback" not in err


@pytest.mark.parametrize("content,fragment", [
    ("years: [2027]\n", "source"),
    ("source: x\nyears: 2027\n", "years"),
    ("source: x\nyears: [2027]\nholidays: [2028-01-01]\n", "不在 years"),
    ("source: x\nyears: [2027]\nholidays: [someday]\n", "不是日期"),
    ("source: x\nyears: [2027]\nholidays: [2027-10-01]\nworkdays: [2027-10-01]\n", "同时"),
    ("source: x\nyears: [2027]\nextra: 1\n", "未知字段"),
    ("source: [x\n", "YAML"),
])
def test_bad_holiday_files_are_refused_with_the_field(tmp_path, content, fragment):
    path = tmp_path / "h.yaml"
    path.write_text(content, encoding="utf-8")
    holidays.use_file(path)
    with pytest.raises(holidays.HolidayFileError) as err:
        add_workdays(date(2027, 1, 4), 1)
    assert fragment in str(err.value) and str(path) in str(err.value)


def test_a_missing_file_named_in_the_environment_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(holidays.ENV_FILE, str(tmp_path / "nope.yaml"))
    assert main(["policy", "workday", "between", "2027-01-04", "2027-01-08"]) == 2
    assert "找不到节假日文件" in capsys.readouterr().err

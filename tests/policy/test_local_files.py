"""Files an office writes — its own parameters (with its notice's 文号) and its holidays — good and bad, table-driven."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from toolkit.cli import main
from toolkit.policy import holidays, params

GOOD_PARAMS = """\
# 本区公布的低保标准（示例）
region: shanghai
dibao_standard:
  - {effective_from: 2027-07-01, on_file_until: 2028-06-30, value: 1740, source: 示例市民政局关于调整低保标准的通知（示民〔2027〕3号）}
  - effective_from: 2023-07-01
    on_file_until: 2024-06-30
    value: 1510
    source: 示例市民政局关于调整低保标准的通知（示民〔2023〕5号）
"""


def write(tmp_path, text: str, name: str = "params.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_bureaus_figures_are_laid_over_the_shipped_ones_with_their_source(tmp_path, capsys):
    path = write(tmp_path, GOOD_PARAMS)
    code, out, err = run(capsys, "policy", "standard", "2027-08-01", "--params", str(path))
    shown = json.loads(out)
    assert code == 0 and (shown["standard"], shown["confidence"], shown["origin"]) == (1740, "H", "local")
    assert "示民〔2027〕3号" in shown["source"] and shown["file"] == str(path)
    # the recalled 2023 figure (L) gives way to the bureau's notice for exactly its days
    code, out, _ = run(capsys, "policy", "standard", "2023-08-01", "--params", str(path))
    assert json.loads(out)["confidence"] == "H" and json.loads(out)["origin"] == "local"
    code, out, _ = run(capsys, "policy", "standard", "2022-08-01", "--params", str(path))
    assert json.loads(out)["origin"] == "shipped"
    household = tmp_path / "h.json"
    household.write_text(json.dumps({"date": "2027-09-01", "members": [{"income": {"wage": 1000}}]}), encoding="utf-8")
    code, out, err = run(capsys, "policy", "assess", str(household), "--params", str(path), "--today", "2027-09-02")
    result = json.loads(out)
    assert code == 0 and result["standard"] == 1740 and result["monthly_benefit"] == 740.0
    assert result["standard_origin"] == "local" and "示民〔2027〕3号" in result["standard_source"]
    assert not any(note.startswith("请核实") for note in result["notes"])


def test_policy_params_says_where_each_figure_came_from(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, GOOD_PARAMS)
    monkeypatch.setenv(params.ENV_FILE, str(path))
    code, out, _ = run(capsys, "policy", "params", "--json", "--today", "2027-09-01")
    rows = [r for r in json.loads(out) if r["key"] == "shanghai.dibao_standard"]
    local = [r for r in rows if r["origin"] == "local"]
    assert {r["value"] for r in local} == {"1740", "1510"} and all(r["file"] == str(path) for r in local)
    shipped_2023 = next(r for r in rows if r["from"] == "2023-07-01" and r["origin"] == "shipped")
    assert shipped_2023["shadowed"] and shipped_2023["stale"] == ""
    assert all(r["origin"] == "shipped" and r["origin_label"] == "随工具发布" for r in rows if r not in local)
    code, out, _ = run(capsys, "policy", "params", "--today", "2027-09-01")
    line = next(l for l in out.splitlines() if "1740" in l)
    assert "出处：本地参数文件" in line and str(path) in line and "可信度 H" in line and "示民〔2027〕3号" in line
    assert "已由本地参数文件中的数值取代" in next(l for l in out.splitlines() if "：1510" in l and "随工具发布" in l)


def test_found_like_the_holiday_file(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    assert params.local_file() is None
    write(folder, GOOD_PARAMS)
    assert params.local_file() == folder / "params.yaml"
    assert params.standard_on(date(2027, 8, 1)).value == 1740
    other = write(tmp_path, GOOD_PARAMS.replace("1740", "1745"), "other.yaml")
    monkeypatch.setenv(params.ENV_FILE, str(other))
    assert params.standard_on(date(2027, 8, 1)).value == 1745
    params.use_file(write(tmp_path, GOOD_PARAMS.replace("1740", "1750"), "explicit.yaml"))
    assert params.standard_on(date(2027, 8, 1)).value == 1750


ENTRY = "  - {effective_from: 2027-07-01, on_file_until: 2028-06-30, value: 1740, source: 示民〔2027〕3号}\n"
BAD_PARAMS = [
    ("impossible date", "dibao_standard:\n  - {effective_from: 2027-02-30, on_file_until: 2028-06-30, value: 1740, "
                        "source: 示民〔2027〕3号}\n", "第 2 行", "2027-02-30"),
    ("impossible until", "\n\ndibao_standard:\n  - {effective_from: 2027-07-01, on_file_until: 2028-13-01, "
                         "value: 1740, source: s}\n", "第 4 行", "2028-13-01"),
    ("no source", "dibao_standard:\n  - {effective_from: 2027-07-01, on_file_until: 2028-06-30, value: 1740}\n",
     "第 2 行", "缺少 source"),
    ("empty source", "dibao_standard:\n  - {effective_from: 2027-07-01, on_file_until: 2028-06-30, value: 1740, "
                     "source: ' '}\n", "第 2 行", "source 应写明依据"),
    ("negative amount", ENTRY.replace("1740", "-1740").join(["dibao_standard:\n", ""]), "第 2 行", "不是正数金额"),
    ("zero amount", ENTRY.replace("1740", "0").join(["dibao_standard:\n", ""]), "第 2 行", "不是正数金额"),
    ("text amount", ENTRY.replace("1740", "一千七").join(["dibao_standard:\n", ""]), "第 2 行", "不是正数金额"),
    ("no amount", "dibao_standard:\n  - {effective_from: 2027-07-01, on_file_until: 2028-06-30, source: s}\n",
     "第 2 行", "缺少 value"),
    ("no until", "dibao_standard:\n  - {effective_from: 2027-07-01, value: 1740, source: s}\n", "第 2 行",
     "缺少 on_file_until"),
    ("until before from", "dibao_standard:\n  - {effective_from: 2027-07-01, on_file_until: 2027-06-30, value: 1740, "
                          "source: s}\n", "第 2 行", "早于 effective_from"),
    ("date as text", "dibao_standard:\n  - {effective_from: '2027/07/01', on_file_until: 2028-06-30, value: 1740, "
                     "source: s}\n", "第 2 行", "不是日期"),
    ("overlap", "dibao_standard:\n" + ENTRY + ENTRY.replace("2027-07-01", "2028-01-01").replace("2028-06-30", "2028-12-31"),
     "第 3 行", "重叠"),
    ("unknown series", "dibao_standrad:\n" + ENTRY, "", "dibao_standrad 是未知参数"),
    ("unknown field", "dibao_standard:\n  - {effective_from: 2027-07-01, on_file_until: 2028-06-30, value: 1740, "
                      "source: s, amount: 1}\n", "第 2 行", "amount 是未知字段"),
    ("bad confidence", ENTRY.replace("}", ", confidence: X}").join(["dibao_standard:\n", ""]), "第 2 行", "H、M、L"),
    ("M without shown_as", ENTRY.replace("}", ", confidence: M}").join(["dibao_standard:\n", ""]), "第 2 行", "shown_as"),
    ("unknown region", "region: atlantis\ndibao_standard:\n" + ENTRY, "", "atlantis"),
    ("not a list", "dibao_standard: 1740\n", "", "应是数值列表"),
    ("not yaml", "dibao_standard: [\n", "行", "不是有效的 YAML"),
    ("not a mapping", "- 1740\n", "", "YAML 映射"),
]


@pytest.mark.parametrize(("what", "text", "line", "fragment"), BAD_PARAMS, ids=[b[0] for b in BAD_PARAMS])
def test_a_bad_parameters_file_is_refused_with_exit_2_naming_file_and_line(tmp_path, capsys, what, text, line, fragment):
    path = write(tmp_path, text)
    code, out, err = run(capsys, "policy", "standard", "2027-08-01", "--params", str(path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert str(path) in err and line in err and fragment in err, err


def test_a_missing_or_non_utf8_parameters_file(tmp_path, capsys):
    code, _, err = run(capsys, "policy", "params", "--params", str(tmp_path / "nope.yaml"))
    assert code == 2 and "找不到参数文件" in err
    path = tmp_path / "gbk.yaml"
    path.write_bytes("dibao_standard: 标准".encode("gbk"))
    code, _, err = run(capsys, "policy", "params", "--params", str(path))
    assert code == 2 and "UTF-8" in err


HOLIDAY_HEAD = "source: 国务院办公厅关于2027年部分节假日安排的通知（示例）\nyears: [2027]\n"
BAD_HOLIDAYS = [
    ("impossible date in a list", HOLIDAY_HEAD + "holidays:\n  - 2027-02-30\n", "第 4 行", "2027-02-30"),
    ("impossible date in a mapping", HOLIDAY_HEAD + "holidays:\n  - {date: 2027-02-29, name: 春节}\n", "第 4 行",
     "2027-02-29"),
    ("impossible end", HOLIDAY_HEAD + "holidays:\n  - {from: 2027-10-01, to: 2027-10-32}\n", "第 4 行", "2027-10-32"),
    ("impossible make-up day", HOLIDAY_HEAD + "workdays:\n\n  - {date: 2027-13-09}\n", "第 5 行", "2027-13-09"),
    ("impossible date for a known year", "source: s\nyears: [2018]\nholidays:\n  - 2018-02-30\n", "第 4 行",
     "2018-02-30"),
    ("date as text", HOLIDAY_HEAD + "holidays:\n  - {date: '2027/10/01'}\n", "第 4 行", "不是日期"),
    ("outside years", HOLIDAY_HEAD + "holidays:\n  - {date: 2028-01-01}\n", "第 4 行", "不在 years"),
    ("range backwards", HOLIDAY_HEAD + "holidays:\n  - {from: 2027-10-07, to: 2027-10-01}\n", "第 4 行", "起止日期不对"),
    ("no source", "years: [2027]\n", "", "source 缺失"),
    ("bad years", "source: s\nyears: 2027\n", "", "years"),
    ("not yaml", HOLIDAY_HEAD + "holidays: [\n", "行", "不是有效的 YAML"),
]


@pytest.mark.parametrize(("what", "text", "line", "fragment"), BAD_HOLIDAYS, ids=[b[0] for b in BAD_HOLIDAYS])
@pytest.mark.parametrize("command", [["policy", "workday", "add", "2018-09-28", "3"],
                                     ["policy", "workday", "between", "2018-09-28", "2018-10-08"],
                                     ["policy", "params"]])
def test_a_bad_holiday_file_is_refused_with_exit_2_naming_file_and_line(tmp_path, capsys, what, text, line, fragment,
                                                                         command):
    path = write(tmp_path, text, "holidays.yaml")
    code, out, err = run(capsys, *command, "--holidays", str(path))
    assert code == 2 and out == "" and "Traceback" not in err and "ValueError" not in err
    assert str(path) in err and line in err and fragment in err, err


@pytest.mark.parametrize("text", [
    HOLIDAY_HEAD + "holidays:\n  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}\n  - 2027-01-01\n"
                   "workdays:\n  - {date: 2027-10-09, name: 国庆节调休上班}\n",
    HOLIDAY_HEAD + "holidays: []\n",
    HOLIDAY_HEAD + "holidays:\n  - {date: 2027-02-28, name: 示例}\n",
])
def test_good_holiday_files_are_used(tmp_path, capsys, text):
    path = write(tmp_path, text, "holidays.yaml")
    code, out, err = run(capsys, "policy", "workday", "add", "2027-09-30", "3", "--holidays", str(path))
    assert code == 0 and json.loads(out)["confirmed"] is True and str(path) in json.loads(out)["source"]


def test_an_impossible_date_typed_on_the_command_line_is_echoed_as_typed(capsys):
    code, _, err = run(capsys, "policy", "workday", "add", "2018-02-30", "3")
    assert code == 2 and "“2018-02-30” 不是存在的日期" in err


def test_output_into_a_closed_pipe_ends_quietly():
    """``jiuzhu policy params | head -5``: the reader goes away; no BrokenPipeError traceback."""
    process = subprocess.Popen([sys.executable, "-m", "toolkit", "policy", "params", "--today", "2026-12-01"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()                  # the reader is gone before anything is written
    _, err = process.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    assert process.returncode == 141

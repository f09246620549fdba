"""`jiuzhu policy params` lists every parameter and says what is stale; assess warns when it used one."""

from __future__ import annotations

import io
import json
import sys

from toolkit.cli import main
from toolkit.policy import params


def run(capsys, monkeypatch, *argv, stdin=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


HOUSEHOLD_2026 = json.dumps({"date": "2026-09-01", "members": [{"name": "张三", "income": {"wage": 1000}}]},
                            ensure_ascii=False)


def test_assess_2026_uses_1690_with_its_source_and_a_verify_note(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "policy", "assess", "-", "--today", "2026-12-01", stdin=HOUSEHOLD_2026)
    assert code == 0 and err == ""           # M is not stale: no warning, but a note to verify
    data = json.loads(out)
    assert data["standard"] == 1690 and data["standard_effective_from"] == "2026-07-01"
    assert data["standard_confidence"] == "M" and "沪人社规〔2026〕7号" in data["standard_source"]
    assert any(n.startswith("请核实") and "M" in n for n in data["notes"])
    assert data["monthly_benefit"] == 690.0


def test_standards_2024_and_2025_and_the_2025_minimum_wage():
    assert params.standard_on(params.date(2024, 7, 1)).value == 1595
    assert params.standard_on(params.date(2025, 6, 30)).value == 1595
    assert params.standard_on(params.date(2025, 7, 1)).value == 1650
    wage = params.load_region()["minimum_wage"].on(params.date(2025, 7, 1))
    assert (wage.value, wage.confidence) == (2740, "H") and "沪人社规〔2025〕10号" in wage.source
    for day in (params.date(2024, 7, 1), params.date(2025, 7, 1), params.date(2026, 7, 1)):
        entry = params.standard_on(day)
        assert entry.confidence == "M" and "推算" in entry.source and "第十八条" in entry.source


def test_params_lists_every_parameter_with_source_and_confidence(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "policy", "params", "--json", "--today", "2026-12-01")
    rows = json.loads(out)
    assert code == 0
    keys = {row["key"] for row in rows}
    assert {"shanghai.dibao_standard", "shanghai.minimum_wage", "shanghai.property_limits",
            "procedure.2012.investigation_start", "procedure.2021.total_time", "calendar.package"} <= keys
    for row in rows:
        assert row["what"] and row["value"]
        if not row["key"].startswith("calendar."):
            assert row["from"] and row["source"] and row["confidence"] in {"H", "M", "L"}
    stale = {row["key"] for row in rows if row["stale"]}
    # today 2026-12: the 2026-07-01 standard is current; 2027's holidays are not on file; L values need checking
    assert "calendar.2027" in stale and "shanghai.property_limits" in stale
    newest = [r for r in rows if r["key"] == "shanghai.dibao_standard"][-1]
    assert newest["from"] == "2026-07-01" and newest["stale"] == ""
    assert not any(r["key"].startswith("procedure.") and r["stale"] for r in rows)   # all H


def test_params_after_13_months_calls_the_standard_stale_and_assess_warns(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "policy", "params", "--stale", "--today", "2027-08-02")
    assert code == 0
    assert "1690（2026-07-01 起，已知适用至 2027-06-30）" in out and "超过 13 个月" in out and "2028 年法定节假日" in out
    assert "在档数值只到 2027-06-30" in out
    household = json.dumps({"date": "2027-06-01", "members": [{"income": {"wage": 1000}}]})
    code, out, err = run(capsys, monkeypatch, "policy", "assess", "-", "--today", "2027-08-02", stdin=household)
    assert code == 0 and json.loads(out)["standard"] == 1690
    assert err.startswith("警告：") and "超过 13 个月" in err
    code, out, err = run(capsys, monkeypatch, "policy", "assess", "-", "--today", "2027-07-31", stdin=household)
    assert code == 0 and "在档数值只到 2027-06-30" in err and "超过 13 个月" not in err
    code, out, err = run(capsys, monkeypatch, "policy", "assess", "-", "--today", "2027-06-15", stdin=household)
    assert code == 0 and err == ""


def test_assess_warns_about_a_confidence_L_limit_it_used(capsys, monkeypatch):
    household = json.dumps({"date": "2022-08-01", "members": [{"income": {"wage": 500}}], "assets": {"deposits": 100}})
    code, out, err = run(capsys, monkeypatch, "policy", "assess", "-", "--today", "2026-12-01", stdin=household)
    assert code == 0 and "家庭财产状况认定标准" in err and "可信度 L" in err
    assert json.loads(out)["parameters_used"][1] == {"key": "shanghai.property_limits", "from": "2019-05-01"}


def test_params_text_output_is_chinese_and_names_what_is_stale(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "policy", "params", "--today", "2026-12-01")
    assert code == 0
    assert "上海市城乡居民最低生活保障标准" in out and "自受理至审核确认的总时限" in out
    assert "【过期或需核实】" in out and out.rstrip().endswith("项。")


def test_check_procedure_warns_about_a_confidence_L_limit(capsys, monkeypatch, tmp_path):
    import yaml

    from toolkit.policy import limits

    raw = yaml.safe_load(limits.PROCEDURE_FILE.read_text(encoding="utf-8"))
    raw["rule_sets"][-1]["limits"]["notice_period"]["confidence"] = "L"
    path = tmp_path / "procedure.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(limits, "PROCEDURE_FILE", path)
    case = json.dumps({"steps": [{"step": "accept", "date": "2022-03-01", "staff": ["甲"]}]})
    code, out, err = run(capsys, monkeypatch, "policy", "check-procedure", "-", stdin=case)
    assert code == 0 and json.loads(out)["rule_set"] == "2021"
    assert "公示期（含首尾两天）" in err and "可信度 L" in err
    code, out, _ = run(capsys, monkeypatch, "policy", "params", "--stale", "--json", "--today", "2026-12-01")
    assert "procedure.2021.notice_period" in {row["key"] for row in json.loads(out)}

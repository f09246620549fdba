"""Findings worded as findings, from the checklist item and the recorded result."""

from __future__ import annotations

import datetime as dt
import re

from toolkit.checklists.model import Item
from toolkit.inspections.rectification.findings import case_finding, group_findings, load_findings, unit_finding
from toolkit.inspections.rectification.rectification import build_rectification, load_deadline_rules, problem_id


def _item(**kw) -> Item:
    base = dict(id="X-01", text="公示期满 7 天", section="程序合规", evidence="", method="抽查档案",
                scoring="proportion", points=6, severity="严重", basis="依据", finding="公示不足 7 天")
    return Item(**{**base, **kw})


def test_wording_comes_from_the_finding_and_the_result():
    assert case_finding(_item(), 50, 2) == "抽查 50 份档案中 2 份公示不足 7 天"
    assert case_finding(_item(finding=""), 50, 2) == "抽查 50 份档案中 2 份未达到要求：公示期满 7 天"
    levels = _item(scoring="levels", finding="专项治理台账不完整")
    assert unit_finding(levels, "有台账但整改不完整") == ("专项治理台账不完整", "评定为“有台账但整改不完整”")
    assert unit_finding(_item(scoring="proportion"), "0.62") == ("公示不足 7 天", "达标比例 62%")
    assert unit_finding(_item(scoring="yes_no"), "否")[1] == "否"


def test_district_findings_name_the_case_files_and_group_by_item(small_store):
    findings = load_findings(str(small_store), "2019", "东湖区")
    assert len(findings) and set(findings["district"]) == {"东湖区"}
    files = findings[findings["kind"] == "case_file"]
    assert len(files)
    for f in files.itertuples():
        assert re.fullmatch(rf"抽查 {f.sampled} 份档案中 {f.failed} 份\S+", f.finding)
        assert len(f.case_ids) == f.failed and all(re.fullmatch(r"[A-Z]\d\d-\d{4}", c) for c in f.case_ids)
    units = findings[findings["kind"] == "unit"]
    assert not units["finding"].str.contains("未达到要求").any()   # every default item has a finding
    grouped = group_findings(findings)
    for g in grouped.itertuples():
        if g.case_ids:
            assert g.finding.startswith("抽查 ")
        else:
            assert g.finding.startswith(f"{len(g.units)} 个街镇") and g.where == "、".join(g.units)
    assert len(grouped) == findings["item_id"].nunique()


def test_rectification_numbers_are_stable_and_rows_carry_case_files(small_store):
    findings = load_findings(str(small_store), "2019", "东湖区")
    rules = load_deadline_rules()
    first = build_rectification(findings, dt.date(2019, 12, 23), rules, "2019")
    again = build_rectification(findings.sample(frac=1, random_state=1), dt.date(2019, 12, 23), rules, "2019")
    assert sorted(first["问题编号"]) == sorted(again["问题编号"]) and first["问题编号"].is_unique
    assert problem_id("2019", "东湖区", "甲街道", "TS-03") == problem_id("2019", "东湖区", "甲街道", "TS-03")
    assert problem_id("2019", "东湖区", "甲街道", "TS-03") != problem_id("2019", "东湖区", "乙街道", "TS-03")
    files = first[first["检查项"].str.startswith("CF-")]
    assert (files["涉及档案编号"] != "").all()
    assert first[["整改措施", "完成日期", "佐证材料", "完成情况", "说明"]].isna().all().all()

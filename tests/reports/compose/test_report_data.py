"""Report tables computed from a small hand-made round (shapes of the scores API)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from toolkit.errors import InputError  # noqa: E402
from toolkit.reports.compose import report_data as rd  # noqa: E402
from toolkit.inspections.rectification.rectification import (  # noqa: E402
    UNCONFIRMED, build_rectification, describe_rules, load_deadline_rules, summarize)

ITEMS = [  # district, unit, section, item, text, score, max, severity
    ("东湖区", "甲街道", "制度建设", "TS-03", "建立审核审批制度", 3, 3, "一般"),
    ("东湖区", "甲街道", "审核审批", "TS-07", "入户调查两人以上", 0, 5, "严重"),
    ("东湖区", "乙镇", "制度建设", "TS-03", "建立审核审批制度", 3, 3, "一般"),
    ("东湖区", "乙镇", "审核审批", "TS-07", "入户调查两人以上", 5, 5, "严重"),
    ("云岭区", "丙街道", "制度建设", "TS-03", "建立审核审批制度", 0, 3, "一般"),
    ("云岭区", "丙街道", "审核审批", "TS-07", "入户调查两人以上", 0, 5, "严重"),
]


def _round(round_id="2025-R2", shift=0.0):
    items = pd.DataFrame([dict(district=d, unit=u, checklist_id="town_street", section=sec,
                               item_id=i, item_text=t, method="查阅资料", score=sc, max_points=m,
                               severity=sv, basis=f"依据{i}", remarks="")
                          for d, u, sec, i, t, sc, m, sv in ITEMS])
    sections = items.groupby(["district", "unit", "checklist_id", "section"], sort=False)[
        ["score", "max_points"]].sum().reset_index()
    sections["pct"] = 100 * sections["score"] / sections["max_points"]
    units = items.groupby(["district", "unit"], sort=False)[["score", "max_points"]].sum().reset_index()
    units["pct"] = 100 * units["score"] / units["max_points"] + shift
    units["grade"] = ["不合格" if p < 60 else "合格" if p < 80 else "良好" if p < 90 else "优秀"
                      for p in units["pct"]]
    districts = units.groupby("district", sort=False)[["score", "max_points"]].sum().reset_index()
    districts["pct"] = 100 * districts["score"] / districts["max_points"] + shift
    districts["grade"] = ["良好", "不合格"]
    districts["rank"] = [1, 2]
    findings = items[items["score"] < items["max_points"]][
        ["district", "unit", "checklist_id", "item_id", "item_text", "section", "severity", "basis",
         "remarks"]]
    return SimpleNamespace(
        round_id=round_id, is_sample=True, items=items,
        checklists=pd.DataFrame([dict(checklist_id="town_street", title="街镇检查表", version_hash="h")]), sections=sections, units=units,
        districts=districts, findings=findings.reset_index(drop=True),
        case_files=pd.DataFrame([dict(district="东湖区", unit="甲街道", sampled=10, compliant=8),
                                 dict(district="东湖区", unit="乙镇", sampled=0, compliant=0),
                                 dict(district="云岭区", unit="丙街道", sampled=5, compliant=5)]),
        inspectors=pd.DataFrame([dict(district="东湖区", team_district="云岭区",
                                      inspectors="王*、李**")]))


def test_overview_names_units_files_and_masked_inspectors():
    table = rd.district_overview(_round(), "东湖区")
    facts = dict(zip(table["项目"], table["情况"]))
    assert facts["被检查街镇"] == "2 个（甲街道、乙镇）"
    assert facts["抽查低保案卷"] == "10 份，其中合规 8 份"
    assert facts["检查组及检查人员"] == "云岭区检查组：王*、李**"
    assert facts["全市排名"] == "第 1 名（共 2 个区）"


def test_unit_table_has_rate_per_checklist_total_and_grade_best_first():
    table = rd.unit_checklist_table(_round(), "东湖区")
    assert list(table.columns) == ["街镇", "街镇检查表", "总得分率", "等级"]
    assert table.iloc[0].tolist() == ["乙镇", 100.0, 100.0, "优秀"]
    assert table.iloc[1].tolist() == ["甲街道", 37.5, 37.5, "不合格"]


def test_section_table_names_the_weakest_unit():
    table = rd.section_table(_round(), "东湖区").set_index("部分")
    assert table.loc["审核审批", "得分率（%）"] == 50.0
    assert table.loc["审核审批", "最低的街镇"] == "甲街道（0.0%）"
    rates = rd.unit_section_rates(_round(), "东湖区")
    assert rates.columns.tolist() == ["街镇", "制度建设", "审核审批"]
    assert rates["街镇"].tolist() == ["乙镇", "甲街道"]


def test_case_file_compliance_uses_wilson_interval():
    table = rd.case_file_table(_round(), "东湖区")
    first = table.iloc[0]
    assert (first["抽查份数"], first["合规份数"], first["合规率（%）"]) == (10, 8, 80.0)
    assert first["95%置信区间"] == "49.0%–94.3%"  # Wilson, n=10, k=8
    assert table.iloc[1]["95%置信区间"] == "—"  # nothing sampled: no interval invented
    by_district = rd.case_file_table(_round(), by="district")
    assert by_district["区"].tolist() == ["东湖区", "云岭区"]
    assert by_district["抽查份数"].tolist() == [10, 5]


def test_notable_practices_only_items_every_unit_met_in_full():
    assert rd.notable_practices(_round(), "东湖区")["检查项"].tolist() == ["建立审核审批制度"]
    assert rd.notable_practices(_round(), "云岭区").empty


def test_findings_grouped_by_severity_serious_first():
    groups = rd.findings_by_severity(_round())
    assert [g for g, _ in groups] == ["严重", "一般"]
    assert groups[0][1]["街镇"].tolist() == ["甲街道", "丙街道"]


def test_top_problems_counts_units_and_districts():
    table = rd.top_problems(_round())
    assert table.iloc[0][["问题", "涉及街镇数", "涉及区数"]].tolist() == ["入户调查两人以上", 2, 2]
    assert len(rd.top_problems(_round(), n=1)) == 1


def test_change_and_trend_against_previous_round():
    current, previous = _round(), _round("2025-R1", shift=-5.0)
    change = rd.change_table(current, previous, "东湖区")
    assert change["变化（百分点）"].tolist() == [5.0, 5.0]
    trend = rd.trend_table(current, previous)
    assert trend["区"].tolist() == ["东湖区", "云岭区"] and trend["变化（百分点）"].tolist() == [5.0, 5.0]
    assert rd.change_table(current, None, "东湖区") is None


def test_sections_by_district_has_sections_as_rows_districts_by_rank():
    table = rd.sections_by_district_table(_round())
    assert table.columns.tolist() == ["部分", "东湖区", "云岭区"]
    assert table["部分"].tolist() == ["制度建设", "审核审批"]
    assert table.loc[1, "东湖区"] == 50.0 and table.loc[1, "云岭区"] == 0.0


def test_ranking_grades_and_charts():
    s = _round()
    assert rd.ranking_table(s)["区"].tolist() == ["东湖区", "云岭区"]
    grades = rd.grade_distribution(s).set_index("等级")
    assert grades.loc["优秀", "街镇数"] == 1 and grades.loc["不合格", "街镇数"] == 2
    for fig in (rd.section_chart(s, "东湖区"), rd.case_file_chart(s, "东湖区"), rd.section_heatmap(s),
                rd.trend_chart(s, _round("2025-R1")), rd.grade_chart(s)):
        assert fig.axes[0].get_title()


def test_rectification_deadlines_count_chinese_working_days():
    rules = load_deadline_rules()
    table = build_rectification(_round().findings, dt.date(2026, 9, 28), rules)
    assert table["严重程度"].tolist() == ["严重", "严重", "一般"]
    first = table.iloc[0]
    assert first["责任单位"] == "甲街道" and first["整改期限（工作日）"] == 10
    # 10 working days from Mon 2026-09-28 cross the National Day holiday (10-01 … 10-07)
    assert first["完成时限"] == dt.date(2026, 10, 16)
    assert first["日期已按法定节假日核定"] == "是"
    assert "严重问题 10 个工作日" in describe_rules(rules)
    overview = summarize(table).set_index("严重程度")
    assert overview.loc["严重", "问题数"] == 2 and overview.loc["一般", "整改期限（工作日）"] == 20


def test_rectification_beyond_the_holiday_calendar_is_flagged():
    table = build_rectification(_round().findings, dt.date(2026, 12, 20), {"严重": 30, "一般": 30})
    assert (table["日期已按法定节假日核定"] == UNCONFIRMED).all()


def test_rectification_refuses_unknown_severity_and_bad_settings(tmp_path):
    with pytest.raises(InputError) as err:
        build_rectification(_round().findings, dt.date(2026, 3, 2), {"严重": 10})
    assert "TS-03" in str(err.value) and "一般" in str(err.value)
    bad = tmp_path / "settings.yaml"
    bad.write_text("rectification_workdays:\n  严重: 十天\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_deadline_rules(settings=bad)
    assert "十天" in str(err.value) and "settings.yaml" in str(err.value)

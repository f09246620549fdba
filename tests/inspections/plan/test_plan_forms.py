"""Mutual-inspection plan, stratified sample, and the generated Excel forms."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.inspections.plan.plan import allocate, assign_teams, draw_sample, sample_size
from toolkit.inspections.store.rounds import RoundError

DISTRICTS = ["东湖区", "云岭区", "梅溪区", "枫林湾区", "松涛区", "银杏区", "鹭洲区", "竹韵区"]


@pytest.mark.parametrize("seed", range(20))
def test_teams_never_inspect_themselves_or_each_other_and_load_is_balanced(seed):
    pairs = assign_teams(DISTRICTS, seed)
    team_of = dict(pairs)
    assert sorted(team_of) == sorted(DISTRICTS)
    assert all(district != team for district, team in pairs)
    assert all(team_of[team] != district for district, team in pairs)          # no A↔B
    assert sorted(team for _, team in pairs) == sorted(DISTRICTS)               # one district per team


def test_team_plan_is_reproducible_and_needs_three_districts():
    assert assign_teams(DISTRICTS, 7) == assign_teams(DISTRICTS, 7)
    assert assign_teams(DISTRICTS, 7) != assign_teams(DISTRICTS, 8)
    with pytest.raises(RoundError, match="至少需要 3 个区"):
        assign_teams(["东湖区", "云岭区"], 1)


@pytest.mark.parametrize("population,expected", [(10, 10), (150, 20), (300, 30), (601, 60), (5000, 60)])
def test_sample_size_rule(population, expected):
    assert sample_size(population) == expected


def test_allocation_is_proportional_with_one_per_stratum():
    assert allocate({"本年新增": 3, "往年存量": 597}, 60) == {"本年新增": 1, "往年存量": 59}
    assert allocate({"本年新增": 100, "往年存量": 300}, 40) == {"本年新增": 10, "往年存量": 30}


def _households():
    rows = []
    for unit_id in (1, 2):
        for n in range(200):
            year = 2019 if n < 40 else 2015
            rows.append({"unit_id": unit_id, "district": "东湖区", "unit": f"街镇{unit_id}",
                         "case_id": f"U{unit_id}-{n:04d}", "accepted_on": pd.Timestamp(year, 3, 1).date(),
                         "status": "在保", "approved_on": None, "ended_on": None})
    rows.append({"unit_id": 1, "district": "东湖区", "unit": "街镇1", "case_id": "U1-late",
                 "accepted_on": pd.Timestamp(2019, 12, 20).date(), "status": "在保", "approved_on": None,
                 "ended_on": None})
    return pd.DataFrame(rows)


def test_stratified_sample_is_reproducible_and_respects_strata():
    first = draw_sample(_households(), "2019", seed=3)
    assert first.equals(draw_sample(_households(), "2019", seed=3))
    assert not first.equals(draw_sample(_households(), "2019", seed=4))
    per_unit = first.groupby("unit").size()
    assert list(per_unit) == [20, 20]
    strata = first[first["unit"] == "街镇1"].groupby("stratum").size().to_dict()
    assert strata == {"本年新增": 4, "往年存量": 16}
    assert "U1-late" not in set(first["case_id"])        # accepted after the round's cut-off


def test_plan_xlsx_states_rule_and_marks_sample(city, checklists, tmp_path):
    from toolkit.inspections.plan.plan import make_plan

    plan = make_plan(city.store, "2020", checklists, seed=2, out_dir=tmp_path)
    wb = load_workbook(plan.path)
    assert wb.sheetnames == ["互检安排", "抽样名单"]
    assert "示例数据" in wb["互检安排"]["A1"].value
    assert "抽样规则" in wb["抽样名单"]["A1"].value
    assert len(plan.assignments) == 4


def test_replanning_after_import_is_refused(city, checklists):
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.plan.plan import make_plan

    import_files(city.store, "2019", city.forms[:1], today=pd.Timestamp(2020, 1, 15).date())
    with pytest.raises(RoundError, match="已有导入的检查结果"):
        make_plan(city.store, "2019", checklists, seed=9)


def test_edited_checklist_never_rescores_a_round_with_results(city, checklists):
    from dataclasses import replace

    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.store.rounds import ensure_round, round_checklists

    import_files(city.store, "2019", city.forms[:1], today=pd.Timestamp(2020, 1, 15).date())
    edited = dict(checklists, town_street=replace(checklists["town_street"], version_hash="feedfacefeedface"))
    with pytest.raises(RoundError, match="不会按新版本重新计分"):
        ensure_round(__import__("toolkit.inspections.store.store", fromlist=["open_store"]).open_store(city.store),
                     "2019", edited)
    kept = round_checklists(__import__("toolkit.inspections.store.store", fromlist=["x"]).open_store(city.store), "2019")
    assert kept["town_street"].version_hash == checklists["town_street"].version_hash


def test_blank_form_has_dropdowns_protection_and_sample(city):
    from toolkit.inspections.forms.commands import write_forms

    paths = write_forms(city.store, "2019", city.folder / "blank", ["东湖区"])
    assert paths and all("东湖区" in p.name for p in paths)
    wb = load_workbook(paths[0])
    assert wb.sheetnames == ["说明", "基本信息", "镇（街道）社会救助管理服务质量检查表", "窗口服务检查表", "低保档案材料核查表"]
    assert wb.security.lockStructure
    town = wb["镇（街道）社会救助管理服务质量检查表"]
    assert town.protection.sheet
    assert town["H4"].protection.locked is False and town["C4"].protection.locked is True
    formulas = {dv.formula1 for dv in town.data_validations.dataValidation}
    assert '"是,否"' in formulas and '"台账完整且整改到位,有台账但整改不完整,未开展"' in formulas
    window = wb["窗口服务检查表"]
    assert any(dv.type == "decimal" and dv.formula2 == "1" for dv in window.data_validations.dataValidation)
    cases = wb["低保档案材料核查表"]
    column_a = [cases.cell(row=r, column=1).value for r in range(4, cases.max_row + 1)]
    listed = column_a[:column_a.index(None)]
    assert listed and all(re.fullmatch(r"A\d\d-\d{4}", c) for c in listed)
    # signature lines below the table of every sheet that is signed, and on 基本信息; on the case-file
    # sheet from column B (column A repeats on every page across), nothing in column A below the table
    signatures = ["检查人员签字：", "被检查单位负责人签字：", "日期："]
    assert set(column_a[len(listed):]) == {None}
    assert [c.value for c in cases["B"] if c.value in signatures] == signatures
    assert [c.value for c in town["A"] if c.value in signatures] == signatures
    info = wb["基本信息"]
    assert [c.value for c in info["A"] if c.value in signatures] == signatures
    assert cases["A4"].protection.locked is True and cases["B4"].protection.locked is False
    assert "示例数据" in wb["说明"]["A1"].value
    # no program text on paper: no commands, the checklist versions in a hidden row only
    printed = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and not ws.row_dimensions[c.row].hidden]
    assert not [t for t in printed if "jiuzhu" in t or "版本" in t or "=" in t]
    versions = [r for r in range(1, info.max_row + 1) if "=" in str(info.cell(r, 2).value)]
    assert versions and all(info.row_dimensions[r].hidden for r in versions)


def test_forms_for_unknown_district(city):
    from toolkit.inspections.forms.commands import write_forms

    with pytest.raises(RoundError, match="区“西海区”不存在"):
        write_forms(city.store, "2019", city.folder / "x", ["西海区"])


D = pd.Timestamp


FRAME_CASES = [
    # (status, accepted, approved, ended, refused asked for, in the frame on 2019-11-30)
    ("在保", "2019-03-01", "2019-03-20", None, False, True),
    ("在保", "2019-11-20", "2019-12-05", None, False, False),     # approved after the sampling date
    ("在保", "2019-12-01", None, None, False, False),             # accepted after it
    ("在保", "2015-01-01", None, None, False, True),
    ("停保", "2017-05-01", "2017-05-20", "2019-12-15", False, True),   # still 在保 on the date
    ("停保", "2017-05-01", "2017-05-20", "2019-06-30", False, False),  # stopped before it
    ("终止", "2017-05-01", "2017-05-20", None, False, False),         # no date: the register cannot say
    ("终止", "2018-05-01", "2018-05-20", "2019-11-30", False, False),  # ended that day
    ("不予批准", "2019-04-01", "2019-04-20", None, False, False),      # no checklist asks
    ("不予批准", "2019-04-01", "2019-04-20", None, True, True),
    ("不予批准", "2018-04-01", "2018-04-20", None, True, False),       # refused in an earlier year
    ("不予批准", "2019-11-25", "2019-12-10", None, True, False),       # decided after the date
]


@pytest.mark.parametrize("status,accepted,approved,ended,refused,expected", FRAME_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FRAME_CASES)])
def test_the_sampling_frame_by_status_and_date(status, accepted, approved, ended, refused, expected):
    from toolkit.inspections.plan.frame import in_frame

    day = lambda v: D(v).date() if v else None  # noqa: E731
    assert in_frame(status, day(accepted), day(approved), day(ended), D("2019-11-30").date(), refused) is expected


def test_the_sample_is_drawn_from_the_frame_and_plan_xlsx_shows_its_n(tmp_path):
    from toolkit.inspections.plan.frame import frame
    from toolkit.inspections.plan.plan import Plan, write_plan_xlsx

    households = _households()
    households.loc[households.index[:30], "status"] = "停保"            # 30 of 街镇1, no 停保 date
    households.loc[households.index[30:35], "status"] = "不予批准"
    on = D("2019-11-30").date()
    sample = draw_sample(households, "2019", seed=3, on=on)
    assert not set(sample["case_id"]) & set(households["case_id"][:35])
    used = frame(households[households["unit"] == "街镇1"], on)
    assert len(used) == 200 - 35
    plan = Plan("2019", 3, [("东湖区", "东湖区")], sample.drop(columns=["unit_id"]), kind="区级督导", sampling_date=on)
    book = load_workbook(write_plan_xlsx(plan, tmp_path / "plan.xlsx", frame(households, on), False))
    rows = list(book["抽样名单"].iter_rows(min_row=3, values_only=True))
    assert {r[1]: r[2] for r in rows} == {"街镇1": 165, "街镇2": 200}
    assert "抽样日 2019年11月30日 在保" in book["抽样名单"]["A1"].value


def test_the_default_case_file_checklist_asks_for_refused_files(checklists):
    from toolkit.inspections.plan.frame import asks_for_refused

    assert asks_for_refused(checklists) is True
    assert asks_for_refused({k: c for k, c in checklists.items() if c.kind != "case_file"}) is False

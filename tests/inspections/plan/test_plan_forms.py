"""Mutual-inspection plan, stratified sample, and the generated Excel forms."""

from __future__ import annotations

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
                         "case_id": f"U{unit_id}-{n:04d}", "accepted_on": pd.Timestamp(year, 3, 1).date()})
    rows.append({"unit_id": 1, "district": "东湖区", "unit": "街镇1", "case_id": "U1-late",
                 "accepted_on": pd.Timestamp(2019, 12, 20).date()})
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
    listed = [cases.cell(row=r, column=1).value for r in range(4, cases.max_row + 1)]
    assert listed and all(listed)
    assert cases["A4"].protection.locked is True and cases["B4"].protection.locked is False
    assert "示例数据" in wb["说明"]["A1"].value


def test_forms_for_unknown_district(city):
    from toolkit.inspections.forms.commands import write_forms

    with pytest.raises(RoundError, match="区“西海区”不存在"):
        write_forms(city.store, "2019", city.folder / "x", ["西海区"])

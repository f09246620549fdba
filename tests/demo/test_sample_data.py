"""Sample data: two rounds through the real import path, marked 示例数据, safe to re-run."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from toolkit.demo.sample_data import SampleDataError, build_city, generate
from toolkit.inspections.scores.scores import list_rounds, load_round_scores, previous_round
from toolkit.privacy import is_valid_id_number

SMALL = ["东湖区", "云岭区", "梅溪区"]


def test_city_is_fictional_and_sized_as_asked():
    units, households = build_city(3)
    assert units["district"].nunique() == 8 and units.groupby("district").size().between(5, 12).all()
    assert 38_000 <= len(households) <= 42_000 and households["case_id"].is_unique
    assert set(units["unit_type"]) == {"街道", "镇"}


@pytest.mark.slow
def test_generate_two_rounds_through_the_import(tmp_path):
    messages = []
    result = generate(tmp_path, seed=2, say=messages.append, districts=SMALL, unit_range=(2, 2),
                      total_households=600)
    assert list_rounds(result.store) == ["2018", "2019"] and previous_round(result.store, "2019") == "2018"
    assert {r.action for records in result.imports.values() for r in records} == {"新增"}
    assert len(result.forms) == 2 * 3 * 2 and all(p.exists() for p in result.plans)
    wb = load_workbook(result.forms[0])
    assert "示例数据" in wb["说明"]["A1"].value
    row = [c.value for c in wb["低保档案材料核查表"][4]]
    assert is_valid_id_number(row[2])
    s2018, s2019 = load_round_scores(result.store, "2018"), load_round_scores(result.store, "2019")
    assert s2018.is_sample and len(s2019.districts) == 3 and len(s2019.findings) > 0
    assert any("示例数据" in m for m in messages)
    again = generate(tmp_path, seed=2, say=messages.append, districts=SMALL, unit_range=(2, 2),
                     total_households=600)                                  # re-run replaces the sample store
    assert list_rounds(again.store) == ["2018", "2019"]


def test_generate_refuses_to_overwrite_a_real_store(tmp_path):
    from toolkit.inspections.store import store as st

    st.open_store(tmp_path / "jiuzhu.sqlite").dispose()
    with pytest.raises(SampleDataError, match="不是示例数据库"):
        generate(tmp_path, say=lambda _: None)

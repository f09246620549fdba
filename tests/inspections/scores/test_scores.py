"""Scores API (the contract the report notebooks use), the scores view, and personal-data masking."""

from __future__ import annotations

import math
from datetime import date

import pytest

from toolkit.inspections.intake.importer import import_files
from toolkit.inspections.store.rounds import RoundError
from toolkit.inspections.scores.scores import (
    list_districts, list_rounds, load_round_scores, previous_round, wilson_interval,
)


@pytest.fixture
def imported(city):
    import_files(city.store, "2019", city.forms, imported_by="测试", today=date(2020, 1, 15))
    return city


def test_wilson_interval_known_values():
    # by hand: p = 0.75, z² = 3.8415; centre = (0.75 + 0.03201) / 1.06403 = 0.73496,
    # half-width = 1.96 × √(0.003125 + 0.00026677) / 1.06403 = 0.10728
    low, high = wilson_interval(45, 60)
    assert (round(low, 4), round(high, 4)) == (0.6277, 0.8422)
    assert wilson_interval(60, 60)[1] == 1.0 and wilson_interval(0, 10)[0] == 0.0
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


def test_round_listing(imported):
    assert list_rounds(imported.store) == ["2019"]
    assert previous_round(imported.store, "2019") is None
    assert list_districts(imported.store, "2019") == ["东湖区", "云岭区", "松涛区", "梅溪区"]
    with pytest.raises(RoundError):
        previous_round(imported.store, "1999")


def test_scores_roll_up_from_items_to_districts(imported):
    s = load_round_scores(imported.store, "2019")
    assert s.is_sample and set(s.checklists["checklist_id"]) == {"town_street", "service_window", "case_file"}
    unit = s.units.iloc[0]
    items = s.items[(s.items["district"] == unit["district"]) & (s.items["unit"] == unit["unit"])]
    assert unit["score"] == pytest.approx(items["score"].sum())
    assert unit["max_points"] == pytest.approx(items["max_points"].sum())
    sections = s.sections[(s.sections["district"] == unit["district"]) & (s.sections["unit"] == unit["unit"])]
    assert sections["score"].sum() == pytest.approx(unit["score"])
    top = s.districts.iloc[0]
    assert top["rank"] == 1 and top["pct"] == s.districts["pct"].max()
    for row in s.districts.itertuples():
        expected = next(g for g, m in s.grade_bands["overall"] if row.pct >= m)
        assert row.grade == expected
    assert (s.items["score"] <= s.items["max_points"] + 1e-9).all()


def test_case_file_compliance_and_findings(imported):
    s = load_round_scores(imported.store, "2019")
    cf = s.case_files.iloc[0]
    low, high = wilson_interval(int(cf["compliant"]), int(cf["sampled"]))
    assert (cf["ci_low"], cf["ci_high"]) == (round(low, 4), round(high, 4))
    assert cf["ci_low"] <= cf["rate"] <= cf["ci_high"]
    assert len(s.findings) > 0
    assert set(s.findings["severity"]) <= {"严重", "一般", "轻微"}
    merged = s.findings.merge(s.items, on=["district", "unit", "checklist_id", "item_id"])
    assert (merged["score"] < merged["max_points"]).all()


def test_one_district_and_unknown_district(imported):
    s = load_round_scores(imported.store, "2019", district="东湖区")
    assert set(s.units["district"]) == {"东湖区"} and list(s.districts["district"]) == ["东湖区"]
    with pytest.raises(RoundError, match="可选：东湖区、云岭区"):
        load_round_scores(imported.store, "2019", district="西海区")


def test_personal_data_never_shown_unmasked(imported):
    from sqlalchemy import select

    from toolkit.inspections.store import store as st
    from toolkit.inspections.scores.views import scores_text

    engine = st.open_store(imported.store)
    with engine.connect() as conn:
        people = conn.execute(select(st.case_checks.c.head_name, st.case_checks.c.id_number,
                                     st.case_checks.c.phone)).all()
        inspectors = conn.execute(select(st.unit_results.c.inspectors)).scalars().all()
    assert people, "personal data is stored"
    s = load_round_scores(imported.store, "2019")
    shown = scores_text(s) + scores_text(load_round_scores(imported.store, "2019", "东湖区"), "东湖区")
    shown += "".join(frame.to_csv() for frame in (s.items, s.findings, s.inspectors, s.case_files))
    for name, id_number, phone in people:
        assert id_number not in shown and phone not in shown
        assert f"{name}" not in shown or len(name) == 1
    for names in inspectors:
        for name in names.split("、"):
            assert name not in s.inspectors.to_csv()
    assert "*" in s.inspectors["inspectors"].iloc[0]


def test_round_without_results_gives_empty_tables(city):
    s = load_round_scores(city.store, "2019")
    assert s.units.empty and s.districts.empty and s.findings.empty and s.case_files.empty
    assert list(s.districts.columns) == ["district", "score", "max_points", "pct", "grade", "rank"]

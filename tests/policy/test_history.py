"""The standards' whole history: every figure says how long it holds; a gap is an error, never a carried figure."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import yaml

from toolkit.cli import main
from toolkit.errors import ParameterMissing
from toolkit.policy import assess, inventory, params


def history_problems(series: params.Series) -> list[str]:
    """What a walk over one series finds wrong: a missing on_file_until, an unmarked gap, an H entry
    whose successor is unknown (not on file from the day after it ends)."""
    problems = []
    entries = sorted((*series.entries, *series.local), key=lambda e: e["effective_from"])
    for index, entry in enumerate(entries):
        start, until = entry["effective_from"], entry.get("on_file_until")
        if not isinstance(until, date) or until < start:
            problems.append(f"{series.key} {start}: on_file_until {until!r}")
            continue
        following = entries[index + 1] if index + 1 < len(entries) else None
        if following and following["effective_from"] > until + timedelta(days=1) and not entry.get("gap_after"):
            problems.append(f"{series.key} {start}: unmarked gap after {until}")
        if entry["confidence"] == "H" and (following is None or following["effective_from"] != until + timedelta(days=1)):
            problems.append(f"{series.key} {start}: H entry whose successor is unknown")
    return problems


def test_every_series_on_file_has_no_unmarked_gap_and_no_H_entry_without_successor():
    for region in params.available_regions():
        for series in params.load_region(region).series.values():
            assert series.entries, series.key
            assert history_problems(series) == [], (region, series.key)


def test_the_walk_fails_on_a_bad_series(tmp_path):
    base = {"effective_from": date(2012, 4, 1), "on_file_until": date(2013, 3, 31), "value": 570,
            "source": "示例", "confidence": "H"}
    later = dict(base, effective_from=date(2018, 4, 1), on_file_until=date(2019, 3, 31), confidence="M")
    series = params.Series("dibao_standard", "低保标准", "", (base, later), tmp_path / "x.yaml")
    assert history_problems(series) == ["dibao_standard 2012-04-01: unmarked gap after 2013-03-31",
                                        "dibao_standard 2012-04-01: H entry whose successor is unknown"]


@pytest.mark.parametrize(("day", "value", "confidence"), [
    ("2012-04-01", 570, "H"), ("2013-03-31", 570, "H"), ("2013-04-01", 640, "L"), ("2014-06-01", 710, "L"),
    ("2015-06-01", 790, "L"), ("2016-04-01", 880, "L"), ("2017-06-01", 970, "L"), ("2018-03-31", 970, "L"),
    ("2018-04-01", 1070, "M"), ("2019-04-01", 1160, "H"), ("2023-07-01", 1510, "L"), ("2026-07-01", 1690, "M"),
])
def test_2013_to_2017_standards_as_policy_facts_gives_them(day, value, confidence):
    found = params.standard_on(date.fromisoformat(day))
    assert (found.value, found.confidence) == (value, confidence)


@pytest.mark.parametrize(("day", "rural"), [("2012-06-01", 430), ("2013-06-01", None), ("2014-06-01", None),
                                             ("2015-06-01", None), ("2016-06-01", 880), ("2017-06-01", 970)])
def test_rural_figures_only_where_known(day, rural):
    if rural is None:
        with pytest.raises(ParameterMissing, match="农村低保标准未在档"):
            params.standard_on(date.fromisoformat(day), area="rural")
    else:
        assert params.standard_on(date.fromisoformat(day), area="rural").value == rural


@pytest.mark.parametrize(("day", "members", "standard", "benefit"), [
    # 2015: 3 members, wage 1,200 + pension 900 = 2,100 → 700 per head < 790 → 790 × 3 − 2,100 = 270
    ("2015-06-01", [{"income": {"wage": 1200}}, {"income": {"pension": 900}}, {}], 790, 270.0),
    # 2017: 2 members, wage 1,500 → 750 per head < 970 → 970 × 2 − 1,500 = 440
    ("2017-09-01", [{"income": {"wage": 1500}}, {}], 970, 440.0),
    # 2017: 1 member at 970 exactly: not below the standard
    ("2017-09-01", [{"income": {"wage": 970}}], 970, 0.0),
])
def test_hand_worked_2015_and_2017_households(day, members, standard, benefit):
    result = assess({"date": day, "members": members})
    assert result["standard"] == standard and result["monthly_benefit"] == benefit
    assert result["standard_confidence"] == "L"
    assert any(note.startswith("请核实") and "L" in note for note in result["notes"])


def test_policy_standard_2017_is_not_the_2012_figure(capsys):
    assert main(["policy", "standard", "2017-06-01"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["standard"], shown["effective_from"], shown["confidence"]) == (970, "2017-04-01", "L")
    assert shown["on_file_until"] == "2018-03-31" and shown["origin"] == "shipped"


def _region(tmp_path, monkeypatch, entries) -> None:
    (tmp_path / "demo_city.yaml").write_text(yaml.safe_dump({
        "region": "demo_city", "name": "示例市",
        "dibao_standard": {"title": "低保标准", "basis": "示例市低保办法第五条", "entries": entries},
    }, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(params, "PARAMS_DIR", tmp_path)
    params.load_region.cache_clear()


@pytest.fixture
def gap_region(tmp_path, monkeypatch):
    _region(tmp_path, monkeypatch, [
        {"effective_from": date(2020, 1, 1), "on_file_until": date(2020, 12, 31), "value": 900, "source": "示例市公告",
         "confidence": "M", "shown_as": "据示例报道", "gap_after": "2021年标准未找到"},
        {"effective_from": date(2022, 1, 1), "on_file_until": date(2022, 12, 31), "value": 1000, "source": "示例市公告",
         "confidence": "H"},
    ])
    yield tmp_path / "demo_city.yaml"
    params.load_region.cache_clear()


def test_a_date_in_a_gap_names_the_date_the_last_figure_and_the_file(gap_region):
    with pytest.raises(ParameterMissing) as err:
        assess({"region": "demo_city", "date": "2021-06-01", "members": [{}]})
    message = str(err.value)
    assert "2021-06-01" in message and "最后一个数值是 900 元" in message and "2020-12-31" in message
    assert str(gap_region) in message and "2022-01-01" in message and "不会沿用" in message
    assert assess({"region": "demo_city", "date": "2020-12-31", "members": [{}]})["standard"] == 900
    assert assess({"region": "demo_city", "date": "2022-01-01", "members": [{}]})["standard"] == 1000


def test_params_stale_reports_the_gap(gap_region, capsys):
    rows = [r for r in inventory.inventory(date(2022, 6, 1)) if r.key.startswith("demo_city.")]
    gaps = [r for r in rows if r.key == "demo_city.dibao_standard.gap"]
    assert len(gaps) == 1 and gaps[0].effective_from == "2021-01-01" and gaps[0].until == "2021-12-31"
    assert "空档" in gaps[0].stale and "2021年标准未找到" in gaps[0].stale
    assert main(["policy", "params", "--stale", "--today", "2022-06-01"]) == 0
    assert "空档：2021-01-01 至 2021-12-31" in capsys.readouterr().out


@pytest.mark.parametrize(("entries", "message"), [
    ([{"effective_from": date(2020, 1, 1), "value": 900, "source": "s", "confidence": "H"}], "缺少 on_file_until"),
    ([{"effective_from": date(2020, 1, 1), "on_file_until": date(2019, 1, 1), "value": 900, "source": "s",
       "confidence": "H"}], "早于 effective_from"),
    ([{"effective_from": date(2020, 1, 1), "on_file_until": date(2020, 6, 30), "value": 900, "source": "s",
       "confidence": "H"},
      {"effective_from": date(2021, 1, 1), "on_file_until": date(2021, 6, 30), "value": 950, "source": "s",
       "confidence": "H"}], "gap_after"),
    ([{"effective_from": date(2020, 1, 1), "on_file_until": date(2020, 12, 31), "value": 900, "source": "s",
       "confidence": "H"},
      {"effective_from": date(2020, 7, 1), "on_file_until": date(2021, 6, 30), "value": 950, "source": "s",
       "confidence": "H"}], "重叠"),
    ([{"effective_from": date(2020, 1, 1), "on_file_until": date(2020, 12, 31), "value": 900, "source": "s",
       "confidence": "M"}], "shown_as"),
    ([{"effective_from": date(2020, 1, 1), "on_file_until": date(2020, 12, 31), "value": 900, "source": "s",
       "confidence": "X"}], "H、M、L"),
])
def test_a_series_without_its_history_is_refused(tmp_path, monkeypatch, entries, message):
    _region(tmp_path, monkeypatch, entries)
    try:
        with pytest.raises(params.ParamsFileError, match=message):
            params.standard_on(date(2020, 3, 1), "demo_city")
    finally:
        params.load_region.cache_clear()

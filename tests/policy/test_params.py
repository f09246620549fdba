"""Parameters are data: every value dated and sourced; a new region is a new YAML file."""

from datetime import date

import pytest
import yaml

from toolkit.errors import InputError, ParameterMissing
from toolkit.policy import assess, params


def test_every_entry_has_date_source_confidence():
    region = params.load_region("shanghai")
    for series in region.series.values():
        assert series.basis, series.key
        for entry in series.entries:
            assert isinstance(entry["effective_from"], date)
            assert entry["source"] and entry["confidence"] in {"H", "M", "L"}


def test_new_region_is_a_new_yaml_file(tmp_path, monkeypatch):
    (tmp_path / "demo_city.yaml").write_text(yaml.safe_dump({
        "region": "demo_city", "name": "示例市",
        "dibao_standard": {"title": "低保标准", "basis": "示例市低保办法第五条", "entries": [
            {"effective_from": date(2020, 1, 1), "on_file_until": date(2020, 12, 31), "value": 900, "source": "示例市公告", "confidence": "H"}]},
    }, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(params, "PARAMS_DIR", tmp_path)
    params.load_region.cache_clear()
    try:
        result = assess({"region": "demo_city", "date": "2020-06-01", "members": [{"income": {"wage": 500}}]})
        assert result["standard"] == 900 and result["monthly_benefit"] == 400.0
        assert result["basis"][0] == "示例市低保办法第五条"
        with pytest.raises(ParameterMissing, match="demo_city.yaml"):
            assess({"region": "demo_city", "date": "2019-06-01", "members": [{}]})
    finally:
        params.load_region.cache_clear()


def test_unknown_region_lists_the_ones_on_file():
    with pytest.raises(InputError, match="shanghai"):
        params.load_region("atlantis")


def test_rural_standard_2008_not_on_file():
    assert params.standard_on(date(2012, 5, 1), area="rural").value == 430
    with pytest.raises(ParameterMissing, match="农村"):
        params.standard_on(date(2009, 5, 1), area="rural")

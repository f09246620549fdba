"""`policy assess` cites only what is in force on the date it assesses; each exclusion only within its window."""

from __future__ import annotations

import re
from datetime import date

import pytest

from toolkit.errors import InputError
from toolkit.policy import assess

REGULATION_FROM, RULES_2021_FROM = date(2019, 5, 1), date(2021, 7, 1)


DAYS = ["2015-06-01", "2018-06-01", "2019-04-30", "2019-05-01", "2020-06-01", "2021-06-30", "2021-07-01",
        "2025-12-31", "2026-01-01", "2026-09-01"]


# property limits are on file from 2019-05-01 (before: an error, tested in test_params)
@pytest.mark.parametrize(("day", "assets"), [(d, None) for d in DAYS]
                         + [(d, {"deposits": 100}) for d in DAYS if d >= "2019-05-01"])
def test_assess_cites_only_what_is_in_force(day, assets):
    household = {"date": day, "members": [{"income": {"wage": 300}}, {"age": 70}]}
    if assets is not None:
        household["assets"] = assets
    result = assess(household)
    on = date.fromisoformat(day)
    text = "；".join(result["basis"] + result["notes"])
    assert ("上海市社会救助条例" in text) == (on >= REGULATION_FROM)
    assert ("2021〕57号" in text) == (on >= RULES_2021_FROM)
    assert ("2012〕220号" in text) == (on < RULES_2021_FROM)
    assert not re.search(r"220号）(?!第)", text) and "（家庭收入认定）" not in text
    assert all(result["basis"])


def test_before_2021_no_income_article_is_invented():
    result = assess({"date": "2018-06-01", "members": [{"income": {"wage": 300}}]})
    assert any("家庭收入认定条款未在档" in note for note in result["notes"])
    assert result["basis"][0] == "上海市城乡低保标准调整（2018年）"     # the figure's own source, not the 条例


@pytest.mark.parametrize(("day", "key", "allowed"), [
    ("2021-06-30", "scholarship", False), ("2021-07-01", "scholarship", True), ("2026-09-01", "scholarship", True),
    ("2021-06-30", "basic_pension_central", False), ("2021-07-01", "basic_pension_central", True),
    ("2025-12-31", "basic_pension_central", True), ("2026-01-01", "basic_pension_central", False),
    ("2019-05-01", "special_care", False), ("2022-01-01", "assistance", True),
])
def test_each_exclusion_only_within_its_window(day, key, allowed):
    household = {"date": day, "members": [{"income": {"wage": 300, key: 200}}]}
    if allowed:
        assert assess(household)["excluded_income"] == 200.0
    else:
        with pytest.raises(InputError, match=f"members\\[0\\].income.{key}") as err:
            assess(household)
        assert day in str(err.value) and "不会按其他时期的规定推算" in str(err.value)

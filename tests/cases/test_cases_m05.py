"""m05: a 街镇 clerk checking the ledger with pandas finds exactly the rows the answers name."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest

from toolkit.cases import m05_funds as m05
from case_tools import answers

SEEDS = range(60)


@pytest.fixture(scope="module")
def cases():
    return [m05.generate(s) for s in SEEDS]


def clerk_check(case) -> dict:
    """The check done the way the case suggests: pandas on roster and ledger."""
    roster = pd.DataFrame(case.data["roster"]).set_index("户号")
    ledger = pd.DataFrame(case.data["ledger"])
    ledger["金额"] = ledger["金额"].map(lambda x: Decimal(str(x)))
    found = {"deceased": set(), "stopped": set(), "duplicate": set(), "wrong": set()}
    recover, top_up = Decimal(0), Decimal(0)
    duplicated = ledger.duplicated(subset=["户号", "发放月份"], keep="first")
    for index, row in ledger.iterrows():
        household = roster.loc[row["户号"]]
        note = household["备注"]
        approved = Decimal(str(household["核定月低保金"]))
        death = re.search(r"于(\d{4})年(\d{1,2})月\d{1,2}日死亡", note)
        stop = re.search(r"自(\d{4})年(\d{1,2})月起停发", note)
        month = row["发放月份"]
        if death and month > f"{int(death.group(1)):04d}-{int(death.group(2)):02d}":
            found["deceased"].add(row["流水号"])
            recover += row["金额"]
        elif stop and month >= f"{int(stop.group(1)):04d}-{int(stop.group(2)):02d}":
            found["stopped"].add(row["流水号"])
            recover += row["金额"]
        elif duplicated[index]:
            found["duplicate"].add(row["流水号"])
            recover += row["金额"]
        elif row["金额"] != approved:
            found["wrong"].add(row["流水号"])
            if row["金额"] > approved:
                recover += row["金额"] - approved
            else:
                top_up += approved - row["金额"]
    return {"q1": found["deceased"], "q2": found["duplicate"], "q3": found["wrong"], "q4": found["stopped"],
            "q5": recover, "q6": top_up}


def test_answers_match_an_independent_pandas_check(cases):
    for case in cases:
        assert answers(case) == clerk_check(case), case.seed


def test_roster_amounts_are_benefits_below_the_standard_times_size(cases):
    from datetime import date

    from toolkit.policy import standard_on
    for case in cases:
        month = date.fromisoformat(case.data["ledger"][0]["发放月份"] + "-01")
        standard = standard_on(month).value
        for row in case.data["roster"]:
            assert 0 < Decimal(str(row["核定月低保金"])) <= standard * row["保障人数"]


def test_top_up_is_sometimes_due_and_sometimes_not(cases):
    tops = {answers(c)["q6"] == 0 for c in cases}
    assert tops == {True, False}

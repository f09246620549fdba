"""街镇 are listed in 行政区划代码 order when codes exist (else by name, coded ones first)."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.inspections.store.unit_order import sort_frame, sort_key

CODES = {("青浦区", "夏阳街道"): "310118001000", ("青浦区", "盈浦街道"): "310118002000",
         ("青浦区", "香花桥街道"): "310118003000", ("青浦区", "朱家角镇"): "310118102000",
         ("青浦区", "白鹤镇"): "", ("松江区", "岳阳街道"): "310117001000"}

CASES = [
    # (pairs given, expected order)
    ([("青浦区", "朱家角镇"), ("青浦区", "夏阳街道"), ("青浦区", "香花桥街道"), ("青浦区", "盈浦街道")],
     ["夏阳街道", "盈浦街道", "香花桥街道", "朱家角镇"]),
    ([("青浦区", "白鹤镇"), ("青浦区", "朱家角镇")], ["朱家角镇", "白鹤镇"]),             # without a code: last
    ([("青浦区", "甲镇"), ("青浦区", "乙镇")], sorted(["甲镇", "乙镇"])),               # no codes: by name
    ([("青浦区", "夏阳街道"), ("松江区", "岳阳街道")], ["岳阳街道", "夏阳街道"]),        # district first
]


@pytest.mark.parametrize("pairs,expected", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_units_in_division_code_order(pairs, expected):
    assert [u for _d, u in sorted(pairs, key=sort_key(CODES))] == expected
    frame = pd.DataFrame(pairs, columns=["district", "unit"])
    assert list(sort_frame(frame, CODES)["unit"]) == expected


def test_status_lists_units_in_code_order():
    from toolkit.inspections.rectification.rectification_status import PROBLEM_COLUMNS, unit_summary

    rows = [{**{c: None for c in PROBLEM_COLUMNS}, "区": "青浦区", "街镇": u, "完成情况": "未报送", "状态": "未报送"}
            for u in ("朱家角镇", "香花桥街道", "夏阳街道")]
    summary = unit_summary(pd.DataFrame(rows, columns=PROBLEM_COLUMNS), CODES)
    assert list(summary["街镇"]) == ["夏阳街道", "香花桥街道", "朱家角镇", "全区合计"]

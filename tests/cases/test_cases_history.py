"""Cases never show a false standards history: set only on days whose standard is H or M, tables of
consecutive H/M figures, M figures shown as what they are (据…推算，以本市公布的标准为准)."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from toolkit.cases import case_module
from toolkit.cases import m05_funds
from toolkit.cases.standards import standards_around, teachable
from toolkit.policy import standard_on

SEEDS = range(1500)
TABLE_ROW = re.compile(r"^\| (\d{4})年(\d{1,2})月(\d{1,2})日 \| ([\d,]+)(（[^|]*）)? \|$", re.M)


def table_rows(markdown: str) -> list[tuple[date, int, str]]:
    return [(date(int(y), int(m), int(d)), int(v.replace(",", "")), note or "")
            for y, m, d, v, note in TABLE_ROW.findall(markdown)]


@pytest.mark.parametrize("assignment", ["m01_means_test", "m06_special"])
def test_cases_are_set_on_days_whose_standard_may_be_taught(assignment):
    module = case_module(assignment)
    days = set()
    for seed in SEEDS:
        case = module.generate(seed)
        day = date.fromisoformat(case.data["evaluation_date"])
        days.add(day)
        standard = teachable(day)
        assert standard is not None, (seed, day)
        rows = table_rows(case.intro_markdown)
        assert rows and any(r[0] == standard.effective_from and r[1] == standard.value for r in rows), seed
        for (start, value, note), (following, _, _) in zip(rows, rows[1:]):
            shown = standard_on(start)
            assert shown.value == value and shown.confidence in ("H", "M"), (seed, start)
            assert shown.on_file_until + timedelta(days=1) == following, (seed, "not consecutive")
        for start, value, note in rows:
            shown = standard_on(start)
            assert shown.confidence in ("H", "M")
            assert bool(note) == (shown.confidence == "M"), (seed, start)
            if note:
                assert note.startswith("（据") and note.endswith("以本市公布的标准为准）")
    # L years (2013–2017, 2023-07 to 2024-06) and gaps never turn up
    assert not any(date(2023, 7, 1) <= d <= date(2024, 6, 30) for d in days)
    assert min(days) >= date(2018, 4, 1)


def test_m01_tables_never_show_the_2012_standard_running_into_2018():
    for seed in SEEDS:
        case = case_module("m01_means_test").generate(seed)
        assert "570" not in case.intro_markdown.split("本市低保标准调整情况")[-1]


def test_m05_ledgers_fall_on_one_teachable_standard():
    for seed in SEEDS:
        months = m05_funds._months(random.Random(seed))
        assert teachable(months[0]) is not None and teachable(months[0]) == teachable(months[-1])


def test_standards_around_skips_an_L_neighbour():
    # 2024-07-01 follows the 2023 L figure: the table starts at 2024 and shows no 1,510
    shown = [p.value for p in standards_around(date(2024, 8, 1))]
    assert 1510 not in shown and shown[0] == 1595
    with pytest.raises(Exception, match="不能用于培训案例"):
        standards_around(date(2023, 8, 1))


def test_an_M_standard_is_taught_as_derived_never_as_a_notices_number():
    from toolkit.policy.params import load_region

    raw_sources = [e["source"] for e in load_region()["dibao_standard"].entries if e["confidence"] == "M"]
    seen_m = 0
    for seed in range(600):
        for assignment in ("m01_means_test", "m06_special", "m05_funds"):
            case = case_module(assignment).generate(seed)
            texts = [case.intro_markdown] + [q.basis for q in case.questions] + [q.explanation for q in case.questions]
            assert not any(source in text for source in raw_sources for text in texts)   # no notice's own wording
            day = date.fromisoformat(case.data["evaluation_date"]) if "evaluation_date" in case.data else \
                date.fromisoformat(case.data["ledger"][0]["发放月份"] + "-01")
            if standard_on(day).confidence == "M":
                seen_m += 1
                assert "以本市公布的标准为准" in case.intro_markdown, (assignment, seed)
                if assignment == "m01_means_test":
                    q4 = next(q for q in case.questions if q.id == "q4")
                    assert "以本市公布的标准为准" in q4.basis and "以本市公布的标准为准" in q4.explanation
    assert seen_m > 100

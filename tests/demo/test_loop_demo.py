"""``jiuzhu demo`` stage 五 on the small city: the whole loop, with the training items pre-filled.

Round 2018's 整改清单 (real kernels) → sample returns → 通报 → 培训计划 with release lists for one
district's invented trainees → their 培训台账 pre-fills that district's 2019 forms (TS-24 and TS-25,
recorded as proposals) → 2019's 通报 with 反弹; every output the stage reports exists.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow     # kernels write the 整改清单 and the two 通报


@pytest.fixture(scope="module")
def loop_run(small_store, tmp_path_factory):
    from toolkit.demo.inspections_demo import demo_store
    from toolkit.demo.loop_demo import run_demo_stage

    out = tmp_path_factory.mktemp("demo")
    store = demo_store(out)
    store.parent.mkdir(parents=True)
    shutil.copy(small_store, store)
    lines: list[str] = []
    written = run_demo_stage(out, lines.append)
    return out, store, "\n".join(lines), written


def test_the_stage_prefills_the_2019_training_items_from_a_ledger_of_the_citys_own_towns(loop_run):
    from openpyxl import load_workbook

    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import FIRST_ROW, REMARK_COL, RESULT_COL
    from toolkit.inspections.store.rounds import load_context
    from toolkit.reports.compose.training_figures import proposal_outcomes
    from toolkit.demo.loop_demo import FORMS_2019

    out, store, printed, written = loop_run
    assert "5. 学员完成练习（模拟），培训台账 →" in printed
    assert "由检查组填写" not in printed           # the ledger tells staff from cadres: both items proposed
    ctx = load_context(st.open_store(store, create=False), "2019")
    checklist = ctx.checklists["town_street"]
    ids = [i.id for i in checklist.items]
    forms = sorted((out / "loop" / FORMS_2019).glob("*.xlsx"))
    district = next(iter({u.district for u in ctx.units.values() if u.name in forms[0].name}))
    assert len(forms) == sum(u.district == district for u in ctx.units.values())
    values = {}
    for form in forms:
        ws = load_workbook(form)[checklist.title[:31]]
        for item in ("TS-24", "TS-25"):
            value = ws.cell(FIRST_ROW + ids.index(item), RESULT_COL).value
            note = ws.cell(FIRST_ROW + ids.index(item), REMARK_COL).value
            assert value in checklist.item(item).choices() and "来源：培训台账】" in note, (form.name, item, note)
            values.setdefault(item, set()).add(value)
    assert len(values["TS-24"]) == 2 or len(values["TS-25"]) >= 2     # the towns differ: not one answer for all
    outcomes = proposal_outcomes(store, "2019")
    assert set(outcomes["检查项"]) == {"TS-24", "TS-25"} and set(outcomes["区"]) == {district}
    assert len(outcomes) == 2 * len(forms) and set(outcomes["处理"]) <= {"采纳", "修改"}   # 2019 was imported
    assert re.search(r"建议值 \d+ 项，与检查组已导入的结果相比：采纳 \d+ 项，修改 \d+ 项", printed)


def test_the_loop_shows_a_recurrence_and_every_output_it_names_exists(loop_run):
    out, store, printed, written = loop_run
    found = re.search(r"反弹问题 (\d+) 处", printed)
    assert found and int(found.group(1)) >= 1, printed[-2000:]
    order = ["1. 轮次 2018 的整改清单", "2. 各街镇填报整改情况", "3. 整改情况通报", "4. 培训计划", "5. 学员完成练习",
             "6. 轮次 2019 的整改情况通报"]
    assert [printed.index(step) for step in order] == sorted(printed.index(step) for step in order)
    assert written and all(Path(p).exists() for p in written)
    named = [Path(m) for m in re.findall(r"→ (/\S+)", printed)]
    assert len(named) >= 4 and all(p.exists() for p in named), named
    names = {Path(p).name for p in written}
    assert {"培训计划.xlsx", "培训台账.xlsx", "示例花名册（按问题培训）.xlsx"} <= names
    assert any(Path(p).suffix == ".csv" for p in written)             # per-exercise release lists


def test_the_stage_ends_with_the_district_report_of_2019_marking_recurrences_and_citing_training(loop_run):
    from docx import Document

    from toolkit.inspections.rectification.rectification_status import recurrences
    from toolkit.demo.loop_demo import REPORTS_2019

    out, store, printed, written = loop_run
    assert re.search(r"7\. \S+区 轮次 2019 的督导检查报告：与轮次 2018 比较标出反弹问题 \d+ 处", printed)
    district = re.search(r"7\. (\S+区) 轮次 2019", printed).group(1)
    folder = out / "loop" / REPORTS_2019 / "2019" / district
    expected = len(recurrences(store, "2019", "2018", district))
    assert expected and f"反弹问题 {expected} 处" in printed
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "（反弹）" in html and "宣传与培训" in html and "采纳" in html
    text = "\n".join(p.text for p in Document(folder / "报告.docx").paragraphs)
    assert "宣传与培训" in text
    assert folder / "整改清单.xlsx" in written


def test_every_document_of_the_loop_prints_conformant(loop_run):
    """What the stage writes (the 整改清单 of every 街镇, both 通报 with their annexes, the forms
    with the training items, the 培训计划 roll-up and each 街镇's plan, the 培训台账, the 2019
    report) printed by LibreOffice and measured with tools/print_conformance.py's own list."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import print_conformance

    out, _store, _printed, _written = loop_run
    results = print_conformance.measure(out / "loop")
    names = [r.document for r in results]
    for wanted in ("培训计划.xlsx", "培训台账.xlsx", "整改情况通报/全市/报告.docx", "整改情况.xlsx", "检查表.xlsx",
                   "培训计划（各街镇）/", "整改清单（"):
        assert any(wanted in n for n in names), wanted
    town_plans = [r for r in results if "培训计划（各街镇）" in r.document]
    rollup = next(r for r in results if r.document == "培训计划.xlsx")
    assert rollup.pages <= 3 and all(r.pages <= 6 for r in town_plans), [(r.document, r.pages) for r in town_plans]
    notices = [r for r in results if "整改情况通报" in r.document and r.document.endswith(".docx")]
    assert len(notices) == 2 and all(r.body_pages <= 4 for r in notices)
    failed = {r.document: r.problems for r in results if not r.ok}
    assert not failed, failed

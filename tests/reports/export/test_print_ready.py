"""Every workbook the toolkit writes prints well: A4, one page wide, landscape when wide,
header row repeated, margins, page numbers, and rows tall enough for their wrapped text.

Writers covered: inspection forms, the plan, the 整改清单 (report workbooks), the import error
list, the trainee roster; the 培训台账 is checked in tests/training/analytics/test_report.py.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from toolkit.sheets import print_problems


def _assert_print_ready(path, skip=()):
    book = load_workbook(path)
    checked = 0
    for ws in book.worksheets:
        if ws.title in skip:
            continue
        assert print_problems(ws) == [], (path.name, ws.title, print_problems(ws))
        assert ws.oddFooter.center.text and "&P" in ws.oddFooter.center.text
        checked += 1
    assert checked
    return book


def test_forms_are_print_ready_with_prompts_and_tall_enough_rows(small_store, tmp_path):
    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.commands import write_forms
    from toolkit.inspections.store.rounds import load_context

    ctx = load_context(st.open_store(small_store), "2019")
    path = write_forms(small_store, "2019", tmp_path, districts=["东湖区"])[0]
    book = _assert_print_ready(path)
    items = book[next(c.title for c in ctx.checklists.values() if c.kind == "unit")[:31]]
    assert items.page_setup.orientation == "landscape" and items.print_title_rows == "$3:$3"
    tall = [r for r in range(4, items.max_row + 1) if (items.row_dimensions[r].height or 15) > 15]
    assert len(tall) > items.max_row // 2  # long 检查内容 / 依据 text wraps, and its row shows it
    cases = book[next(c.title for c in ctx.checklists.values() if c.kind == "case_file")[:31]]
    assert (cases.row_dimensions[3].height or 15) >= 45  # the CF-01 … headers shown in full
    # an input prompt on every fillable (unlocked) cell
    for ws in book.worksheets:
        prompted = set()
        for dv in ws.data_validations.dataValidation:
            if dv.showInputMessage and dv.prompt:
                for rng in dv.sqref.ranges:
                    prompted |= {(r, c) for r in range(rng.min_row, rng.max_row + 1)
                                 for c in range(rng.min_col, rng.max_col + 1)}
        unlocked = [(c.row, c.column) for row in ws.iter_rows() for c in row
                    if c.protection is not None and c.protection.locked is False]
        missing = [xy for xy in unlocked if xy not in prompted]
        assert not missing, (ws.title, missing[:5])


def test_plan_workbook_is_print_ready(tmp_path):
    from pathlib import Path

    from toolkit.checklists import load_checklists
    from toolkit.inspections.store import store as st
    from toolkit.inspections.plan.plan import make_plan
    from toolkit.demo.sample_data import build_city, write_city

    engine = st.open_store(tmp_path / "s.sqlite")
    units, households = build_city(3, ["东湖区", "云岭区", "梅溪区"], (2, 3), 300)
    write_city(engine, units, households)
    checklists = load_checklists()
    plan = make_plan(engine, "2030", checklists, seed=2, out_dir=tmp_path, is_sample=True)
    book = _assert_print_ready(plan.path)
    assert book["抽样名单"].page_setup.orientation == "landscape"
    assert book["抽样名单"].print_title_rows == "$2:$2"


def test_rectification_workbook_is_print_ready_with_columns_to_fill(tmp_path):
    from toolkit.inspections.rectification.rectification import FILL_COLUMNS, fill_inputs
    from toolkit.reports.export.document import ReportDocument

    frame = pd.DataFrame({"序号": [1, 2], "问题": ["抽查 50 份档案中 2 份公示不足 7 天" * 3, "3 个街镇未见公示照片记录"],
                          **{c: [None, None] for c in FILL_COLUMNS}})
    doc = ReportDocument("测试", sample=True)
    doc.sheet("整改清单.xlsx", "整改清单", frame, lines=["东湖区整改清单（2019）", "整改期限：……"],
              inputs=fill_inputs())
    (path,) = doc.save(tmp_path, "xlsx")
    ws = _assert_print_ready(path)["整改清单"]
    assert ws.print_title_rows == "$4:$4"
    prompts = {dv.promptTitle: dv for dv in ws.data_validations.dataValidation}
    assert set(prompts) == set(FILL_COLUMNS)
    assert prompts["完成情况"].formula1 == '"已整改,整改中,无法整改"'
    assert prompts["完成日期"].type == "date"


def test_import_error_list_is_print_ready(tmp_path):
    from toolkit.inspections.intake.importer import write_error_report
    from toolkit.inspections.intake.validation import Location, Problem

    problems = [Problem(Location("东湖区_甲街道_检查表.xlsx", "基本信息", 7, "B", "检查日期"), "2030-01-01",
                        "晚于今天（2019-12-20），日期不能在将来，请核对年份和月份" * 3)]
    ws = _assert_print_ready(write_error_report(problems, tmp_path, "2019")).active
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    assert ws.row_dimensions[2].height > 15                  # the long message wraps and shows


def test_roster_template_is_print_ready(tmp_path):
    from toolkit.training.course.roster import Roster, Trainee, write_roster_xlsx

    roster = Roster((Trainee("dh001", "王伟", "东湖街道", "湖滨社区"),), sample=True)
    ws = _assert_print_ready(write_roster_xlsx(roster, tmp_path / "花名册.xlsx")).active
    assert ws.print_title_rows == "$2:$2"

"""Every workbook the toolkit writes prints well: A4, one page wide, landscape when wide,
header row repeated, margins, page numbers, and rows tall enough for their wrapped text.

Writers covered: inspection forms, the plan, the 整改清单 (report workbooks), the import error
list, the trainee roster; the 培训台账 is checked in tests/training/analytics/test_report.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
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


def test_rectification_workbook_is_print_ready_protected_with_codes_hidden(tmp_path):
    import datetime as dt

    from toolkit.inspections.rectification.rectification import FILL_COLUMNS, build_rectification, fill_sheet
    from toolkit.reports.export.document import ReportDocument
    from toolkit.sheets import printed_pt

    findings = pd.DataFrame([
        {"district": "东湖区", "unit": unit, "item_id": item, "severity": severity, "item_text": "公示不足 7 天" * 4,
         "basis": "《最低生活保障审核确认办法》第二十条", "remarks": "", "case_ids": ["A08-0182", "A08-0198"]}
        for unit, item, severity in [("乙街道", "CF-06", "一般"), ("甲街道", "CF-06", "一般"),
                                     ("甲街道", "TS-03", "严重"), ("乙街道", "TS-09", "轻微")]])
    plan = build_rectification(findings, dt.date(2019, 12, 2), {"严重": 10, "一般": 20, "轻微": 30}, "2019")
    assert list(zip(plan["街镇"], plan["序号"], plan["严重程度"])) == [
        ("乙街道", 1, "一般"), ("乙街道", 2, "轻微"), ("甲街道", 1, "严重"), ("甲街道", 2, "一般")]
    doc = ReportDocument("测试", sample=True)
    doc.sheet("整改清单.xlsx", "整改清单", **fill_sheet(plan), lines=["东湖区整改清单（2019）", "整改期限：……"])
    (path,) = doc.save(tmp_path, "xlsx")
    ws = _assert_print_ready(path)["整改清单"]
    assert ws.print_title_rows == "$4:$4" and printed_pt(ws) >= 9
    header = {c.value: c.column_letter for c in ws[4]}
    hidden = {name for name, letter in header.items() if ws.column_dimensions[letter].hidden}
    assert hidden == {"问题编号", "涉及档案编号", "检查项", "依据", "责任单位", "整改期限（工作日）", "区", "标记",
                      "日期已按法定节假日核定"}
    problem = ws[f"{header['问题']}5"].value
    assert "涉及档案：A08-0182、A08-0198" in problem and "依据：《最低生活保障审核确认办法》" in problem
    # protected: a 街镇 can fill its columns, not overwrite the problem or the deadline
    assert ws.protection.sheet
    for name, letter in header.items():
        assert ws[f"{letter}5"].protection.locked is (name not in FILL_COLUMNS), name
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


def test_a_sheet_too_wide_narrows_its_text_columns_never_its_dates_or_numbers(tmp_path):
    """Narrowed to fit the page, a date or number column would print as ###: only text columns wrap."""
    import datetime as dt

    from toolkit.reports.export.export_xlsx import Sheet, write_workbook
    from toolkit.sheets import MIN_TEXT_WIDTH, column_width, text_width

    long = "抽查 50 份档案中 2 份公示不足 7 天，公示照片未存档" * 2
    frame = pd.DataFrame({**{f"说明{n}": [long] * 3 for n in range(8)},
                          "完成时限": [dt.date(2019, 12, 10)] * 3, "逾期工作日": [12345678901234] * 3})
    path = write_workbook(tmp_path / "宽表.xlsx", [Sheet("宽表", frame, widths={"完成时限": 15, "逾期工作日": 16})])
    ws = _assert_print_ready(path)["宽表"]
    widths = {c.value: column_width(ws, c.column) for c in ws[1]}
    assert widths["说明0"] == min(widths[f"说明{n}"] for n in range(8)) >= MIN_TEXT_WIDTH
    assert widths["说明0"] < text_width(long)                          # the text columns were narrowed
    assert widths["完成时限"] == 15 and widths["逾期工作日"] == 16          # the date and the number were not


@pytest.mark.parametrize("districts, filled", [(["东湖区"], True), (["东湖区", "西山区"], False)])
def test_a_list_of_one_district_is_filled_and_the_list_of_several_is_read(tmp_path, districts, filled):
    """A district's 整改清单 (and each 街镇's) is filled in: its fill-in columns shown, the 依据 folded
    into the 问题 cell.  The city's list of several districts (an annex of the city summary) is read:
    the fill-in columns hidden, 依据 in a column of its own beside the problem, nothing left out."""
    import datetime as dt

    from toolkit.inspections.rectification.rectification import FILL_COLUMNS, build_rectification, fill_sheet
    from toolkit.reports.export.document import ReportDocument

    findings = pd.DataFrame([
        {"district": district, "unit": "甲街道", "item_id": "CF-06", "severity": "一般", "item_text": "公示不足 7 天",
         "basis": f"{district}依据第二十条", "remarks": "", "case_ids": ["A08-0182"]} for district in districts])
    plan = build_rectification(findings, dt.date(2019, 12, 2), {"一般": 20}, "2019")
    doc = ReportDocument("测试")
    doc.sheet("整改清单.xlsx", "整改清单", **fill_sheet(plan), lines=["整改清单"])
    (path,) = doc.save(tmp_path, "xlsx")
    ws = _assert_print_ready(path)["整改清单"]
    header = {c.value: c.column_letter for c in ws[2]}
    shown = {name for name, letter in header.items() if not ws.column_dimensions[letter].hidden}
    assert (set(FILL_COLUMNS) <= shown) is filled and ("依据" in shown) is not filled
    for row, district in enumerate(districts, start=3):
        problem = ws[f"{header['问题']}{row}"].value
        assert "涉及档案：A08-0182" in problem and ws[f"{header['依据']}{row}"].value == f"{district}依据第二十条"
        assert (f"依据：{district}依据第二十条" in problem) is filled


def test_unprinted_columns_stay_on_screen_and_out_of_the_print_area(tmp_path):
    """A data sheet's last columns can be left out of print (the print area ends before them): shown
    on screen, not counted in the page's width or the rows' heights."""
    from toolkit.reports.export.export_xlsx import Sheet, write_workbook
    from toolkit.sheets import is_hidden, printed_mm, width_mm

    long = "对照问题逐份补正档案，修订经办流程并组织学习" * 3
    frame = pd.DataFrame({"问题": ["公示不足 7 天"] * 2, "状态": ["逾期未完成"] * 2, "整改措施": [long] * 2})
    path = write_workbook(tmp_path / "明细.xlsx", [Sheet("明细", frame, widths={"问题": 40, "状态": 12, "整改措施": 30},
                                                      unprinted=("整改措施",))])
    ws = _assert_print_ready(path)["明细"]
    assert ws.print_area.endswith("$A$1:$B$3") and not ws.column_dimensions["C"].hidden
    assert is_hidden(ws, 3) and printed_mm(ws) == width_mm(52)
    assert ws.row_dimensions[2].height is None                      # one line: the long text is not printed
    with pytest.raises(ValueError, match="must be its last"):
        write_workbook(tmp_path / "乱序.xlsx", [Sheet("明细", frame, unprinted=("问题",))])


@pytest.mark.parametrize("rows, widened", [(10, False), (200, True)])
def test_a_long_table_widens_its_wrapping_text_to_fill_the_page_at_nine_points(tmp_path, rows, widened):
    """A long list (200 rows) prints at the smallest readable size, its problem in fewer lines (the
    page's width shared by the wrapping columns); a short one keeps its widths."""
    from toolkit.reports.export.export_xlsx import Sheet, write_workbook
    from toolkit.sheets import MIN_PRINT_PT, column_width, lines_needed, printed_pt

    problem = "抽查 41 份档案中 5 份受理、审核、审批未由不同人员办理，公示照片未存档"       # 67 wide
    frame = pd.DataFrame({"区": ["东湖区"] * rows, "问题": [problem] * rows, "措施": ["修订相关制度" * 4] * rows})
    path = write_workbook(tmp_path / "清单.xlsx", [Sheet("清单", frame, widths={"问题": 30, "措施": 20})])
    ws = _assert_print_ready(path)["清单"]
    assert (lines_needed(problem, column_width(ws, 2)) < lines_needed(problem, 30)) is widened
    assert (column_width(ws, 3) > 20) is widened and printed_pt(ws) >= MIN_PRINT_PT

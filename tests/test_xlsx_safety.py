"""Every xlsx the toolkit writes holds values, never formulas: a formula-looking text goes in, a plain
string comes out (``toolkit.cells.safe_cell``).

The writers are found by scanning the package (a module that creates an openpyxl ``Workbook``, loads
one and saves it, or uses pandas' ``to_excel`` / ``ExcelWriter``); ``WRITERS`` must have a case for each, so a new writer cannot be forgotten.
"""

from __future__ import annotations

import ast
import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.cells import FORMULA_TRIGGERS, safe_cell

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "toolkit"

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =cmd|' /C calc'!A0",
    "＝1+1",
    "备注\x01含控制字符",
]
FORMULA = HOSTILE[0]


def _checklist_dir() -> Path:
    return ROOT / "checklists"


# --------------------------------------------------------------------------- discovery

def _writes_xlsx(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and (node.module or "").split(".")[0] == "openpyxl" for alias in node.names}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    pandas_writes = bool(attributes & {"to_excel", "ExcelWriter"})
    return "Workbook" in names or ("load_workbook" in names and "save" in attributes) or pandas_writes


def discovered_writers() -> set[str]:
    return {".".join(path.relative_to(ROOT).with_suffix("").parts)
            for path in PACKAGE.rglob("*.py") if _writes_xlsx(path)}


# --------------------------------------------------------------------------- one case per writer

def _error_list(tmp_path: Path) -> list[Path]:
    from toolkit.inspections.intake.importer import write_error_report
    from toolkit.inspections.intake.validation import Location, Problem

    problems = [Problem(Location(value, value, 4, "B", value), value, value) for value in HOSTILE]
    return [write_error_report(problems, tmp_path, "2019")]


def _plan(tmp_path: Path) -> list[Path]:
    from toolkit.inspections.plan.plan import Plan, write_plan_xlsx

    sample = pd.DataFrame({"district": [FORMULA, FORMULA], "unit": ["+街道", "@镇"],
                           "case_id": ["-A01-0001", "=1+2"], "stratum": ["-层", "@层"]})
    plan = Plan(round_id="=2019", seed=1, assignments=[(FORMULA, "+B区"), ("+B区", FORMULA)], sample=sample)
    households = sample[["district", "unit"]]
    return [write_plan_xlsx(plan, tmp_path / "plan.xlsx", households, False)]


@pytest.fixture(scope="module")
def hostile_round(tmp_path_factory):
    """A small fictional round whose 街镇 name and submitted values are formula-looking."""
    from dataclasses import replace

    from toolkit.checklists import load_checklists
    from toolkit.inspections.store import store as st
    from toolkit.inspections.plan.plan import make_plan
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import build_city, make_submission, write_city

    base = tmp_path_factory.mktemp("round")
    engine = st.open_store(base / "store.sqlite")
    units, households = build_city(3, ["东湖区", "云岭区", "梅溪区"], (1, 1), 200)
    write_city(engine, units, households)
    make_plan(engine, "2019", load_checklists(_checklist_dir()), seed=1, is_sample=False)
    ctx = load_context(engine, "2019", today=date(2020, 1, 15))
    unit = sorted(ctx.units.values(), key=lambda u: u.name)[0]
    sub = make_submission(ctx, unit, households.set_index("case_id"), 0.8, 5)
    sub.inspectors = [FORMULA]
    sub.items = {key: (value, FORMULA) for key, (value, _remarks) in sub.items.items()}
    for row in sub.case_files:
        row.remarks = FORMULA
        row.head_name = "@张三"
    engine.dispose()
    return ctx, replace(unit, name=FORMULA), sub


def _forms(tmp_path: Path, hostile_round) -> list[Path]:
    from toolkit.files import save_workbook
    from toolkit.inspections.forms.forms import build_form, fill_form, fill_workbook

    ctx, hostile_unit, sub = hostile_round
    real_unit = ctx.units[(sub.district, sub.unit)]
    blank = save_workbook(build_form(ctx, hostile_unit), tmp_path / "blank.xlsx")
    filled = save_workbook(fill_workbook(build_form(ctx, real_unit), sub, ctx), tmp_path / "filled.xlsx")
    refilled = save_workbook(build_form(ctx, real_unit), tmp_path / "refilled.xlsx")
    fill_form(refilled, sub, ctx)
    return [blank, filled, refilled]


def _roster(tmp_path: Path) -> list[Path]:
    from toolkit.training.course.roster import Roster, Trainee, read_roster_xlsx, write_roster_xlsx

    trainees = tuple(Trainee(f"t{i:03d}", value, value, value, value, "") for i, value in enumerate(HOSTILE))
    written = write_roster_xlsx(Roster(trainees), tmp_path / "roster.xlsx")
    valid = tuple(Trainee(t.id, t.name, t.town, t.village, "村居干部", "") for t in trainees)   # 岗位 is from a list
    again = write_roster_xlsx(read_roster_xlsx(write_roster_xlsx(Roster(valid), tmp_path / "valid.xlsx")),
                              tmp_path / "roster2.xlsx")    # round trip
    return [written, again]


def _ledger(tmp_path: Path) -> list[Path]:
    from toolkit.training.analytics.analytics import TrainingStats
    from toolkit.training.analytics.ledger import write_ledger

    ledger = pd.DataFrame({"学员编号": ["t001", "张三"], "姓名": [FORMULA, ""], "街镇": ["+镇", "（未登记）"],
                           "村居": ["@村", "（未登记）"], "练习": ["m01", "m01"], "培训内容": [FORMULA, FORMULA],
                           "得分": [-1.5, 3.0], "备注": ["-", "=1+1"]})
    frame = pd.DataFrame({"街镇": [FORMULA], "完成率": [0.5]})
    stats = TrainingStats(ledger=ledger, towns=frame, villages=frame, questions=frame, rules=frame,
                          not_submitted=ledger, not_passed=ledger, pass_rate=0.6, sample=False,
                          generated_at=datetime(2020, 1, 1))
    return [write_ledger(stats, tmp_path / "培训台账.xlsx")]


def _report_export(tmp_path: Path) -> list[Path]:
    from toolkit.reports.export.export_xlsx import Sheet, write_workbook

    frame = pd.DataFrame({FORMULA: HOSTILE, "金额": [-12.5] * len(HOSTILE)})
    return [write_workbook(tmp_path / "整改清单.xlsx", [Sheet("整改清单", frame, [FORMULA, "+1"])])]


def _account_list(tmp_path: Path) -> list[Path]:
    from toolkit.hub.accounts import Account, write_account_list
    from toolkit.hub.layout import Course

    course = Course("quji", FORMULA, "", (), tmp_path / "course")
    accounts = [Account(f"t{i:03d}", "trainee", value, value, value, "", False) for i, value in enumerate(HOSTILE)]
    return [write_account_list(tmp_path / "账号清单.xlsx", course, accounts, "http://127.0.0.1:8000/")]


def _qingpu_register(tmp_path: Path) -> list[Path]:
    from toolkit.demo import qingpu
    from toolkit.inspections.register.templates import write_templates

    write_templates(tmp_path)
    return [qingpu.fill(tmp_path / "低保档案名册.xlsx", [["QP0001", qingpu.DISTRICT, "+街道", FORMULA, "@备注"]])]


WRITERS = {
    "toolkit.demo.qingpu": _qingpu_register,
    "toolkit.hub.accounts": _account_list,
    "toolkit.inspections.intake.importer": _error_list,
    "toolkit.inspections.plan.plan": _plan,
    "toolkit.inspections.forms.forms": _forms,
    "toolkit.training.course.roster": _roster,
    "toolkit.training.analytics.ledger": _ledger,
    "toolkit.reports.export.export_xlsx": _report_export,
}


def _templates(tmp_path: Path) -> list[Path]:
    from toolkit.inspections.register.templates import write_templates

    return write_templates(tmp_path)


# Writers of fixed text only (no value from a user reaches them): checked for formulas, no hostile input.
FIXED_TEXT_WRITERS = {
    "toolkit.inspections.register.templates": _templates,
}


def test_every_xlsx_writer_in_the_package_has_a_case():
    assert discovered_writers() == set(WRITERS) | set(FIXED_TEXT_WRITERS), (
        "a module writes xlsx without a case in WRITERS: pass every cell value through "
        "toolkit.cells.safe_cell and add the module here")


def _cells(path: Path):
    book = load_workbook(path)          # not data_only: a formula would show as data_type "f"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


@pytest.mark.parametrize("module", sorted(WRITERS))
def test_formula_looking_values_are_written_as_plain_text(module, tmp_path, request):
    case = WRITERS[module]
    paths = case(tmp_path, request.getfixturevalue("hostile_round")) if module.endswith("forms") else case(tmp_path)
    for path in paths:
        texts = []
        for title, cell in _cells(path):
            assert cell.data_type != "f", f"{path.name} {title}!{cell.coordinate} is a formula: {cell.value!r}"
            if isinstance(cell.value, str):
                texts.append(cell.value)
                assert not cell.value.lstrip("\t\r\n ").startswith(FORMULA_TRIGGERS), \
                    f"{path.name} {title}!{cell.coordinate} starts like a formula: {cell.value!r}"
        assert any("HYPERLINK" in text for text in texts), f"the hostile value did not reach {path.name}"
        assert any(text == "'" + FORMULA for text in texts), f"{path.name}: the value is shown as typed after '"


@pytest.mark.parametrize("module", sorted(FIXED_TEXT_WRITERS))
def test_fixed_text_writers_write_no_formula(module, tmp_path):
    for path in FIXED_TEXT_WRITERS[module](tmp_path):
        for title, cell in _cells(path):
            assert cell.data_type != "f", f"{path.name} {title}!{cell.coordinate} is a formula: {cell.value!r}"


def test_negative_numbers_stay_numbers_and_control_characters_are_replaced(tmp_path):
    path = _report_export(tmp_path)[0]
    amounts = [cell.value for _title, cell in _cells(path) if isinstance(cell.value, float)]
    assert amounts and all(math.isclose(a, -12.5) for a in amounts)
    assert safe_cell(-3) == -3 and safe_cell(date(2019, 5, 1)) == date(2019, 5, 1) and safe_cell(None) is None
    assert safe_cell("备注\x01") == "备注\ufffd" and safe_cell("普通文字") == "普通文字"


def test_ledger_masks_a_submission_folder_named_after_a_person(tmp_path):
    path = _ledger(tmp_path)[0]
    values = [cell.value for _title, cell in _cells(path)]
    assert "张三" not in values and "张*" in values and "t001" in values

"""Fixtures for the report runner tests: tiny throw-away notebooks built with nbformat."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from toolkit.fonts import use_cjk_font

use_cjk_font(warn=False)  # charts drawn in tests use the same Chinese font as the reports

TINY_PARAMETERS = '''district: str = "东湖区"  # 区名
fail: bool = False
sleep: float = 0.0
output_dir: str = "."
formats: str = "html,docx,xlsx"'''

TINY_BODY = [
    new_markdown_cell("## 测试报告"),
    new_code_cell('import sys, time\nprint("区：", district)\nprint("内部警告", file=sys.stderr)'),
    new_code_cell('time.sleep(sleep)\nif fail:\n    raise ValueError("故意出错：" + district)'),
    new_code_cell(
        "import pandas as pd\n"
        "from toolkit.reports.export.document import ReportDocument\n"
        "doc = ReportDocument(district + '报告', sample=True)\n"
        "doc.heading('一、基本情况')\n"
        "doc.table(pd.DataFrame({'街镇': ['甲街道'], '得分': [90.5]}), caption='得分')\n"
        "doc.sheet('整改清单.xlsx', '整改清单', pd.DataFrame({'问题': ['缺少签字']}))\n"
        "doc.save(output_dir, formats)"),
]


def make_notebook(path: Path, parameters: str = TINY_PARAMETERS, body=None) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    cell = new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell] + list(TINY_BODY if body is None else body)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def tiny_notebook(tmp_path) -> Path:
    return make_notebook(tmp_path / "tiny.ipynb")


@pytest.fixture(scope="module")
def module_notebook(tmp_path_factory) -> Path:
    return make_notebook(tmp_path_factory.mktemp("nb") / "tiny.ipynb")


SMALL_DISTRICTS = ["东湖区", "云岭区", "梅溪区", "松涛区"]
NO_DATA_DISTRICT = "松涛区"  # planned for 2019 but its forms were never imported (tests name it too)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory) -> Path:
    """A small fictional city (4 districts, 2–3 街镇 each), rounds 2018 (complete) and 2019
    (松涛区 not imported), built with the supervision code's own sample-data pieces."""
    import datetime as dt

    from toolkit.checklists import load_checklists
    from toolkit.inspections.store import store as st
    from toolkit.files import save_workbook
    from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.plan.plan import make_plan
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import build_city, make_submission, write_city

    base = tmp_path_factory.mktemp("city")
    store = base / "jiuzhu.sqlite"
    checklists = load_checklists()
    engine = st.open_store(store)
    units, households = build_city(7, SMALL_DISTRICTS, (2, 3), 900)
    write_city(engine, units, households)
    by_id = households.set_index("case_id")
    for round_id, quality, today in (("2018", 0.7, dt.date(2018, 12, 20)),
                                     ("2019", 0.85, dt.date(2019, 12, 20))):
        make_plan(engine, round_id, checklists, seed=3, is_sample=True)
        ctx = load_context(engine, round_id, today=today)
        forms = []
        for unit in sorted(ctx.units.values(), key=lambda u: (u.district, u.name)):
            if round_id == "2019" and unit.district == NO_DATA_DISTRICT:
                continue
            sub = make_submission(ctx, unit, by_id, quality, 7)
            wb = fill_workbook(build_form(ctx, unit), sub, ctx)
            forms.append(save_workbook(wb, base / "forms" / round_id / form_filename(ctx, unit)))
        import_files(engine, round_id, forms, imported_by="测试", today=today)
    engine.dispose()
    return store


LOOP_DISTRICT = "东湖区"
LOOP_ISSUED = "2019-01-07"     # 下发日期 of the 2018 整改清单


@pytest.fixture(scope="session")
def loop_store(small_store, tmp_path_factory):
    """The small city with 东湖区's 2018 整改清单 (written by a real kernel) filled in and imported:
    one problem that 2019 finds again 整改中 (so it must not be marked 反弹), the rest 已整改."""
    import datetime as dt
    import shutil

    import openpyxl

    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.rectification.rectification_returns import import_returns
    from toolkit.reports.compose.inspection_round import run_round_reports

    base = tmp_path_factory.mktemp("loop")
    store = base / "jiuzhu.sqlite"
    shutil.copy(small_store, store)
    run = run_round_reports(str(store), "2018", [LOOP_DISTRICT], out=base / "reports", workers=1,
                            formats=("xlsx",), issue_date=LOOP_ISSUED, progress=False)
    assert not run.failures, [r.failure.describe() for r in run.failures]
    again = {(f.unit, f.item_id) for f in load_findings(store, "2019", LOOP_DISTRICT).itertuples()}
    book = run.out_dir / LOOP_DISTRICT / "整改清单.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 12) if any(c.value == "问题编号" for c in ws[r]))
    col = {c.value: c.column for c in ws[header]}
    rows = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, col["问题编号"]).value]
    found_again = [r for r in rows if (ws.cell(r, col["街镇"]).value, ws.cell(r, col["检查项"]).value) in again]
    in_progress = (found_again or rows)[0]
    for row in rows:
        values = ({"整改措施": "正在补正", "完成情况": "整改中", "说明": "等待低保对象补交材料"} if row == in_progress else
                  {"整改措施": "修订制度并补正档案", "完成日期": dt.date(2019, 1, 25), "佐证材料": "补正档案清单",
                   "完成情况": "已整改"})
        for name, value in values.items():
            ws.cell(row, col[name]).value = value
    wb.save(book)
    import_returns(store, "2018", [book], imported_by="测试", today=dt.date(2019, 3, 1))
    return store

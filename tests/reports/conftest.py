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
        "from toolkit.reports.document import ReportDocument\n"
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
    from toolkit.inspections import store as st
    from toolkit.files import save_workbook
    from toolkit.inspections.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.importer import import_files
    from toolkit.inspections.plan import make_plan
    from toolkit.inspections.rounds import load_context
    from toolkit.inspections.sample_data import build_city, make_submission, write_city

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

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

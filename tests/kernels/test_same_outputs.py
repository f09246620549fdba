"""Warm kernels change nothing a reader sees: a report run warm and cold writes the same files."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from toolkit.reports import NotebookJob, run_notebooks

pytestmark = pytest.mark.slow

BODY = '''import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from toolkit.fonts import use_cjk_font
from toolkit.reports.export.document import ReportDocument

use_cjk_font(warn=False)
frame = pd.DataFrame({"街镇": ["甲街道", "乙镇"], "得分": [90.5, 78.0]})
print(frame.describe().round(3).to_string(), np.arange(3).sum())
fig, ax = plt.subplots(figsize=(4, 3))
ax.bar(frame["街镇"], frame["得分"])
plt.show()
doc = ReportDocument(district + "报告", sample=True)
doc.heading("一、基本情况")
doc.table(frame, caption="得分")
doc.figure(fig, caption="得分图")
doc.sheet("整改清单.xlsx", "整改清单", frame)
doc.save(output_dir, formats)'''


def _content(path: Path, root: Path):
    if path.suffix in {".docx", ".xlsx"}:
        with zipfile.ZipFile(path) as archive:  # docProps hold the creation time
            return {n: archive.read(n) for n in archive.namelist() if not n.startswith("docProps/")}
    text = re.sub(r"\.staging-\d+-\d+", ".staging", path.read_text(encoding="utf-8"))
    text = text.replace(str(root), "<out>")  # the run's own folder
    if path.suffix == ".ipynb":
        return [(c["source"], c.get("outputs")) for c in json.loads(text)["cells"]]
    return text


def test_warm_and_cold_runs_write_the_same_report(tmp_path, monkeypatch):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = new_code_cell('district: str = "东湖区"\noutput_dir: str = "."\nformats: str = "html,docx,xlsx"')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, new_code_cell(BODY)]
    notebook = tmp_path / "same.ipynb"
    nbformat.write(nb, notebook)
    jobs = [NotebookJob("东湖区", notebook, {"district": "东湖区"}, formats=("html", "docx", "xlsx"))]

    warm = run_notebooks(jobs, tmp_path / "warm", workers=1, progress=False).results[0]
    monkeypatch.setenv("JIUZHU_WARM_KERNELS", "0")          # the new worker pool inherits it
    cold = run_notebooks(jobs, tmp_path / "cold", workers=1, progress=False).results[0]

    assert warm.ok and cold.ok, (warm.failure, cold.failure)
    assert warm.timings["warm_kernel"] is True and cold.timings["warm_kernel"] is False
    files = sorted(p.name for p in (tmp_path / "warm" / "东湖区").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "cold" / "东湖区").iterdir())
    assert {"report.ipynb", "report.html", "报告.docx", "整改清单.xlsx"} <= set(files)
    for name in files:
        warm_file, cold_file = tmp_path / "warm" / "东湖区" / name, tmp_path / "cold" / "东湖区" / name
        assert _content(warm_file, tmp_path / "warm") == _content(cold_file, tmp_path / "cold"), name

"""Parameters are checked, and existing outputs protected, before any kernel starts."""

from __future__ import annotations

import pytest

from toolkit.errors import UserError, ValidationFailed
from toolkit.reports import NotebookJob, run_notebooks
from toolkit.reports.runner.runner import OutputExists


def test_unknown_parameter_is_refused_before_any_kernel(tiny_notebook, tmp_path):
    out = tmp_path / "out"
    jobs = [NotebookJob("东湖区", tiny_notebook, {"district": "东湖区", "distrct": "x"})]
    with pytest.raises(ValidationFailed) as err:
        run_notebooks(jobs, out, workers=1, progress=False)
    assert "distrct" in str(err.value)
    assert "未启动任何内核" in str(err.value)
    assert not out.exists()


def test_wrongly_typed_parameter_names_expected_type(tiny_notebook, tmp_path):
    jobs = [NotebookJob("东湖区", tiny_notebook, {"fail": "yes"})]
    with pytest.raises(ValidationFailed) as err:
        run_notebooks(jobs, tmp_path / "out", workers=1, progress=False)
    assert "fail" in str(err.value) and "bool" in str(err.value)


def test_missing_notebook_is_a_user_error(tmp_path):
    jobs = [NotebookJob("东湖区", tmp_path / "nope.ipynb", {})]
    with pytest.raises(UserError) as err:
        run_notebooks(jobs, tmp_path / "out", workers=1, progress=False)
    assert "nope.ipynb" in str(err.value)


def test_existing_outputs_are_not_overwritten_without_force(tiny_notebook, tmp_path):
    out = tmp_path / "out"
    (out / "东湖区").mkdir(parents=True)
    (out / "东湖区" / "report.html").write_text("旧报告", encoding="utf-8")
    jobs = [NotebookJob("东湖区", tiny_notebook, {"district": "东湖区"})]
    with pytest.raises(OutputExists) as err:
        run_notebooks(jobs, out, workers=1, progress=False)
    assert "--force" in str(err.value) and "东湖区" in str(err.value)
    assert (out / "东湖区" / "report.html").read_text(encoding="utf-8") == "旧报告"
    assert sorted(p.name for p in out.iterdir()) == ["东湖区"]

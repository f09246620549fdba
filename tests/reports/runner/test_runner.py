"""The runner on real kernels: parallel runs, a raising notebook, a timeout, re-runs, Dask."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

from toolkit.reports import NotebookJob, run_notebooks
from toolkit.reports.runner.runner import OutputExists

pytestmark = pytest.mark.slow

DISTRICTS = {"东湖区": {}, "西山区": {"fail": True}, "南湖区": {"sleep": 60.0}}


def _jobs(notebook: Path, names=DISTRICTS, formats=("html", "docx", "xlsx")):
    return [NotebookJob(name, notebook, {"district": name, **extra}, title=f"{name}报告",
                        sample=True, formats=formats, timeout=8 if extra.get("sleep") else 120)
            for name, extra in names.items()]


@pytest.fixture(scope="module")
def first_run(module_notebook, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "2025-R1"
    summary = run_notebooks(_jobs(module_notebook), out, workers=2, progress=False)
    return summary


def test_good_district_gets_every_output(first_run):
    folder = first_run.out_dir / "东湖区"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["report.ipynb", "report.html", "报告.docx", "整改清单.xlsx"])
    assert not [p for p in first_run.out_dir.iterdir() if p.name.startswith(".")]


def test_raising_notebook_is_reported_with_cell_and_error_and_others_finish(first_run):
    by_name = {r.name: r for r in first_run.results}
    assert by_name["东湖区"].ok
    failed = by_name["西山区"]
    assert not failed.ok and failed.failure.kind == "cell"
    text = failed.failure.describe()
    assert "ValueError" in text and "故意出错：西山区" in text and "第 5 个单元格" in text
    assert not (first_run.out_dir / "西山区").exists()
    kept = nbformat.read(first_run.out_dir / "西山区.failed.ipynb", as_version=4)
    assert kept.metadata["jiuzhu"]["status"] == "failed"


def test_notebook_over_its_time_limit_is_stopped(first_run):
    slow = {r.name: r for r in first_run.results}["南湖区"]
    assert not slow.ok and slow.failure.kind == "timeout"
    assert "time.sleep" in slow.failure.cell_source
    assert slow.timings["total_s"] < 30


def test_provenance_and_manifest(first_run):
    nb = nbformat.read(first_run.out_dir / "东湖区" / "report.ipynb", as_version=4)
    meta = nb.metadata["jiuzhu"]
    assert meta["parameters"]["district"] == "东湖区" and meta["status"] == "ok"
    assert len(meta["source_sha256"]) == 64
    assert "papermill" in nb.metadata  # papermill's own timings and parameters
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "'东湖区'" in injected.source  # readable, not \\u escapes
    manifest = json.loads(first_run.manifest.read_text(encoding="utf-8"))
    assert manifest["inputs"]["tiny.ipynb"]["sha256"] == meta["source_sha256"]
    assert manifest["jobs"]["东湖区"]["ok"] is True
    assert set(manifest["jobs"]["东湖区"]["outputs"]) >= {"report.html", "报告.docx"}
    assert "ValueError" in manifest["jobs"]["西山区"]["failure"]
    assert manifest["packages"]["papermill"]


def test_rerun_needs_force_then_replaces_only_what_it_ran(first_run, module_notebook):
    out = first_run.out_dir
    jobs = _jobs(module_notebook, {"东湖区": {}}, formats=("html",))
    with pytest.raises(OutputExists):
        run_notebooks(jobs, out, workers=1, progress=False)
    assert (out / "东湖区" / "报告.docx").exists()
    again = run_notebooks(jobs, out, workers=1, progress=False, force=True)
    assert again.results[0].ok
    assert sorted(p.name for p in (out / "东湖区").iterdir()) == ["report.html", "report.ipynb"]
    manifest = json.loads(again.manifest.read_text(encoding="utf-8"))
    assert set(manifest["jobs"]) == {"东湖区", "西山区", "南湖区"}  # earlier entries kept


def test_kernel_that_fails_to_start_once_is_retried(module_notebook, tmp_path, monkeypatch):
    """A kernelspec whose first start exits at once: the job succeeds on its second attempt."""
    marker = tmp_path / "started-once"
    flaky = tmp_path / "flaky.py"
    flaky.write_text(
        "import os, sys\n"
        f"marker = {str(marker)!r}\n"
        "if not os.path.exists(marker):\n"
        "    open(marker, 'w').close(); sys.exit(1)\n"
        "os.execv(sys.executable, [sys.executable, '-m', 'ipykernel_launcher'] + sys.argv[1:])\n")
    spec_dir = tmp_path / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(flaky), "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter") + os.pathsep
                       + os.environ.get("JUPYTER_PATH", ""))
    summary = run_notebooks(_jobs(module_notebook, {"东湖区": {}}, formats=("html",)),
                            tmp_path / "out", workers=1, progress=False)
    result = summary.results[0]
    assert result.ok, result.failure and result.failure.describe()
    assert result.attempts == 2 and marker.exists()


def test_dask_local_cluster_runs_the_same_jobs(module_notebook, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                      dashboard_address=None) as cluster:
        summary = run_notebooks(_jobs(module_notebook, {"东湖区": {}, "北岭区": {}},
                                      formats=("html",)),
                                tmp_path / "out", scheduler=cluster.scheduler_address,
                                progress=False)
    assert summary.executor.startswith("dask tcp://")
    assert [r.ok for r in summary.results] == [True, True]
    assert (tmp_path / "out" / "北岭区" / "report.html").exists()
    workers = {r.worker for r in summary.results}
    assert all(str(os.getpid()) not in w for w in workers)


def test_unreachable_scheduler_is_a_user_error(module_notebook, tmp_path, monkeypatch):
    from toolkit.errors import UserError
    from toolkit.reports.runner import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(UserError) as err:
        run_notebooks(_jobs(module_notebook, {"东湖区": {}}), tmp_path / "out",
                      scheduler="tcp://127.0.0.1:9", progress=False)
    assert "tcp://127.0.0.1:9" in str(err.value)

"""Warm kernels keep every notebook in its own fresh process (issue 14).

In one pool (one local worker process, then one real Dask worker process) a notebook sets a
global, monkeypatches modules, changes the working directory and the environment and leaks a
thread; others crash their kernel or never end.  A notebook run after them sees exactly what
one run before them saw, in another process forked from the same template.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from toolkit.reports import NotebookJob, run_notebooks
from toolkit.reports.runner.executors import open_executor

pytestmark = pytest.mark.slow

PARAMETERS = 'output_dir: str = "."\nmode: str = "check"'

OBSERVE = '''import json, math, os, sys, threading
seen = {"warm_at_start": "pandas" in sys.modules, "pid": os.getpid(), "ppid": os.getppid()}
import pandas as pd
seen.update(
    leaked_global="LEAK" in globals(),
    math_floor=math.floor(2.5),
    frame_sum=int(pd.DataFrame({"a": [1, 2]})["a"].sum()),
    cwd_is_own=os.path.samefile(os.getcwd(), output_dir),
    env_leak=os.environ.get("JIUZHU_LEAK"),
    extra_path="/nonexistent-leak" in sys.path,
    fake_module="jiuzhu_leak" in sys.modules,
    threads=sorted(t.name for t in threading.enumerate() if t.name.startswith("leak")),
    history=str(get_ipython().history_manager.hist_file),
)
print("OBSERVED " + json.dumps(seen))'''

POLLUTE = '''if mode == "pollute":
    import types
    LEAK = 1
    math.floor = lambda x: -1
    pd.DataFrame.sum = lambda self, *a, **k: -1
    os.environ["JIUZHU_LEAK"] = "1"
    sys.path.append("/nonexistent-leak")
    sys.modules["jiuzhu_leak"] = types.ModuleType("jiuzhu_leak")
    threading.Thread(target=threading.Event().wait, name="leak-forever").start()
    os.chdir("/")
elif mode == "crash":
    os._exit(3)
elif mode == "endless":
    while True:
        pass'''


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = new_code_cell(PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, new_code_cell(OBSERVE), new_code_cell(POLLUTE)]
    path = tmp_path_factory.mktemp("nb") / "isolation.ipynb"
    nbformat.write(nb, path)
    return path


def _job(notebook: Path, name: str, mode: str) -> NotebookJob:
    return NotebookJob(name, notebook, {"mode": mode}, formats=("html",),
                       timeout=10 if mode == "endless" else 120)


def _observed(out: Path, name: str) -> dict:
    nb = nbformat.read(out / name / "report.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return json.loads(text.split("OBSERVED ", 1)[1])


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _run_sequence(notebook: Path, out: Path, executor) -> None:
    def run(name, *jobs):
        return run_notebooks(list(jobs), out / name, progress=False, executor=executor)

    before = run("before", _job(notebook, "甲", "check"))
    bad = run("bad", _job(notebook, "乙", "pollute"), _job(notebook, "丙", "crash"),
              _job(notebook, "丁", "endless"))
    after = run("after", _job(notebook, "戊", "check"))

    by_name = {r.name: r for r in bad.results}
    assert by_name["乙"].ok, by_name["乙"].failure.describe()
    first, second = _observed(out / "before", "甲"), _observed(out / "after", "戊")
    polluter = _observed(out / "bad", "乙")
    assert by_name["乙"].ok and not by_name["丙"].ok and not by_name["丁"].ok
    assert by_name["丙"].failure.kind in {"kernel", "worker", "cell"}
    assert by_name["丁"].failure.kind == "timeout"
    assert before.results[0].ok and after.results[0].ok
    # every notebook ran warm, each in its own process forked from one template
    for result in (before.results[0], by_name["乙"], after.results[0]):
        assert result.timings["warm_kernel"] is True
    assert first["warm_at_start"] and second["warm_at_start"]
    assert len({first["pid"], polluter["pid"], second["pid"]}) == 3
    assert first["ppid"] == polluter["ppid"] == second["ppid"]
    # nothing the polluter did reached the notebook after it
    for key in ("pid", "ppid", "warm_at_start"):
        first.pop(key), second.pop(key)
    assert second == first == {
        "leaked_global": False, "math_floor": 2, "frame_sum": 3, "cwd_is_own": True,
        "env_leak": None, "extra_path": False, "fake_module": False, "threads": [],
        "history": ":memory:"}  # like a python3 kernel under nbclient: no shared history file
    assert _gone(polluter["pid"])  # its leaked non-daemon thread did not keep it alive


def test_local_pool_isolates_notebooks(notebook, tmp_path):
    with open_executor(1) as executor:
        _run_sequence(notebook, tmp_path, executor)


def test_dask_worker_isolates_notebooks(notebook, tmp_path, dask_scheduler):
    with open_executor(1, dask_scheduler) as executor:
        _run_sequence(notebook, tmp_path, executor)

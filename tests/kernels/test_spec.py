"""Warm kernel specs, the notebook-imports reader and the cold fallback (no kernel started)."""

from __future__ import annotations

import json
import os
import sys
from importlib.metadata import entry_points

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from toolkit.kernels import notebook_imports, warm_kernel
from toolkit.kernels.provisioner import _unsupported


def test_provisioner_is_registered_for_jupyter_client():
    found = {ep.name: ep.value for ep in entry_points(group="jupyter_client.kernel_provisioners")}
    assert found["jiuzhu-warm"] == "toolkit.kernels.provisioner:WarmProvisioner"


def test_spec_is_python3_with_the_provisioner(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setenv("JUPYTER_PATH", "")
    name = warm_kernel("t", ("pandas",))
    assert name.startswith("jiuzhu-warm-t-")
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    native = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv == [*native.argv, "--HistoryManager.hist_file=:memory:"]  # as nbclient does
    assert spec.language == "python"
    assert spec.metadata["kernel_provisioner"] == {
        "provisioner_name": "jiuzhu-warm", "config": {"preload": ["pandas"]}}
    assert spec.metadata["supported_encryption"] == native.metadata["supported_encryption"]
    assert warm_kernel("t", ("numpy",)) != name  # another preload list, another name


def test_switched_off_means_python3_and_one_line(monkeypatch, capsys):
    monkeypatch.setenv("JIUZHU_WARM_KERNELS", "0")
    assert warm_kernel("t", ()) == "python3"
    assert warm_kernel("t", ()) == "python3"
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "冷启动" in lines[0] and "JIUZHU_WARM_KERNELS=0" in lines[0]


def test_no_fork_means_python3(monkeypatch, capsys):
    monkeypatch.delattr(os, "fork")
    assert warm_kernel("t", ()) == "python3"
    assert "不支持 fork" in capsys.readouterr().err


def test_only_our_interpreter_with_ipykernel_launcher_is_forked():
    ours = [sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"]
    assert _unsupported(ours, {}) is None
    assert _unsupported(["/usr/bin/python3.9", *ours[1:]], {})
    assert _unsupported([sys.executable, "flaky.py", "-f", "c.json"], {})
    assert _unsupported(ours, {"stdout": -3})


def test_notebook_imports_reads_code_cells_without_running_them(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("import nothing_here"),
        new_code_cell("import os, json as j\nfrom toolkit.reports.compose import report_data as rd\n"
                      "from . import local\nfrom __future__ import annotations"),
        new_code_cell("%matplotlib inline\nimport never_seen"),
        new_code_cell("def f():\n    import inside_function\nraise SystemExit('never run')"),
    ])
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert notebook_imports(path) == sorted(
        ["json", "os", "toolkit.reports.compose", "?toolkit.reports.compose.report_data"])
    json.loads(path.read_text())  # untouched

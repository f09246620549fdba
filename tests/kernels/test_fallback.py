"""A template that cannot be forked safely is not used: the kernel starts cold, one line says so."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from toolkit.kernels import PhaseClock, last_launch, warm_kernel

pytestmark = pytest.mark.slow


def _run(kernel_name: str, cwd) -> str:
    nb = new_notebook(cells=[new_code_cell("import os, sys\nprint(os.getcwd(), 'jz_leaky' in sys.modules)"),
                             new_code_cell("x = 1")])
    clock = PhaseClock()
    NotebookClient(nb, kernel_name=kernel_name, resources={"metadata": {"path": str(cwd)}},
                   shutdown_kernel="immediate", timeout=120, **clock.hooks()).execute()
    phases = clock.phases()
    assert phases["warm_kernel"] is last_launch()["warm"]
    assert set(phases) >= {"kernel_launch_s", "handshake_s", "imports_s", "cells_s", "shutdown_s"}
    return nb.cells[0].outputs[0]["text"].strip()


def test_preload_that_starts_a_thread_falls_back_to_cold(tmp_path, monkeypatch, capfd):
    (tmp_path / "jz_leaky.py").write_text(
        "import threading\nthreading.Thread(target=threading.Event().wait, daemon=True).start()\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    name = warm_kernel("leaky", ("jz_leaky",))
    assert _run(name, tmp_path) == f"{tmp_path} False"
    assert last_launch()["warm"] is False
    err = capfd.readouterr().err
    assert "冷启动" in err and "2 threads" in err


def test_a_good_preload_is_forked_warm_from_the_prestarted_template(tmp_path, capfd):
    from toolkit.kernels import prestart
    from toolkit.kernels.pool import _templates

    name = warm_kernel("plain", ("json",))
    prestart(name, wait=True)
    before = set(_templates)
    assert _run(name, tmp_path) == f"{tmp_path} False"
    assert last_launch()["warm"] is True
    assert set(_templates) == before  # the launch found the prestarted template
    assert "冷启动" not in capfd.readouterr().err

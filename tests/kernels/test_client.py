"""The prompt kernel client and the debugger-free launcher give the same notebook outputs."""

from __future__ import annotations

import sys

import pytest
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from toolkit.kernels import PROMPT_CLIENT
from toolkit.kernels.client import PromptKernelClient

pytestmark = pytest.mark.slow

CELLS = ["print('a')", "import sys\nprint('debugpy' in sys.modules and sys.modules['debugpy'] is None)",
         "1 + 1"]


def _run(kernel_name: str, cwd) -> tuple[list, type]:
    nb = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    client = NotebookClient(nb, kernel_name=kernel_name, resources={"metadata": {"path": str(cwd)}},
                            timeout=60, shutdown_kernel="immediate",
                            config=Config({"AsyncKernelManager": {"client_class": PROMPT_CLIENT}}))
    seen = {}
    client.on_notebook_start = lambda **_: seen.update(kc=type(client.kc))
    client.execute()
    return [[(o.get("name"), o.get("text"), o.get("data")) for o in cell.outputs] for cell in nb.cells], seen["kc"]


def _expected(debugger_blocked: bool) -> list:
    return [[("stdout", "a\n", None)], [("stdout", f"{debugger_blocked}\n", None)],
            [(None, None, {"text/plain": "2"})]]


def test_reports_and_grading_select_the_prompt_client():
    from toolkit.reports.runner.execute import _kernel_config

    assert _kernel_config().AsyncKernelManager.client_class == PROMPT_CLIENT
    assert issubclass(PromptKernelClient, AsyncKernelManager().client_factory)


def test_plain_kernel_through_the_prompt_client_gives_every_output_once(tmp_path):
    outputs, client_class = _run("python3", tmp_path)
    assert client_class is PromptKernelClient
    assert outputs == _expected(False)


def test_sandboxed_kernel_starts_without_the_debugger_and_runs_the_same(tmp_path, monkeypatch):
    from toolkit.training.grading import sandbox

    if sandbox.unavailable_reason():
        pytest.fail(f"the autograde sandbox is not set up here: {sandbox.unavailable_reason()} (make setup)")
    specs = tmp_path / "specs"
    monkeypatch.setenv("JUPYTER_PATH", str(specs))
    name = sandbox.install_kernelspec(specs)
    work = tmp_path / "work"
    work.mkdir()
    outputs, client_class = _run(name, work)
    assert client_class is PromptKernelClient
    assert outputs == _expected(True)
    assert sys.modules.get("debugpy", "absent") is not None    # only the kernel's own sys.modules

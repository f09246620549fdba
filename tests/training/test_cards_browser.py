"""The answer cards in a real JupyterLab (Debian chromium via playwright): typing saves at once."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from training_helpers import ASSIGNMENT, ipython_dir_with_fake_cases
from toolkit.cases.base import case_for
from toolkit.training.notebook import source_notebook

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def lab(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is required for browser tests (make system-deps installs it)")
    home = tmp_path / "home"
    folder = home / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(case_for("jiuzhu", ASSIGNMENT, "x")), folder / f"{ASSIGNMENT}.ipynb")
    port, token = _free_port(), "jiuzhu-test"
    venv_bin = Path(sys.executable).parent
    env = dict(os.environ, JIUZHU_STUDENT="li4", PATH=f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
               IPYTHONDIR=str(ipython_dir_with_fake_cases(tmp_path / "ipython")),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"))
    env.pop("JUPYTERHUB_USER", None)
    server = subprocess.Popen(
        [str(venv_bin / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}", "--allow-root",
         f"--LabApp.workspaces_dir={tmp_path / 'ws'}", "--KernelManager.transport_encryption=auto"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ready():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=1):
                return True
        except OSError:
            return False

    try:
        _wait(ready, 60, "JupyterLab")
        yield f"http://127.0.0.1:{port}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb?token={token}", folder
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)


def test_typing_in_a_card_saves_at_once_and_check_lists_the_rest(lab):
    from playwright.sync_api import sync_playwright

    url, folder = lab
    sidecar = folder / "answers.json"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.goto(url)
            page.wait_for_function("document.body.innerText.includes('| Idle')", timeout=90_000)
            page.click(".jp-Notebook")
            page.keyboard.press("Control+Shift+c")
            page.keyboard.type("Run All Cells")
            page.keyboard.press("Enter")
            box = page.locator(".widget-text input").first
            box.wait_for(timeout=60_000)
            box.click()
            page.keyboard.type("１，５００元")
            saved = _wait(lambda: sidecar.exists() and json.loads(sidecar.read_text("utf-8")),
                          20, "answers.json")
            _wait(lambda: json.loads(sidecar.read_text("utf-8"))["answers"].get("q1", {}).get("raw")
                  == "１，５００元", 20, "the typed answer in answers.json")
            assert saved["student"] == "li4"
            page.get_by_text("识别为：1500元").wait_for(timeout=10_000)
            assert page.get_by_text("已保存").count() >= 1
            page.locator("button:has-text('检查作答')").click()
            page.get_by_text("还有 4 题未作答").wait_for(timeout=10_000)
        finally:
            browser.close()

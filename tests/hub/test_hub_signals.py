"""`jiuzhu hub start` stops everything it started on SIGINT (Ctrl+C) and SIGHUP (a closed terminal)
as on SIGTERM (tests/hub/test_hub_live.py): the hub, its proxy and the course's formgrader."""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from test_hub_live import RUNTIME, REPO, alive, descendants, free_port, need_root, wait_ready

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["SIGINT", "SIGHUP"])
def test_a_stop_signal_leaves_no_process(signum):
    need_root()
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh")], check=True, capture_output=True)
    from toolkit.hub.accounts import delete_account

    course = "hh" + secrets.token_hex(2) + "-qu"
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-signal-", dir="/tmp"))
    root.chmod(0o755)
    (root / "hub.yaml").write_text(f"bind: 127.0.0.1:0\nruntime: {RUNTIME}\nidle_timeout: 600\n"
                                   f"courses:\n  - {{id: {course}, title: 区级培训, trainers: []}}\n", encoding="utf-8")
    port = free_port()
    launcher = subprocess.Popen([sys.executable, "-m", "toolkit", "hub", "start", "--root", str(root),
                                 "--bind", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
    try:
        wait_ready(f"http://127.0.0.1:{port}", launcher)
        started = descendants(launcher.pid)
        assert len(started) >= 4                       # JupyterHub, proxy, formgrader, idle culler
        launcher.send_signal(signum)
        assert launcher.wait(120) == 0
        assert [p for p in started if alive(p)] == []
        assert "培训平台已停止" in launcher.stdout.read()
        assert not (root / "state" / "jiuzhu-hub.pid").exists()
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(120)
        delete_account(f"grader-{course}")
        shutil.rmtree(root, ignore_errors=True)

"""A trainee's server on a real hub is in a control group with the hub's memory and CPU limits
(a process of theirs past the memory limit is killed, nobody else's), and is stopped by
jupyterhub-idle-culler once idle.  Accounts are prefixed ``hh`` and deleted at the end."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from test_hub_live import RUNTIME, REPO, jiuzhu, need_root, pids_of, start_working, write_roster, account_list

pytestmark = pytest.mark.slow
IDLE = 30          # seconds


def test_limits_hold_and_an_idle_server_is_culled():
    need_root()
    from toolkit.hub import limits
    from toolkit.hub.accounts import delete_account
    from toolkit.hub.layout import open_hub
    from toolkit.hub.server import HubProcess

    if limits.mode() == "none":
        pytest.skip("no writable control group on this machine: limits are not enforced here")
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh")], check=True, capture_output=True)
    tag = "hh" + secrets.token_hex(2)
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-idle-", dir="/tmp"))
    root.chmod(0o755)
    course, user = f"{tag}-qu", f"{tag}-1"
    (root / "hub.yaml").write_text(
        f"bind: 127.0.0.1:0\nruntime: {RUNTIME}\nidle_timeout: {IDLE}\nlimits: {{memory: 400M, cpus: 0.5}}\n"
        f"courses:\n  - {{id: {course}, title: 区级培训, trainers: []}}\n", encoding="utf-8")
    hub = open_hub(root)
    process = None
    try:
        jiuzhu("course", "roster", "import", str(write_roster(root / "roster.xlsx", [user])),
               "--course", str(hub.course(course).folder))
        jiuzhu("hub", "accounts", "--course", course, "--root", str(root))
        _, passwords = account_list(root / f"{course}-账号清单.xlsx")
        process = HubProcess(hub, "127.0.0.1:0").start()
        working = start_working(process.url, user, passwords[user])

        # every process of the trainee (server and kernel) is in their control group, with the limits
        folders = limits.folders(user)
        members = {int(p) for f in folders for p in (f / "cgroup.procs").read_text().split()}
        assert working["pids"] <= members
        if limits.mode() == "v1":
            assert int((folders[0] / "memory.limit_in_bytes").read_text()) == 400 * 2 ** 20
            assert int((folders[1] / "cpu.cfs_quota_us").read_text()) == 50_000
        else:
            assert int((folders[0] / "memory.max").read_text()) == 400 * 2 ** 20

        # a process of theirs past the memory limit is killed (the OOM killer, within their group)
        account = pwd.getpwnam(user)

        def enter() -> None:
            for folder in folders:
                (folder / "cgroup.procs").write_text(str(os.getpid()))
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)

        hog = subprocess.run([f"{RUNTIME}/bin/python", "-c", "b = bytearray(b'x') * (700 * 2 ** 20); print(len(b))"],
                             preexec_fn=enter, capture_output=True, timeout=120)
        assert hog.returncode == -9, (hog.returncode, hog.stderr[-300:])
        assert working["pids"] <= pids_of(user)              # their server itself is still there

        # idle: the culler stops the server (the hub forgets it, its processes end)
        deadline = time.monotonic() + IDLE + 180
        while time.monotonic() < deadline:
            model = requests.get(f"{process.url}/hub/api/users/{user}", headers=working["auth"], timeout=60).json()
            if not (model.get("servers") or {}):
                break
            time.sleep(2)
        assert not (model.get("servers") or {}), model
        time.sleep(3)
        assert pids_of(user) == set()
        assert "Culling server" in (hub.state / "jupyterhub.log").read_text(encoding="utf-8", errors="replace")
    finally:
        if process is not None:
            process.stop()
        for name in (user, f"grader-{course}"):
            delete_account(name)
        shutil.rmtree(root, ignore_errors=True)

"""What the hub does when a trainee's server starts (issue 27), with real system accounts, no hub.

Trainees land on the exercise app (``app_url()``, ``server_args()``), installed into their home
(root's file: the trainee reads it, never edits it; a link planted there is replaced, never followed)
with their courses' titles in the environment; JupyterLab, the classic
notebook and terminals are left out unless a course of theirs has ``trainee_lab: true``.  Trainers
keep JupyterLab as before.  The hook runs as the hub runs it (``pre_spawn_hook``, awaited).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from hub_spawn import spawn
from toolkit.hub import config
from toolkit.hub.accounts import delete_account, ensure_account
from toolkit.hub.layout import jupyter_dir, open_hub
from toolkit.training.app import APP_NOTEBOOK, COURSE_TITLES_ENV, app_url, server_args

pytestmark = pytest.mark.slow
RUNTIME = os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")


@pytest.fixture(scope="module")
def accounts():
    """A hub folder with two courses (one lets its trainees open JupyterLab) and three accounts."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("培训平台测试需要 root（为每位学员创建系统账号）", pytrace=False)
        pytest.skip("培训平台测试需要 root")
    from openpyxl import Workbook

    from toolkit.training.course.course import import_roster

    tag = "ha" + secrets.token_hex(2)
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-app-", dir="/tmp"))
    root.chmod(0o755)
    (root / "hub.yaml").write_text(
        f"runtime: {RUNTIME}\ncourses:\n"
        f"  - {{id: {tag}-app, title: 街镇培训, trainers: [{tag}-t]}}\n"
        f"  - {{id: {tag}-lab, title: 区级培训, trainers: [], trainee_lab: true}}\n", encoding="utf-8")
    hub = open_hub(root)
    users = {"app": f"{tag}-c1", "lab": f"{tag}-s1", "trainer": f"{tag}-t"}
    try:
        for key in ("app", "lab"):
            workbook = Workbook()
            workbook.active.append(["学员编号", "姓名", "街镇", "村居"])
            workbook.active.append([users[key], "测试学员", "东湖街道", "东湖社区"])
            workbook.save(root / f"{key}.xlsx")
            import_roster(hub.course(f"{tag}-{key}").folder, root / f"{key}.xlsx")
        for key, user in users.items():
            ensure_account(hub, user, "trainer" if key == "trainer" else "trainee")
        yield hub, users
    finally:
        for user in users.values():
            delete_account(user)
        shutil.rmtree(root, ignore_errors=True)


def home_files(user: str) -> dict[str, int]:
    """Files of the home (dot-folders left out) → owner uid."""
    home = Path(pwd.getpwnam(user).pw_dir)
    return {str(p.relative_to(home)): p.lstat().st_uid for p in home.rglob("*")
            if not any(part.startswith(".") for part in p.relative_to(home).parts)}


@pytest.mark.parametrize("who", ["app", "lab"])
def test_a_trainee_lands_on_the_app_they_can_read_but_not_change(accounts, who):
    hub, users = accounts
    user = users[who]
    spawner = spawn(hub, user)
    assert spawner.default_url == app_url()
    assert spawner.args[1:1 + len(server_args())] == server_args()
    config_path = spawner.environment["JUPYTER_CONFIG_PATH"].split(":")
    assert spawner.environment["KEEP"] == "1"
    without_lab = str(jupyter_dir("trainee-app"))
    if who == "app":      # no JupyterLab, notebook or terminals; a Chinese page for what is not there
        assert config_path[0] == without_lab
        settings = json.loads((jupyter_dir("trainee-app") / "jupyter_server_config.json").read_text())
        disabled = settings["ServerApp"]["jpserver_extensions"]
        assert disabled["jupyterlab"] is False and disabled["notebook"] is False
        assert settings["ServerApp"]["terminals_enabled"] is False
        assert f"--ServerApp.extra_template_paths={without_lab}/templates" in spawner.args
    else:
        assert without_lab not in config_path and not any("extra_template_paths" in a for a in spawner.args)
    course = hub.course(next(c.id for c in hub.courses if c.id.endswith(who)))
    assert json.loads(spawner.environment[COURSE_TITLES_ENV]) == {course.id: course.title}
    installed = home_files(user)
    assert installed == {APP_NOTEBOOK: 0}, installed
    app = Path(pwd.getpwnam(user).pw_dir) / APP_NOTEBOOK
    assert app.stat().st_mode & 0o777 == 0o644
    reads = subprocess.run(["runuser", "-u", user, "--", "cat", str(app)], capture_output=True, text=True)
    assert reads.returncode == 0 and "run()" in reads.stdout
    writes = subprocess.run(["runuser", "-u", user, "--", "sh", "-c", f"echo x >> '{app}'"], capture_output=True)
    assert writes.returncode != 0
    assert spawn(hub, user).default_url == app_url() and home_files(user) == installed   # again: the same


def test_a_trainer_keeps_jupyterlab(accounts):
    hub, users = accounts
    spawner = spawn(hub, users["trainer"])
    assert spawner.default_url == "/lab" and not home_files(users["trainer"])
    assert spawner.args == [f"--LabApp.app_settings_dir={jupyter_dir('lab-trainer')}"]
    assert spawner.environment["JUPYTER_CONFIG_PATH"] == str(jupyter_dir("common"))
    assert COURSE_TITLES_ENV not in spawner.environment


def test_a_symlink_planted_in_the_home_never_makes_the_hub_write_elsewhere(accounts):
    """A link the trainee put where the app goes is replaced, never written through."""
    hub, users = accounts
    user = users["app"]
    spawn(hub, user)
    home = Path(pwd.getpwnam(user).pw_dir)
    target = hub.state / "precious.txt"                 # root's, in a folder the trainee cannot enter
    target.write_text("root's own", encoding="utf-8")
    planted = sorted(p for p in home.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in planted:
        path.unlink()
        path.symlink_to(target)
    assert planted
    spawn(hub, user)
    assert target.read_text(encoding="utf-8") == "root's own"
    assert all(p.is_file() and not p.is_symlink() for p in planted)


def test_jupyterlabs_workspace_is_seeded_without_following_a_planted_link(accounts):
    """A trainee of a trainee_lab course gets the Assignments panel first; a ``.jupyter`` link to a
    folder of root's stops the spawn and root creates nothing there."""
    hub, users = accounts
    user = users["lab"]
    home = Path(pwd.getpwnam(user).pw_dir)
    spawn(hub, user)
    seeded = home / ".jupyter" / "lab" / "workspaces" / config.WORKSPACE
    assert json.loads(seeded.read_text(encoding="utf-8"))["data"] and seeded.stat().st_uid == pwd.getpwnam(user).pw_uid
    shutil.rmtree(home / ".jupyter")
    elsewhere = hub.state / "not-a-home"                 # root's, like /etc
    elsewhere.mkdir()
    (home / ".jupyter").symlink_to(elsewhere)
    try:
        with pytest.raises(OSError):
            spawn(hub, user)
    finally:
        (home / ".jupyter").unlink()
    assert list(elsewhere.iterdir()) == [] and elsewhere.stat().st_uid == 0

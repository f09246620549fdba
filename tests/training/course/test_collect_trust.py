"""Issue 24, item 1: submissions nobody can forge or smuggle, on real system accounts.

Two trainees get system accounts (as on a hub); each writes into the exchange's inbound as
themselves (``runuser``).  Trainee A also forges an entry in B's name, slips a file into B's
(nbgrader-style, mode 0777) entry, and plants a symbolic link to the course secret and to
/etc/shadow, a FIFO and a device node in an entry of their own.  ``collect`` must take each
trainee's own honest submission, refuse every other entry by name, and copy nothing it refused.
Accounts made here are deleted at the end.
"""

from __future__ import annotations

import datetime
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from grading_course import _set_answer_cell, make_course, released

pytestmark = pytest.mark.slow

def _claims() -> list[str]:
    """Four times the entries claim, from the moment they are written on (taken when the fixture
    runs, not when the module is collected: a claim earlier than the files' last change by more
    than collect's tolerance is corrected to the file time, see test_collect_hostile.py)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return [(now + datetime.timedelta(minutes=k)).strftime("%Y-%m-%d %H:%M:%S.%f UTC") for k in range(4)]


def _need_root():
    if os.geteuid() != 0:
        pytest.skip("需要 root：测试为学员开设系统账号")


@pytest.fixture(scope="module")
def exchange_course(tmp_path_factory):
    _need_root()
    mp = pytest.MonkeyPatch()
    import toolkit.cases

    mp.setattr(toolkit.cases, "ASSIGNMENTS", ("ps1",), raising=False)   # the test course's one exercise
    tag = "ss" + secrets.token_hex(2)
    users = [f"{tag}a", f"{tag}b"]
    base = Path(tempfile.mkdtemp(prefix="ss-collect-", dir="/tmp"))
    base.chmod(0o755)                      # the trainees reach the exchange through it
    made = []
    try:
        for user in users:
            subprocess.run(["useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                            "/usr/sbin/nologin", user], check=True, capture_output=True)
            made.append(user)
        from toolkit.training.course import course

        root = make_course(base / "course")
        course.release(root)
        files = base / "files"              # what trainees copy into their entries (readable by all)
        files.mkdir(mode=0o755)
        for user in users:
            nb = _set_answer_cell(released(root), f"x = 42\ny = 3\nwho = {user!r}")
            nbformat.write(nb, files / f"{user}.ipynb")
            (files / f"{user}.json").write_text(json.dumps(
                {"assignment": "ps1", "student": user, "answers": {"q1": {"raw": "好", "saved_at": "x"}}}))
        for path in files.iterdir():
            path.chmod(0o644)
        yield {"root": root, "users": users, "files": files, "inbound": base / "course" / "exchange" / "jiuzhu" / "inbound"}
    finally:
        mp.undo()
        for user in made:
            subprocess.run(["userdel", user], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _as(user: str, script: str) -> None:
    done = subprocess.run(["runuser", "-u", user, "--", "/bin/sh", "-ec", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _entry(user: str, owner_of_files: str, files: Path, inbound: Path, name: str, when: str, mode: str = "755") -> Path:
    """``user`` creates the inbound entry ``name`` holding ``owner_of_files``'s notebook and answers."""
    entry = inbound / name
    _as(user, f"umask 022; mkdir '{entry}'; cp '{files}/{owner_of_files}.ipynb' '{entry}/ps1.ipynb'; "
              f"cp '{files}/{owner_of_files}.json' '{entry}/answers.json'; printf '%s' '{when}' > '{entry}/timestamp.txt'; "
              f"chmod {mode} '{entry}'")
    return entry


@pytest.fixture(scope="module")
def collected(exchange_course):
    from toolkit.training.course import course

    env = exchange_course
    a, b = env["users"]
    inbound, files = env["inbound"], env["files"]
    assert stat.S_IMODE(inbound.stat().st_mode) & stat.S_ISVTX      # release made it sticky
    T1, T2, T3, T4 = env["claims"] = _claims()
    _entry(a, a, files, inbound, f"{a}+ps1+{T1}+r1", T1)
    _entry(b, b, files, inbound, f"{b}+ps1+{T1}+r1", T1)
    forged = _entry(a, a, files, inbound, f"{b}+ps1+{T2}+r2", T2)              # A writes in B's name
    slipped = _entry(b, b, files, inbound, f"{b}+ps1+{T3}+r3", T3, mode="777")  # nbgrader's 0777 entry
    _as(a, f"rm -f '{slipped}/answers.json'; cp '{files}/{a}.json' '{slipped}/answers.json'")
    smuggle = _entry(a, a, files, inbound, f"{a}+ps1+{T4}+r4", T4)
    course_secret = env["root"] / ".jiuzhu" / "course_secret"
    course_secret.parent.mkdir(exist_ok=True)
    course_secret.write_text("TOP-SECRET-COURSE-KEY")
    _as(a, f"ln -s '{course_secret}' '{smuggle}/secret'; ln -s /etc/shadow '{smuggle}/shadow'; mkfifo '{smuggle}/pipe'")
    os.mknod(smuggle / "null", stat.S_IFCHR | 0o644, os.makedev(1, 3))
    uid = pwd.getpwnam(a)
    os.lchown(smuggle / "null", uid.pw_uid, uid.pw_gid)
    run = course.collect_run(env["root"], ["ps1"])
    return env, run, {"forged": forged, "slipped": slipped, "smuggle": smuggle}


def test_each_trainee_gets_their_own_honest_submission(collected):
    env, run, _ = collected
    a, b = env["users"]
    assert run.collected == {"ps1": sorted([a, b])}
    for user in (a, b):
        folder = env["root"] / "submitted" / user / "ps1"
        assert (folder / "timestamp.txt").read_text() == env["claims"][0]   # not the forged or tampered one
        assert json.loads((folder / "answers.json").read_text())["student"] == user
        assert f"who = {user!r}" in (folder / "ps1.ipynb").read_text()
    assert not run.unverifiable                                            # accounts: owners were checked


def test_forged_tampered_and_smuggling_entries_are_refused_by_name(collected):
    env, run, entries = collected
    a, b = env["users"]
    text = "\n".join(run.refused)
    assert len(run.refused) == 3, text
    forged = next(line for line in run.refused if entries["forged"].name in line)
    assert f"属于账号 {a}，不属于提交人 {b}" in forged
    slipped = next(line for line in run.refused if entries["slipped"].name in line)
    assert "answers.json" in slipped and f"属于账号 {a}" in slipped
    smuggle = next(line for line in run.refused if entries["smuggle"].name in line)
    assert "符号链接" in smuggle


def test_nothing_refused_is_copied_anywhere(collected):
    env, _, _ = collected
    root = env["root"]
    shadow = Path("/etc/shadow").read_text()
    for path in root.rglob("*"):
        if "exchange" in path.relative_to(root).parts:      # the trainees' side, left as they wrote it
            continue
        assert not path.is_symlink(), path
        if path.is_file() and path.name != "course_secret":
            text = path.read_bytes()
            assert b"TOP-SECRET-COURSE-KEY" not in text and shadow.encode()[:40] not in text, path
    assert not list(root.glob("submitted/*/ps1/pipe")) and not list(root.glob("submitted/*/ps1/null"))


def test_the_cli_names_the_refused_entries_in_chinese(collected, capsys):
    import argparse

    from toolkit.cli.course import _collect

    env, _, entries = collected
    rc = _collect(argparse.Namespace(course=str(env["root"]), assignments=["ps1"]))
    out = capsys.readouterr().out
    assert rc == 1 and "ps1：已收取 2 份作业" in out and "拒收 3 份" in out
    assert entries["forged"].name in out


def test_on_one_shared_account_the_submitter_cannot_be_verified_and_it_says_so(exchange_course, tmp_path):
    from toolkit.training.course import course

    env = exchange_course
    inbound = env["inbound"]
    T1 = _claims()[0]
    shared = inbound / f"dh901+ps1+{T1}+r9"                 # written by the trainer's own account (root)
    shared.mkdir()
    shutil.copy(env["files"] / f"{env['users'][0]}.ipynb", shared / "ps1.ipynb")
    (shared / "timestamp.txt").write_text(T1)
    try:
        run = course.collect_run(env["root"], ["ps1"])
        assert "dh901" in run.collected["ps1"]
        assert "无法核实是谁提交的" in run.unverifiable and "docs/sandbox.md" in run.unverifiable
    finally:
        shutil.rmtree(shared)


def test_a_trainee_submit_leaves_the_entry_writable_by_its_owner_only(exchange_course, tmp_path):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    from toolkit.training.course import course
    from toolkit.training.course.inbound import OwnEntrySubmit

    env = exchange_course
    home = tmp_path / "home"
    (home / "ps1").mkdir(parents=True)
    shutil.copy(env["files"] / f"{env['users'][0]}.ipynb", home / "ps1" / "ps1.ipynb")
    config = course.load_config(env["root"])
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(tmp_path / "cache")
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = "ps1", "dh902"
    before = set(env["inbound"].iterdir())
    OwnEntrySubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()
    [entry] = set(env["inbound"].iterdir()) - before
    try:
        assert stat.S_IMODE(entry.stat().st_mode) == 0o755
    finally:
        shutil.rmtree(entry)


def test_release_refuses_a_link_in_the_release_folder(exchange_course):
    from toolkit.training.course import course
    from toolkit.training.course.course import CourseError

    root = exchange_course["root"]
    link = root / "release" / "ps1" / "data.csv"
    link.symlink_to("/etc/shadow")
    try:
        with pytest.raises(CourseError) as err:
            course.release(root)
        assert "data.csv" in str(err.value.problems) and "符号链接" in str(err.value.problems)
        assert not (root / "exchange" / "jiuzhu" / "outbound" / "ps1" / "data.csv").exists()
    finally:
        link.unlink()

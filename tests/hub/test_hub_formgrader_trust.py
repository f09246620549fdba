"""Issue 24, item 4: the trainer is not root.

A real `jiuzhu hub` (JupyterHub, its proxy, the formgrader services) with two courses.  The first
course's trainer logs in with their password and, through their course's formgrader service,
asks for a kernel and a terminal: there is no terminal, and the kernel runs as the course's
unprivileged ``grader-<course>`` account.  That account reaches its own course folder and
neither the list of courses nor the other course.  Everything started here is stopped by its
process id; the accounts made here are deleted.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def _uid_of_process_with(word: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if word.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(os.stat(f"/proc/{entry}").st_uid)
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("培训平台测试需要 root（为培训老师创建系统账号）。")
    runtime = os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh"), runtime], check=True, capture_output=True)
    from toolkit.hub.accounts import delete_account, ensure_account
    from toolkit.hub.layout import open_hub
    from toolkit.hub.server import HubProcess

    tag = "ss" + secrets.token_hex(2)
    root = Path(tempfile.mkdtemp(prefix="ss-hub-", dir="/tmp"))
    root.chmod(0o755)
    (root / "hub.yaml").write_text(
        f"bind: 127.0.0.1:0\nruntime: {runtime}\ncourses:\n"
        f"  - {{id: {tag}a, title: 区级培训, audience: 街镇工作人员, trainers: [{tag}-ta]}}\n"
        f"  - {{id: {tag}b, title: 街镇培训, audience: 村居干部, trainers: [{tag}-tb]}}\n", encoding="utf-8")
    made: list[str] = []
    process = None
    try:
        layout = open_hub(root)
        password = ensure_account(layout, f"{tag}-ta")
        made += [f"{tag}-ta", *(c.grader for c in layout.courses)]
        process = HubProcess(layout, "127.0.0.1:0").start()
        yield {"hub": layout, "url": process.url, "trainer": f"{tag}-ta", "password": password,
               "a": layout.courses[0], "b": layout.courses[1], "tag": tag, "made": made}
    finally:
        if process is not None:
            process.stop()
        for user in made:
            delete_account(user)
        shutil.rmtree(root, ignore_errors=True)


def _trainer_session(env):
    import requests

    session = requests.Session()
    session.get(f"{env['url']}/hub/login", timeout=60)
    reply = session.post(f"{env['url']}/hub/login?next=/hub/home", allow_redirects=False, timeout=60,
                         data={"username": env["trainer"], "password": env["password"],
                               "_xsrf": session.cookies.get("_xsrf")})
    assert reply.status_code == 302, reply.status_code
    page = session.get(f"{env['url']}/services/{env['a'].id}/formgrader", timeout=120)
    assert page.status_code == 200 and "formgrader" in page.text.lower()      # the service works unprivileged
    return session


def _xsrf(session, course_id: str) -> dict:
    """The service's own XSRF cookie (jupyter_server wants it echoed on a cookie-authenticated POST)."""
    tokens = [c for c in session.cookies if c.name == "_xsrf"]
    token = next((c for c in tokens if f"/services/{course_id}" in (c.path or "")), tokens[-1] if tokens else None)
    return {"X-XSRFToken": token.value if token else ""}


def test_the_formgrader_service_runs_as_its_course_account(hub):
    grader = pwd.getpwnam(hub["a"].grader).pw_uid
    uids = _uid_of_process_with(f"--ServerApp.root_dir={hub['a'].folder}")
    assert uids and set(uids) == {grader}, uids


def test_the_trainer_gets_no_root_kernel_and_no_terminal(hub):
    env = hub
    session = _trainer_session(env)
    base = f"{env['url']}/services/{env['a'].id}"
    terminal = session.post(f"{base}/api/terminals", headers=_xsrf(session, env["a"].id), timeout=60)
    assert terminal.status_code == 404, terminal.status_code          # terminals are off
    # the request is accepted (so the XSRF token was right): the kernel runs, as grader-<course>
    kernel = session.post(f"{base}/api/kernels", json={}, headers=_xsrf(session, env["a"].id), timeout=120)
    assert kernel.status_code == 201, kernel.status_code
    kernel_id = kernel.json()["id"]
    try:
        deadline = time.monotonic() + 60
        while not (uids := _uid_of_process_with(kernel_id)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert uids and set(uids) == {pwd.getpwnam(env["a"].grader).pw_uid}, uids      # never root
    finally:
        session.delete(f"{base}/api/kernels/{kernel_id}", headers=_xsrf(session, env["a"].id), timeout=60)


def test_a_course_account_reaches_its_own_course_only(hub):
    a, b = hub["a"], hub["b"]

    def as_grader(*cmd):
        return subprocess.run(["runuser", "-u", a.grader, "--", *cmd], capture_output=True, text=True)

    assert as_grader("ls", str(a.folder)).returncode == 0
    assert as_grader("ls", str(b.folder)).returncode != 0
    assert as_grader("ls", str(a.folder.parent)).returncode != 0          # no list of the courses
    assert as_grader("cat", str(hub["hub"].state / "cookie_secret")).returncode != 0


def test_what_root_writes_later_in_the_course_stays_readable_by_its_service(hub):
    """`jiuzhu course grade` (root, umask 027) writes autograded/ after the hub started."""
    a = hub["a"]
    previous = os.umask(0o027)
    try:
        made = a.folder / "autograded" / "dh001" / "m01"
        made.mkdir(parents=True)
        (made / "m01.ipynb").write_text("{}", encoding="utf-8")
    finally:
        os.umask(previous)
    read = subprocess.run(["runuser", "-u", a.grader, "--", "cat", str(made / "m01.ipynb")],
                          capture_output=True, text=True)
    assert read.returncode == 0 and read.stdout == "{}", read.stderr


AUTOGRADE_KERNEL = """
import os, sys
from toolkit.training.course.course import load_config
config = load_config(__import__('pathlib').Path(sys.argv[1]))      # runs sandbox_nbgrader_autograde
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name=config.Execute.kernel_name)
km.start_kernel(cwd=sys.argv[2])
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
seen = []
kc.execute_interactive("import os; print('SEES', os.path.exists(%r), os.path.exists('/etc/shadow'))"
                       % os.path.join(sys.argv[1], 'nbgrader_config.py'),
                       output_hook=lambda m: seen.append(m['content'].get('text', '')), timeout=60)
km.shutdown_kernel(now=True)
print(config.Execute.kernel_name, ''.join(seen))
"""


def test_the_autograde_button_starts_trainees_kernels_in_the_sandbox(hub):
    """What formgrader's Autograde starts, as the course account: the sandboxed kernel of the course config."""
    a = hub["a"]
    work = a.folder / "autograded" / "dh002" / "m01"
    work.mkdir(parents=True)
    grader = pwd.getpwnam(a.grader)
    for path in (work, work.parent):
        os.chown(path, grader.pw_uid, grader.pw_gid)
    state = a.folder / ".jiuzhu" / "grader"
    python = Path(os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")) / "bin" / "python"
    done = subprocess.run(["runuser", "-u", a.grader, "--", "env", f"HOME={state}", str(python), "-c", AUTOGRADE_KERNEL,
                           str(a.folder), str(work)], capture_output=True, text=True, timeout=300, cwd=str(a.folder))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "jiuzhu-sandbox SEES False False" in done.stdout, done.stdout          # no course files, no /etc/shadow


def _jiuzhu(*args: str) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, timeout=600,
                          cwd=REPO, env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})


def test_on_the_hub_a_forged_submission_is_refused_and_named(hub):
    """Trainee 1 submits with nbgrader as their own account; trainee 2 writes an entry in 1's name."""
    from toolkit.hub.accounts import ensure_account

    env, a = hub, hub["a"]
    one, two = f"{env['tag']}-t1", f"{env['tag']}-t2"
    for user in (one, two):
        ensure_account(env["hub"], user)
        env["made"].append(user)
    exercise = "m01_means_test"
    for step in ("build", "release"):
        done = _jiuzhu("course", step, exercise, "--course", str(a.folder))
        assert done.returncode == 0, done.stderr
    runtime = Path(os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")) / "bin" / "nbgrader"
    exchange = env["hub"].exchange
    options = [f"--Exchange.root={exchange}", "--Exchange.path_includes_course=True", f"--course={a.id}",
               "--ExchangeFactory.submit=toolkit.training.course.inbound.OwnEntrySubmit"]
    home = Path(pwd.getpwnam(one).pw_dir)
    for command in ("fetch_assignment", "submit"):
        done = subprocess.run(["runuser", "-u", one, "--", "env", f"HOME={home}", str(runtime), command, exercise,
                               *options], cwd=home, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-1500:]
    inbound = exchange / a.id / "inbound"
    [honest] = [p for p in inbound.iterdir() if p.name.startswith(f"{one}+")]
    assert stat.S_IMODE(honest.stat().st_mode) == 0o755                 # nobody else can write into it
    forged = inbound / f"{one}+{exercise}+2099-01-01 00:00:00.000000 UTC+forged"
    script = (f"mkdir '{forged}' && printf '%s' '2099-01-01 00:00:00.000000 UTC' > '{forged}/timestamp.txt' && "
              f"cp '{honest}/{exercise}.ipynb' '{forged}/' 2>/dev/null || true; touch '{honest}/planted' 2>&1 || true")
    subprocess.run(["runuser", "-u", two, "--", "/bin/sh", "-c", script], capture_output=True, text=True)
    assert forged.is_dir() and not (honest / "planted").exists()
    collected = _jiuzhu("course", "collect", exercise, "--course", str(a.folder))
    assert collected.returncode == 1, collected.stdout + collected.stderr
    assert f"{exercise}：已收取 1 份作业" in collected.stdout
    assert "拒收 1 份" in collected.stdout and forged.name in collected.stdout
    assert f"属于账号 {two}，不属于提交人 {one}" in collected.stdout
    kept = a.folder / "submitted" / one / exercise / "timestamp.txt"
    assert kept.read_text() != "2099-01-01 00:00:00.000000 UTC"          # the honest one, not the forgery

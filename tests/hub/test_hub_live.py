"""Issue 25 on a real hub with real system accounts: `jiuzhu hub start` run as an IT office runs it.

One hub (`jiuzhu hub start` in its own process, as systemd would run it) with one course and three
trainees who log in, start their servers and kernels.  Then, in order: a second start is refused
(exit 2, naming the running hub's pid and port); the login page, its error and the hub home are
Chinese; a fourth trainee is added while the three work (their servers and kernels keep their
process ids) and logs in; the account list carries the bound URL and the earlier passwords; a
removed trainee cannot log in; SIGTERM to `jiuzhu hub start` leaves no process it started.
Accounts are prefixed ``hh`` and deleted at the end.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RUNTIME = os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")


def need_root() -> None:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("培训平台测试需要 root（为每位学员创建系统账号）", pytrace=False)
        pytest.skip("培训平台测试需要 root")


def jiuzhu(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        pytest.fail(f"jiuzhu {' '.join(args)}: {result.returncode}\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result


def write_roster(path: Path, users: list[str]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["学员编号", "姓名", "街镇", "村居"])
    for index, user in enumerate(users):
        workbook.active.append([user, f"测试学员{index}", "东湖街道", "东湖社区"])
    workbook.save(path)
    return path


def account_list(path: Path) -> tuple[str, dict[str, str]]:
    """(the 登录网址 line, login → password) of 账号清单.xlsx."""
    from openpyxl import load_workbook

    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "登录账号") + 1
    return rows[1][0], {r[0]: r[1] for r in rows[start:] if r and r[0]}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, launcher: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert launcher.poll() is None, launcher.stdout.read() if launcher.stdout else ""
        try:
            if requests.get(f"{url}/hub/api", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail("hub not ready", pytrace=False)


def log_in(url: str, user: str, password: str) -> requests.Session | None:
    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=60)
    reply = session.post(f"{url}/hub/login?next=/hub/home", allow_redirects=False, timeout=60,
                         data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf")})
    return session if reply.status_code == 302 else None


def start_working(url: str, user: str, password: str) -> dict:
    """Log in, start the server and a kernel (as the trainee's browser does); their ids."""
    session = log_in(url, user, password)
    assert session is not None, user
    xsrf = {"X-XSRFToken": session.cookies.get("_xsrf")}
    token = session.post(f"{url}/hub/api/users/{user}/tokens", json={"note": "test"}, headers=xsrf,
                         timeout=60).json()["token"]
    auth = {"Authorization": f"token {token}"}
    requests.post(f"{url}/hub/api/users/{user}/server", headers=auth, timeout=60)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        server = (requests.get(f"{url}/hub/api/users/{user}", headers=auth, timeout=60).json().get("servers") or {}).get("")
        if server and server.get("ready"):
            break
        time.sleep(0.5)
    kernel = requests.post(f"{url}/user/{user}/api/kernels", json={"name": "python3"}, headers=auth, timeout=120)
    kernel.raise_for_status()
    return {"auth": auth, "kernel": kernel.json()["id"], "pids": pids_of(user)}


def pids_of(user: str) -> set[int]:
    """Living processes of ``user`` (a zombie has exited: only init may reap it)."""
    uid = pwd.getpwnam(user).pw_uid
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid and not fields.get("State", "").startswith("Z"):
            found.add(int(status.parent.name))
    return found


@pytest.fixture(scope="module")
def live():
    need_root()
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh")], check=True, capture_output=True)
    from toolkit.hub.accounts import delete_account
    from toolkit.hub.layout import open_hub

    tag = "hh" + secrets.token_hex(2)
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-live-", dir="/tmp"))
    root.chmod(0o755)
    course = f"{tag}-qu"
    port = free_port()
    (root / "hub.yaml").write_text(
        f"bind: 127.0.0.1:8000\nruntime: {RUNTIME}\nidle_timeout: 0\n"
        f"courses:\n  - {{id: {course}, title: 区级培训, audience: 街镇工作人员, trainers: []}}\n", encoding="utf-8")
    hub = open_hub(root)
    users = [f"{tag}-{i}" for i in range(1, 5)]
    made = [*users, f"grader-{course}"]
    launcher = None
    try:
        jiuzhu("course", "roster", "import", str(write_roster(root / "roster.xlsx", users[:3])),
               "--course", str(hub.course(course).folder))
        jiuzhu("hub", "accounts", "--course", course, "--root", str(root))
        url = f"http://127.0.0.1:{port}"
        log = open(root / "launcher.log", "w")
        launcher = subprocess.Popen([sys.executable, "-m", "toolkit", "hub", "start", "--root", str(root),
                                     "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        wait_ready(url, launcher)
        yield {"root": root, "hub": hub, "course": course, "url": url, "port": port, "users": users,
               "launcher": launcher, "log": root / "launcher.log"}
    finally:
        if launcher is not None and launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(120)
        for user in made:
            delete_account(user)
        shutil.rmtree(root, ignore_errors=True)


def test_the_hub_an_it_office_runs(live):
    url, root, course, users = live["url"], live["root"], live["course"], live["users"]
    _, passwords = account_list(root / f"{course}-账号清单.xlsx")
    assert all(pwd.getpwnam(u).pw_shell == "/usr/sbin/nologin" for u in users[:3])     # no login shell

    # A second start is refused: exit 2, in Chinese, naming the running hub's pid and port.
    again = jiuzhu("hub", "start", "--root", str(root), "--bind", f"127.0.0.1:{live['port']}", check=False)
    assert again.returncode == 2 and str(live["launcher"].pid) in again.stderr and str(live["port"]) in again.stderr
    assert "已在运行" in again.stderr and "Traceback" not in again.stderr
    other = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-other-", dir="/tmp"))
    try:                                  # another hub folder on the same port
        taken = jiuzhu("hub", "start", "--root", str(other), "--bind", f"127.0.0.1:{live['port']}", check=False)
        assert taken.returncode == 2 and f"端口 {live['port']} 已被占用" in taken.stderr, taken.stderr
    finally:
        shutil.rmtree(other, ignore_errors=True)

    # The login page, its error and the hub home are Chinese.
    page = requests.get(f"{url}/hub/login", timeout=60).content.decode("utf-8")
    assert "登录账号" in page and "密码" in page and "Sign in" not in page and "Username" not in page
    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=60)
    wrong = session.post(f"{url}/hub/login", timeout=60, data={"username": users[0], "password": "wrong-one",
                                                                "_xsrf": session.cookies.get("_xsrf")})
    wrong = wrong.content.decode("utf-8")
    assert "登录账号或密码不正确" in wrong and "Invalid username" not in wrong

    # Three trainees mid-exercise: servers and kernels running.
    working = {u: start_working(url, u, passwords[u]) for u in users[:3]}
    home = log_in(url, users[0], passwords[users[0]]).get(f"{url}/hub/home", timeout=60).content.decode("utf-8")
    assert "停止我的服务器" in home and "进入我的练习" in home and "首页" in home and "退出登录" in home
    for english in ("Stop My Server", "My Server", "Token", "Services", "Logout"):
        assert english not in home, english

    # A fourth trainee joins the roster and gets an account while the hub runs.
    jiuzhu("course", "roster", "import", str(write_roster(root / "roster.xlsx", users)),
           "--course", str(live["hub"].course(course).folder))
    jiuzhu("hub", "accounts", "--course", course, "--root", str(root))
    line, after = account_list(root / f"{course}-账号清单.xlsx")
    assert f"http://127.0.0.1:{live['port']}/" in line              # the bound URL, not hub.yaml's :8000
    assert {u: after[u] for u in users[:3]} == {u: passwords[u] for u in users[:3]}   # earlier passwords kept
    assert after[users[3]] and log_in(url, users[3], after[users[3]]) is not None     # logs in at once
    for user, before in working.items():          # nobody's server or kernel restarted
        assert before["pids"] <= pids_of(user), user
        kernels = requests.get(f"{url}/user/{user}/api/kernels", headers=before["auth"], timeout=60).json()
        assert before["kernel"] in [k["id"] for k in kernels], user

    # A removed trainee cannot log in; the others keep working.
    removed = jiuzhu("hub", "accounts", "remove", users[2], "--root", str(root))
    assert "已停用 1 个账号" in removed.stdout
    assert log_in(url, users[2], passwords[users[2]]) is None
    assert not has_account(users[2])
    for user in users[:2]:
        assert working[user]["pids"] <= pids_of(user)
    again = jiuzhu("hub", "accounts", "--course", course, "--root", str(root))
    assert users[2] in again.stdout and "没有重新开设" in again.stdout
    _, final = account_list(root / f"{course}-账号清单.xlsx")
    assert final[users[2]] is None and final[users[0]] == passwords[users[0]]

    # SIGTERM to `jiuzhu hub start` stops every process it started.
    started = descendants(live["launcher"].pid)
    assert len(started) >= 6             # hub, proxy, formgrader, members/none, servers, kernels
    live["launcher"].send_signal(signal.SIGTERM)
    assert live["launcher"].wait(120) == 0
    assert [p for p in started if alive(p)] == []
    for user in users[:2] + users[3:]:
        left = {p: Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:200] for p in pids_of(user)}
        assert left == {}, user
    assert not (root / "state" / "jiuzhu-hub.pid").exists()
    assert "培训平台已停止" in live["log"].read_text(encoding="utf-8")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/hub/api", timeout=5)


def has_account(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


def descendants(pid: int) -> list[int]:
    from toolkit.hub.server import descendants as below

    return below(pid)


def alive(pid: int) -> bool:
    from toolkit.hub.server import _alive

    return _alive(pid)

"""Many trainees at once on a real `jiuzhu hub`: spawn time, answer-save latency, memory.

Drives N trainees against a throw-away hub over its REST and websocket APIs, as their browsers
would: log in with the account's password (PAM), start the trainee's server, start a kernel,
and save answers there through the same call the answer cards make
(``toolkit.training.trainee.answers.save_answer``), several times per trainee, all trainees at once.
Trainees join in stages (e.g. 1, 10, 20, 40); each stage reports

  spawn time (median / max of the servers started in that stage),
  answer-save latency of every active trainee saving at once (median, p95),
  memory per active trainee (resident memory of all processes of the trainees' accounts / N),

and the largest N at which every trainee's server ran and every save succeeded.  Aim (issue 11):
40 active trainees on 2 cores / 24 GiB with p95 ≤ 0.5 s.  Issue 25 adds

  a login burst: every trainee logs in through the login form (PAM) within ``--burst-seconds``
  (default 60), spread evenly, as a class does at 9:00 (login time median / p95 / max, failures);
  CPU per active trainee while everyone saves (their processes' CPU time / wall time);
  the projected number of active trainees on a 32 GiB / 8-core server: memory (less 4 GiB for
  the system, the hub and the formgraders) / memory per active trainee, and 8 cores / CPU per
  trainee at that activity, whichever is smaller.  With idle culling (hub.yaml ``idle_timeout``)
  only trainees active within that time hold a server: the projection is of those, not of the
  accounts.

Issue 27 adds the cadres' app (Voilà): with every trainee's server running, all active trainees open
the app at once in Chromium (one browser, a context each, a 390×844 phone viewport) and the bench
prints the time to first render of 我的练习 (navigation → the page's title on screen, → the exercise's
row with its button) and of the exercise page (tap on that button → the first answer card on screen):
median / p95 / max.
Aim (issue 27): the exercise page within 3 s.

Printed, never asserted.

Needs root (one system account per trainee, deleted at the end).  Everything it starts is stopped
by its own process id.  Usage::

    python bench/hub_load.py --trainees 40 [--saves 5] [--stages 1,10,20,40] [--burst-seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_EXERCISE = "m01_means_test"
SAVE_CODE = ("import os\nos.makedirs('bench-m01', exist_ok=True)\n"
             "from toolkit.training.trainee.answers import save_answer\n"
             "save_answer('bench-m01', 'm01_means_test', {user!r}, 'q2', '{value}元')")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --------------------------------------------------------------------------- one trainee, over HTTP

def log_in_and_token(url: str, user: str, password: str) -> str:
    """Log in through the hub's login form (as a browser does) and ask for an API token."""
    import requests

    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=60)
    xsrf = session.cookies.get("_xsrf")
    reply = session.post(f"{url}/hub/login?next=/hub/home", data={"username": user, "password": password,
                                                                   "_xsrf": xsrf}, allow_redirects=False, timeout=60)
    if reply.status_code != 302:
        raise RuntimeError(f"login of {user} answered {reply.status_code}")
    reply = session.post(f"{url}/hub/api/users/{user}/tokens", json={"note": "hub_load", "expires_in": 3600},
                         headers={"X-XSRFToken": session.cookies.get("_xsrf") or xsrf}, timeout=60)
    reply.raise_for_status()
    return reply.json()["token"]


def start_server(url: str, user: str, token: str, timeout: float = 300) -> float:
    """Start the trainee's server through the REST API; seconds until the hub says it is ready."""
    import requests

    headers = {"Authorization": f"token {token}"}
    started = time.perf_counter()
    reply = requests.post(f"{url}/hub/api/users/{user}/server", headers=headers, timeout=60)
    if reply.status_code not in (201, 202, 400):          # 400: already running
        raise RuntimeError(f"spawn of {user} answered {reply.status_code}: {reply.text[:200]}")
    while time.perf_counter() - started < timeout:
        model = requests.get(f"{url}/hub/api/users/{user}", headers=headers, timeout=60).json()
        server = (model.get("servers") or {}).get("")
        if server and server.get("ready"):
            return time.perf_counter() - started
        time.sleep(0.25)
    raise RuntimeError(f"server of {user} not ready after {timeout:.0f} s")


def start_kernel(url: str, user: str, token: str) -> str:
    import requests

    reply = requests.post(f"{url}/user/{user}/api/kernels", json={"name": "python3"},
                          headers={"Authorization": f"token {token}"}, timeout=120)
    reply.raise_for_status()
    return reply.json()["id"]


# --------------------------------------------------------------------------- answers over the websocket

def _message(code: str, session: str) -> dict:
    msg_id = uuid.uuid4().hex
    date = datetime.now(timezone.utc).isoformat()
    return {"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "", "session": session,
                       "date": date, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}


async def save_answers(url: str, user: str, token: str, kernel: str, saves: int, start_gate: asyncio.Event,
                       timeout: float = 120) -> list[float]:
    """Seconds per save (execute_request sent → execute_reply ok received), ``saves`` times."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    ws_url = url.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel}/channels"
    connection = await asyncio.wait_for(websocket_connect(HTTPRequest(
        ws_url, headers={"Authorization": f"token {token}"})), timeout)
    session = uuid.uuid4().hex
    latencies = []
    try:
        await start_gate.wait()
        for index in range(saves):
            message = _message(SAVE_CODE.format(user=user, value=1500 + index), session)
            sent = time.perf_counter()
            await connection.write_message(json.dumps(message))
            while True:
                raw = await asyncio.wait_for(connection.read_message(), timeout)
                if raw is None:
                    raise RuntimeError(f"kernel of {user} closed the websocket")
                reply = json.loads(raw)
                if (reply.get("parent_header", {}).get("msg_id") == message["header"]["msg_id"]
                        and reply.get("msg_type") == "execute_reply"):
                    if reply["content"].get("status") != "ok":
                        raise RuntimeError(f"save of {user} failed: {reply['content'].get('evalue')}")
                    latencies.append(time.perf_counter() - sent)
                    break
    finally:
        connection.close()
    return latencies


async def all_save(url: str, active: dict[str, tuple[str, str]], saves: int) -> tuple[list[float], list[str]]:
    gate = asyncio.Event()
    tasks = {user: asyncio.create_task(save_answers(url, user, token, kernel, saves, gate))
             for user, (token, kernel) in active.items()}
    await asyncio.sleep(0.5)          # every websocket opened before anyone saves
    gate.set()
    latencies, failures = [], []
    for user, task in tasks.items():
        try:
            latencies += await task
        except Exception as err:      # noqa: BLE001 - a failing trainee is reported, not fatal
            failures.append(f"{user}: {err}")
    return latencies, failures


# --------------------------------------------------------------------------- the cadres' app in a browser

CHROMIUM = os.environ.get("JIUZHU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
APP_TITLE = "我的练习"                       # the app's first page is on screen
OPEN_EXERCISE = re.compile("^(开始|继续作答)$")   # the exercise's next-step button on 我的练习
FIRST_CARD = ".widget-vbox:has(> .widget-html:has-text('第1题（'))"


async def _one_cadre(browser, url: str, user: str, password: str, ready: asyncio.Event, gate: asyncio.Event,
                     timeout: float) -> tuple[float, float, float]:
    """Log in (server already running); then, on the gate, open the app: seconds until 我的练习's title,
    until the exercise's row (its button), and from the tap until the exercise's first card."""
    from toolkit.training.app import app_url

    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                        service_workers="block", is_mobile=True, has_touch=True)
    context.set_default_timeout(timeout * 1000)
    try:
        page = await context.new_page()
        try:
            await page.goto(f"{url}/hub/login?next=%2Fhub%2Fhome")      # not the app yet: it is timed below
            await page.fill("#username_input", user)
            await page.fill("#password_input", password)
            await page.click("#login_submit")
            await page.wait_for_url(f"{url}/hub/home")
        finally:
            ready.set()
        await gate.wait()
        try:
            begun = time.perf_counter()
            await page.goto(f"{url}/user/{user}{app_url()}")
            await page.get_by_text(APP_TITLE).first.wait_for()
            titled = time.perf_counter() - begun
            button = page.get_by_role("button", name=OPEN_EXERCISE).first
            await button.wait_for()
            listed = time.perf_counter() - begun
            begun = time.perf_counter()
            await button.click()
            await page.locator(FIRST_CARD).first.wait_for()
            return titled, listed, time.perf_counter() - begun
        except Exception as err:
            shown = " ".join((await page.locator("body").inner_text(timeout=5000)).split())[:160]
            raise RuntimeError(f"{type(err).__name__} at {page.url}; the page showed: {shown!r}") from None
    finally:
        await context.close()


async def _all_cadres(url: str, passwords: dict[str, str], users: list[str], timeout: float):
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            gate, ready = asyncio.Event(), [asyncio.Event() for _ in users]
            tasks = [asyncio.create_task(_one_cadre(browser, url, u, passwords[u], r, gate, timeout))
                     for u, r in zip(users, ready)]
            await asyncio.gather(*(r.wait() for r in ready))    # everyone logged in before anyone opens the app
            gate.set()
            return await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await browser.close()


def app_render(url: str, passwords: dict[str, str], users: list[str], say=print, timeout: float = 120) -> dict:
    """Every user (their server running) opens the app at once; times to first render, printed."""
    results = run_coroutine(_all_cadres(url, passwords, users, timeout))
    done = [r for r in results if not isinstance(r, BaseException)]
    failures = [f"{u}: {r!r}"[:200] for u, r in zip(users, results) if isinstance(r, BaseException)]
    row = {"cadres": len(users), "failures": failures}
    for index, name in enumerate(("title", "list", "exercise")):
        times = [r[index] for r in done]
        row.update({f"{name}_median": statistics.median(times) if times else float("nan"),
                    f"{name}_p95": percentile(times, 0.95), f"{name}_max": max(times, default=float("nan"))})
    shown = "; ".join(f"{label} median {row[f'{name}_median']:.2f} s, p95 {row[f'{name}_p95']:.2f} s, "
                      f"max {row[f'{name}_max']:.2f} s" for name, label in
                      (("title", "我的练习 title"), ("list", "its exercise row"), ("exercise", "exercise page")))
    say(f"app, {row['cadres']} cadres at once (390×844): {shown} (aim: exercise page <= 3 s)"
        + (f"  FAILED: {'; '.join(failures)[:300]}" if failures else ""))
    return row


# --------------------------------------------------------------------------- memory

def trainee_cpu_seconds(users: list[str]) -> float:
    """User + system CPU time of every process of the trainees' accounts (seconds)."""
    uids = {pwd.getpwnam(u).pw_uid for u in users}
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if proc.stat().st_uid not in uids:
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


SERVER_GIB, SERVER_CORES, RESERVE_GIB = 32, 8, 4


def projection(mib_per_trainee: float, cores_per_trainee: float) -> dict:
    """Active trainees a 32 GiB / 8-core server holds at the measured memory and CPU per trainee."""
    by_memory = (SERVER_GIB - RESERVE_GIB) * 1024 / mib_per_trainee if mib_per_trainee > 0 else float("inf")
    by_cpu = SERVER_CORES / cores_per_trainee if cores_per_trainee > 0 else float("inf")
    return {"by_memory": int(by_memory), "by_cpu": int(min(by_cpu, 10 ** 6)), "active": int(min(by_memory, by_cpu))}


def login_burst(url: str, passwords: dict[str, str], seconds: float, say=print) -> dict:
    """Every trainee logs in through the login form within ``seconds``, spread evenly."""
    users = sorted(passwords)
    gap = seconds / max(1, len(users))
    started = time.perf_counter()

    def one(index_user: tuple[int, str]) -> float:
        index, user = index_user
        time.sleep(max(0.0, started + index * gap - time.perf_counter()))
        begun = time.perf_counter()
        log_in_and_token(url, user, passwords[user])
        return time.perf_counter() - begun

    times, failures = [], []
    with ThreadPoolExecutor(max_workers=min(32, len(users))) as pool:
        for future in [pool.submit(one, item) for item in enumerate(users)]:
            try:
                times.append(future.result())
            except Exception as err:      # noqa: BLE001 - reported, not fatal
                failures.append(str(err))
    row = {"logins": len(times), "median": statistics.median(times) if times else float("nan"),
           "p95": percentile(times, 0.95), "max": max(times, default=float("nan")),
           "wall": time.perf_counter() - started, "failures": failures}
    say(f"login burst: {row['logins']} of {len(users)} trainees logged in within {row['wall']:.1f} s "
        f"(login median {row['median']:.2f} s, p95 {row['p95']:.2f} s, max {row['max']:.2f} s)"
        + (f"  FAILED: {'; '.join(failures)[:300]}" if failures else ""))
    return row


def trainee_memory_mib(users: list[str]) -> float:
    """Resident memory of every process owned by the trainees' accounts (servers and kernels)."""
    uids = {pwd.getpwnam(u).pw_uid for u in users}
    total_kib = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) in uids and "VmRSS" in fields:
            total_kib += int(fields["VmRSS"].split()[0])
    return total_kib / 1024


# --------------------------------------------------------------------------- the run

def make_hub(trainees: int):
    """A throw-away hub with one course and ``trainees`` accounts; returns (hub, passwords, users)."""
    from openpyxl import Workbook

    from toolkit.hub.accounts import make_accounts
    from toolkit.hub.layout import open_hub

    tag = "jl" + secrets.token_hex(2)
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-load-", dir="/tmp"))
    root.chmod(0o755)
    runtime = os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")
    (root / "hub.yaml").write_text(f"bind: 127.0.0.1:0\nruntime: {runtime}\ncourses:\n"
                                   f"  - {{id: {tag}-qu, title: 区级培训, trainers: []}}\n", encoding="utf-8")
    hub = open_hub(root)
    course = hub.courses[0]
    users = [f"{tag}-{i:03d}" for i in range(1, trainees + 1)]
    workbook = Workbook()
    workbook.active.append(["学员编号", "姓名", "街镇", "村居"])
    for user in users:
        workbook.active.append([user, "测试学员", "东湖街道", "东湖社区"])
    roster = root / "roster.xlsx"
    workbook.save(roster)
    from toolkit.training.course.course import import_roster

    import_roster(course.folder, roster)
    for step in ("build", "release"):        # one released exercise: what the app lists and opens
        subprocess.run([sys.executable, "-m", "toolkit", "course", step, APP_EXERCISE, "--course", str(course.folder)],
                       check=True, capture_output=True)
    _, accounts = make_accounts(hub, course.id)
    return hub, {a.user: a.password for a in accounts}, users


def stages_for(trainees: int, given: str | None) -> list[int]:
    if given:
        return sorted({min(trainees, int(s)) for s in given.split(",") if s.strip()})
    return sorted({1, max(1, trainees // 4), max(1, trainees // 2), trainees})


def run(trainees: int, saves: int, stages: list[int], say=print, burst_seconds: float = 60.0) -> dict:
    from toolkit.hub.accounts import delete_account
    from toolkit.hub.server import HubProcess
    from toolkit.training.course.course import ensure_venv_on_path

    ensure_venv_on_path()
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh")], check=True, capture_output=True)
    hub, passwords, users = make_hub(trainees)
    process = HubProcess(hub, "127.0.0.1:0")
    results = {"stages": [], "held": 0, "users": users}
    try:
        started = time.perf_counter()
        process.start()
        say(f"hub ready in {time.perf_counter() - started:.1f} s at {process.url} ({trainees} accounts)")
        results["burst"] = login_burst(process.url, passwords, burst_seconds, say)
        active: dict[str, tuple[str, str]] = {}
        pool = ThreadPoolExecutor(max_workers=8)
        for stage in stages:
            joining = users[len(active):stage]

            def join(user: str) -> tuple[str, str, str, float]:
                token = log_in_and_token(process.url, user, passwords[user])
                seconds = start_server(process.url, user, token)
                return user, token, start_kernel(process.url, user, token), seconds

            spawned, failures = [], []
            for future in [pool.submit(join, u) for u in joining]:
                try:
                    user, token, kernel, seconds = future.result()
                    active[user] = (token, kernel)
                    spawned.append(seconds)
                except Exception as err:   # noqa: BLE001
                    failures.append(str(err))
            cpu_before, wall_before = trainee_cpu_seconds(list(active)), time.perf_counter()
            latencies, save_failures = run_coroutine(all_save(process.url, active, saves))
            cores = ((trainee_cpu_seconds(list(active)) - cpu_before) / (time.perf_counter() - wall_before)
                     / max(1, len(active)))
            memory = trainee_memory_mib(list(active))
            row = {"active": len(active), "spawn_median": statistics.median(spawned) if spawned else float("nan"),
                   "spawn_max": max(spawned, default=float("nan")),
                   "save_median": statistics.median(latencies) if latencies else float("nan"),
                   "save_p95": percentile(latencies, 0.95), "saves": len(latencies),
                   "mib_per_trainee": memory / max(1, len(active)), "cores_per_trainee": cores,
                   "failures": failures + save_failures}
            results["stages"].append(row)
            held = not row["failures"] and len(active) == stage
            if held:
                results["held"] = len(active)
            say(f"{row['active']:>4} active  spawn median {row['spawn_median']:6.1f} s  max {row['spawn_max']:6.1f} s  "
                f"save median {row['save_median'] * 1000:7.1f} ms  p95 {row['save_p95'] * 1000:7.1f} ms  "
                f"({row['saves']} saves)  memory {row['mib_per_trainee']:6.1f} MiB/trainee  "
                f"CPU {row['cores_per_trainee']:.3f} cores/trainee while saving"
                + ("" if held else f"  NOT HELD: {'; '.join(row['failures'])[:300]}"))
            if not held:
                break
        pool.shutdown()
        results["app"] = app_render(process.url, passwords, list(active), say)
        say(f"largest N held: {results['held']} of {trainees} (aim: 40 active, save p95 <= 0.5 s)")
        last = results["stages"][-1]
        results["projection"] = projection(last["mib_per_trainee"], last["cores_per_trainee"])
        say(f"projected on a {SERVER_GIB} GiB / {SERVER_CORES}-core server with idle culling: "
            f"{results['projection']['active']} active trainees (memory allows {results['projection']['by_memory']}, "
            f"CPU while everyone saves allows {results['projection']['by_cpu']}; {RESERVE_GIB} GiB kept for the "
            f"system and the hub; accounts beyond this only cost memory while active within idle_timeout)")
    finally:
        process.stop()
        for user in users:
            delete_account(user)
        for course in hub.courses:
            delete_account(course.grader)
        shutil.rmtree(hub.root, ignore_errors=True)
    return results



def run_coroutine(coroutine):
    """``asyncio.run`` in a thread of its own: the caller may already run an event loop (e.g. a
    test process where playwright's sync API has one)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# seconds rather than minutes (tests/test_bench.py): one trainee, two saves
TINY_ARGS = ["--trainees", "1", "--saves", "2", "--stages", "1", "--burst-seconds", "1"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=40, help="trainees at the last stage (default 40)")
    parser.add_argument("--saves", type=int, default=5, help="answer saves per trainee per stage (default 5)")
    parser.add_argument("--stages", help="comma-separated active counts, e.g. 1,10,20,40")
    parser.add_argument("--burst-seconds", type=float, default=60.0,
                        help="every trainee logs in within this many seconds first (default 60)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub_load needs root: it creates one system account per trainee", file=sys.stderr)
        return 2
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    run(args.trainees, args.saves, stages_for(args.trainees, args.stages), burst_seconds=args.burst_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

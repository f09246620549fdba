"""A throw-away `jiuzhu hub` for the browser tests that go through a real JupyterHub and its proxy.

:func:`district_hub` lays out a hub folder in /tmp with the courses given, builds and releases the
exercises, imports each course's roster, makes the system accounts (their first passwords read back
from 账号清单.xlsx, as a trainer hands them out) and starts JupyterHub.  Everything it starts is
stopped by its own process id and every account it made is deleted at the end.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from e2e_support import REPO, SHOTS, NetworkGuard, run_jiuzhu


def need_root() -> None:
    if os.geteuid() == 0:
        return
    message = "培训平台测试需要 root（为每位学员创建系统账号）。"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def write_roster(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["学员编号", "姓名", "街镇", "村居"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def account_passwords(xlsx: Path) -> dict[str, str]:
    """Login → first password, read from the account list the trainer hands out."""
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "登录账号") + 1
    return {r[0]: r[1] for r in rows[start:] if r and r[0]}


@contextmanager
def district_hub(prefix: str, courses: list[dict], rosters: dict[str, list[tuple[str, str, str]]],
                 released: dict[str, list[str]]):
    """A running hub: ``courses`` are hub.yaml entries whose ``id`` and ``trainers`` are suffixes
    (the run's tag is put in front), ``rosters`` maps a course suffix to (trainee suffix, name, town,
    village) rows, ``released`` a course suffix to the exercises built and released there.

    Yields a dict: hub (layout), url, process, tag, courses (suffix → Course), passwords, trainees
    (course suffix → logins)."""
    need_root()
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh")], check=True, capture_output=True)
    from toolkit.hub.accounts import delete_account, make_accounts
    from toolkit.hub.layout import open_hub
    from toolkit.hub.server import HubProcess

    tag = prefix + secrets.token_hex(2)       # accounts of this run only
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-", dir="/tmp"))
    root.chmod(0o755)
    entries = "".join(
        "  - {" + ", ".join([f"id: {tag}-{c['id']}", *(f"{k}: {v}" for k, v in c.items() if k not in ("id", "trainers")),
                             "trainers: [" + ", ".join(f"{tag}-{t}" for t in c.get("trainers", ())) + "]"]) + "}\n"
        for c in courses)
    (root / "hub.yaml").write_text(
        f"bind: 127.0.0.1:0\nruntime: {os.environ.get('JIUZHU_HUB_RUNTIME_DIR', '/opt/jiuzhu-hub')}\n"
        f"courses:\n{entries}", encoding="utf-8")
    made: list[str] = []
    process = None
    try:
        layout = open_hub(root)
        passwords, trainees = {}, {}
        for spec in courses:
            course = layout.course(f"{tag}-{spec['id']}")
            folder = str(course.folder)
            for exercise in released.get(spec["id"], ()):
                run_jiuzhu("course", "build", exercise, "--course", folder)
                run_jiuzhu("course", "release", exercise, "--course", folder)
            rows = [(f"{tag}-{user}", name, town, village) for user, name, town, village in rosters[spec["id"]]]
            trainees[spec["id"]] = [row[0] for row in rows]
            xlsx = write_roster(root / f"{course.id}-roster.xlsx", rows)
            run_jiuzhu("course", "roster", "import", str(xlsx), "--course", folder)
            account_list, accounts = make_accounts(layout, course.id)
            made += [a.user for a in accounts]
            assert account_list.stat().st_mode & 0o077 == 0          # first passwords: trainer only
            passwords.update(account_passwords(account_list))
        made += [c.grader for c in layout.courses]
        process = HubProcess(layout, "127.0.0.1:0").start()
        yield {"hub": layout, "url": process.url, "process": process, "tag": tag, "passwords": passwords,
               "courses": {spec["id"]: layout.course(f"{tag}-{spec['id']}") for spec in courses},
               "trainees": trainees}
    finally:
        if process is not None:
            process.stop()
            assert process.process.poll() is not None
        for user in made:
            delete_account(user)
        shutil.rmtree(root, ignore_errors=True)


def new_page(browser, guards: list, width: int = 1400, height: int = 900, **options):
    """A page of a new browser context (own cookies) whose requests never leave the machine."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  service_workers="block", **options)
    context.set_default_timeout(60_000)
    guard = NetworkGuard()
    guard.install(context)
    guards.append(guard)
    return context.new_page()


def fill_login(page, url: str, user: str, password: str) -> None:
    """The hub's (Chinese) login form, as a trainee fills it in."""
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")


def shoot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def shoot_every_page(browser, prefix: str) -> None:
    """What each browser context showed (when a scenario failed)."""
    for index, context in enumerate(browser.contexts):
        for number, open_page in enumerate(context.pages):
            shoot(open_page, f"FAILED-{prefix}-{index}-{number}")

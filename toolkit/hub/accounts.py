"""One system account per trainee and trainer, created from the course roster.

A system account per person is what keeps identities apart on a hub: nbgrader names a
submission after the system user, and home folders (mode 0700) keep one trainee's work out of
another's reach.  Passwords are set with ``chpasswd``, so only their hashes (``/etc/shadow``)
are stored; the clear text appears once, in 账号清单.xlsx (new accounts) or on the trainer's
screen (a reset).  Every account made here belongs to the system group ``jiuzhu-hub``; nothing
else is ever changed or deleted.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import secrets
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit.errors import InputError, UserError, ValidationFailed
from toolkit.hub.layout import Course, Hub
from toolkit.hub.messages import TEXT
from toolkit.privacy import mask_name

GROUP = "jiuzhu-hub"
ACCOUNT = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"      # no 0/o, 1/l/i: read aloud or typed from paper
PASSWORD_LENGTH = 10
ACCOUNT_LIST_MODE = 0o600     # clear-text first passwords: the trainer's eyes only, from the first byte


@dataclass(frozen=True)
class Account:
    user: str
    role: str                 # "trainee" | "trainer"
    name: str = ""            # full name (roster); shown masked
    town: str = ""
    village: str = ""
    password: str = ""        # clear text only for an account made just now
    created: bool = False


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


def _run(args: list[str], stdin: str | None = None) -> None:
    result = subprocess.run(args, input=stdin, text=True, capture_output=True)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"状态 {result.returncode}"]
        raise UserError(TEXT["tool_failed"].format(tool=args[0], reason=reason[0]))


def _require_root() -> None:
    if os.geteuid() != 0:
        raise UserError(TEXT["not_root"])


def is_ours(user: str) -> bool:
    """True when ``user`` is a system account made by this module (member of ``jiuzhu-hub``)."""
    try:
        pwd.getpwnam(user)
        return user in grp.getgrnam(GROUP).gr_mem
    except KeyError:
        return False


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


def check_names(users: list[str]) -> None:
    """Every name must be a valid, not-foreign system account name; all problems at once."""
    problems = []
    for user in users:
        if not ACCOUNT.match(user):
            problems.append(str(InputError("学员编号", user, TEXT["bad_account"], TEXT["bad_account_fix"])))
        elif _exists(user) and not is_ours(user):
            problems.append(str(InputError("学员编号", user, TEXT["system_account"], TEXT["system_account_fix"])))
    if problems:
        raise ValidationFailed("以下账号无法创建，未创建任何账号：", problems=problems)


def ensure_account(hub: Hub, user: str) -> str | None:
    """Create ``user`` (home ``<hub>/homes/<user>``, mode 0700) if missing; its new password."""
    if _exists(user):
        return None
    _ensure_group()
    home = hub.homes / user
    _run(["useradd", "--create-home", "--home-dir", str(home), "--groups", GROUP,
          "--shell", "/bin/bash", "-K", "HOME_MODE=0700", user])
    home.chmod(0o700)
    password = new_password()
    set_password(user, password)
    return password


def ensure_service_account(hub: Hub, user: str) -> None:
    """A locked system account (no password, no login) for a course's ``grader-<id>`` user."""
    _require_root()
    if _exists(user):
        if not is_ours(user):
            raise InputError("评分账号", user, TEXT["system_account"], "请在 hub.yaml 中换一个课程编号")
        return
    _ensure_group()
    _run(["useradd", "--no-create-home", "--home-dir", "/nonexistent", "--groups", GROUP,
          "--shell", "/usr/sbin/nologin", user])


def _ensure_group() -> None:
    try:
        grp.getgrnam(GROUP)
    except KeyError:
        _run(["groupadd", "--system", GROUP])


def set_password(user: str, password: str) -> None:
    _run(["chpasswd"], stdin=f"{user}:{password}\n")


def course_people(course: Course) -> list[Account]:
    """The course's trainees (from its roster) and trainers (from hub.yaml)."""
    from toolkit.training.course.roster import load_roster

    roster = load_roster(course.db_url)
    people = [Account(t.id, "trainee", t.name, t.town, t.village) for t in roster.trainees]
    people += [Account(t, "trainer") for t in course.trainers]
    return people


def make_accounts(hub: Hub, course_id: str, out: Path | None = None, url: str | None = None) -> tuple[Path, list[Account]]:
    """Create the missing accounts of a course and write its 账号清单.xlsx (mode 0600)."""
    _require_root()
    course = hub.course(course_id)
    people = course_people(course)
    if not any(p.role == "trainee" for p in people):
        raise UserError(TEXT["no_roster"].format(course=course.id, title=course.title, root=course.folder))
    check_names([p.user for p in people])
    made = []
    for person in people:
        password = ensure_account(hub, person.user)
        made.append(Account(person.user, person.role, person.name, person.town, person.village,
                            password or "", password is not None))
    out = Path(out) if out else hub.root / f"{course.id}-账号清单.xlsx"
    write_account_list(out, course, made, url or f"http://{hub.bind}/")
    return out, made


def write_account_list(path: Path, course: Course, accounts: list[Account], url: str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from toolkit.cells import safe_row
    from toolkit.files import save_workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEXT["sheet"]
    sheet.append(safe_row([TEXT["sheet_title"].format(title=course.title, date=date.today().isoformat())]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([TEXT["address"].format(url=url)])
    sheet.append([TEXT["advice"]])
    sheet.append(TEXT["columns"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for a in accounts:
        sheet.append(safe_row([a.user, a.password if a.created else "", mask_name(a.name), a.town, a.village,
                               TEXT["role_trainee" if a.role == "trainee" else "role_trainer"],
                               "" if a.created else TEXT["kept"]]))
    for column, width in zip("ABCDEFG", (14, 14, 10, 14, 14, 10, 36)):
        sheet.column_dimensions[column].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(workbook, path, mode=ACCOUNT_LIST_MODE)
    return path


def reset_password(hub: Hub, user: str) -> tuple[str, str]:
    """A new password for one of this hub's accounts; returns (password, masked name)."""
    _require_root()
    if not is_ours(user):
        raise InputError("登录账号", user, TEXT["not_ours"], TEXT["not_ours_fix"])
    password = new_password()
    set_password(user, password)
    name = next((p.name for c in hub.courses for p in _safe_people(c) if p.user == user), "")
    return password, mask_name(name) or user


def _safe_people(course: Course) -> list[Account]:
    try:
        return course_people(course)
    except Exception:        # a course without a gradebook yet names nobody
        return []


def delete_account(user: str, wait: float = 15.0) -> None:
    """Remove one of this hub's accounts and its home (tests, or a trainee who left).

    A server or kernel of the account that is still shutting down is given ``wait`` seconds,
    then ended by its own process id (only processes owned by this account).
    """
    import signal
    import time

    if not is_ours(user):
        return
    uid = pwd.getpwnam(user).pw_uid
    deadline = time.monotonic() + wait
    while _pids_of(uid) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in _pids_of(uid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.2)
    _run(["userdel", "--remove", user])


def _pids_of(uid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("Uid:"):
                    if int(line.split()[1]) == uid:
                        found.append(int(status.parent.name))
                    break
        except (OSError, ValueError):
            continue
    return found

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
import json
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
TRAINEE_SHELL = "/usr/sbin/nologin"   # trainees reach the hub through the browser only
TRAINER_SHELL = "/bin/bash"           # a trainer's JupyterLab terminal needs a shell
REMOVED_FILE = "removed-accounts.json"


@dataclass(frozen=True)
class Account:
    user: str
    role: str                 # "trainee" | "trainer"
    name: str = ""            # full name (roster); shown masked
    town: str = ""
    village: str = ""
    password: str = ""        # clear text: made just now, or carried over from the earlier list
    created: bool = False
    note: str = ""            # the earlier list's remark (kept with its password)


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


def ensure_account(hub: Hub, user: str, role: str = "trainee") -> str | None:
    """Create ``user`` (home ``<hub>/homes/<user>``, mode 0700) if missing; its new password.

    Trainees get no login shell (an existing trainee account made with one loses it here)."""
    shell = TRAINEE_SHELL if role == "trainee" else TRAINER_SHELL
    if _exists(user):
        if role == "trainee" and pwd.getpwnam(user).pw_shell != shell:
            _run(["usermod", "--shell", shell, user])
        return None
    _ensure_group()
    home = hub.homes / user
    _run(["useradd", "--create-home", "--home-dir", str(home), "--groups", GROUP,
          "--shell", shell, "-K", "HOME_MODE=0700", user])
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
    """Create the missing accounts of a course and write its 账号清单.xlsx (mode 0600).

    The list is merged with the one already there: first passwords written earlier stay on it
    (they change only through :func:`reset_password`), new accounts are added.  On a running hub
    new trainees are let in at once (REST API): nobody's server restarts.  Accounts removed with
    :func:`remove_accounts` are not made again."""
    from toolkit.hub import members

    _require_root()
    course = hub.course(course_id)
    removed = removed_accounts(hub)
    people = [p for p in course_people(course) if p.user not in removed]
    if not any(p.role == "trainee" for p in people):
        raise UserError(TEXT["no_roster"].format(course=course.id, title=course.title, root=course.folder))
    check_names([p.user for p in people])
    out = Path(out) if out else account_list_path(hub, course)
    earlier = read_account_list(out)
    made = []
    for person in people:
        password = ensure_account(hub, person.user, person.role)
        kept = earlier.get(person.user, {})
        made.append(Account(person.user, person.role, person.name, person.town, person.village,
                            password or kept.get("password", ""), password is not None,
                            "" if password else kept.get("note", "")))
    listed = {a.user for a in made}
    made += [Account(user, "trainee", note=TEXT["removed_note"]) for user in earlier if user not in listed]
    write_account_list(out, course, made, url or reach_url(hub))
    members.add_to_course_group(hub, course, [a.user for a in made if a.role == "trainee" and a.user not in removed])
    return out, made


def account_list_path(hub: Hub, course: Course) -> Path:
    return hub.root / f"{course.id}-账号清单.xlsx"


def reach_url(hub: Hub) -> str:
    """The address trainees type: the bind of the last `hub start` (``--bind``), else hub.yaml's;
    0.0.0.0 becomes this server's address on its network."""
    import socket

    bind = hub.bind
    try:
        bind = json.loads((hub.state / "runtime.json").read_text(encoding="utf-8"))["bind"]
    except (OSError, ValueError, KeyError):
        pass
    host, _, port = bind.rpartition(":")
    if host in ("0.0.0.0", "", "::", "[::]"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("10.254.254.254", 1))      # no packet is sent: picks the outgoing address
                host = probe.getsockname()[0]
            except OSError:
                host = socket.gethostname()
    return f"http://{host}:{port}/"


def read_account_list(path: Path) -> dict[str, dict]:
    """login → {"password", "note"} of an account list written earlier (empty when none)."""
    from openpyxl import load_workbook

    if not Path(path).is_file():
        return {}
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header = next((i for i, r in enumerate(rows) if r and r[0] == TEXT["columns"][0]), None)
    if header is None:
        return {}
    return {str(r[0]): {"password": str(r[1] or ""), "note": str(r[6] or "") if len(r) > 6 else ""}
            for r in rows[header + 1:] if r and r[0]}


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
        note = a.note or ("" if a.created or a.password else TEXT["kept"])
        sheet.append(safe_row([a.user, a.password, mask_name(a.name), a.town, a.village,
                               TEXT["role_trainee" if a.role == "trainee" else "role_trainer"], note]))
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
    _forget_first_password(hub, user, TEXT["reset_note"].format(date=date.today().isoformat()))
    return password, mask_name(name) or user


def _forget_first_password(hub: Hub, user: str, note: str) -> None:
    """The first password of ``user`` no longer works: blank it on the course account lists."""
    from openpyxl import load_workbook

    from toolkit.files import save_workbook

    for course in hub.courses:
        path = account_list_path(hub, course)
        if user not in read_account_list(path):
            continue
        workbook = load_workbook(path)
        for row in workbook.active.iter_rows(min_row=5):
            if row[0].value == user:
                row[1].value, row[6].value = None, note
        save_workbook(workbook, path, mode=ACCOUNT_LIST_MODE)


def removed_accounts(hub: Hub) -> set[str]:
    try:
        return set(json.loads((hub.state / REMOVED_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def remove_accounts(hub: Hub, users: list[str]) -> list[Path]:
    """Remove trainees' accounts while the hub runs: the running hub forgets them (their server
    stops, their login stops working), their home moves to ``<hub>/removed/`` (root's only) and the
    system account is deleted.  ``jiuzhu hub accounts`` does not make them again.  Returns the
    homes kept."""
    from toolkit.files import write_text_atomic
    from toolkit.hub import members

    _require_root()
    graders = {c.grader for c in hub.courses}
    problems = [str(InputError("登录账号", u, TEXT["not_ours"], TEXT["remove_fix"]))
                for u in users if not is_ours(u) or u in graders
                or Path(pwd.getpwnam(u).pw_dir).parent != hub.homes]      # another hub folder's account
    if problems:
        raise ValidationFailed("以下账号无法停用，未停用任何账号：", problems=problems)
    members.forget_users(hub, users)
    kept_root = hub.root / "removed"
    kept_root.mkdir(mode=0o700, exist_ok=True)
    kept = []
    for user in users:
        home = Path(pwd.getpwnam(user).pw_dir)
        _stop_processes(pwd.getpwnam(user).pw_uid)
        if home.is_dir() and home.parent == hub.homes:
            target = kept_root / f"{user}-{date.today().isoformat()}-{secrets.token_hex(2)}"
            home.rename(target)
            _chown_tree(target)
            kept.append(target)
        _run(["userdel", user])
        from toolkit.hub.limits import release

        release(user)
        _forget_first_password(hub, user, TEXT["removed_note"])
    write_text_atomic(hub.state / REMOVED_FILE, json.dumps(sorted(removed_accounts(hub) | set(users))))
    return kept


def _chown_tree(folder: Path) -> None:
    """Root's own, mode 0700: a later account given the same uid reads nothing of it."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            os.chown(path, 0, 0)
    folder.chmod(0o700)


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
    if not is_ours(user):
        return
    _stop_processes(pwd.getpwnam(user).pw_uid, wait)
    _run(["userdel", "--remove", user])
    from toolkit.hub.limits import release

    release(user)


def _stop_processes(uid: int, wait: float = 15.0) -> None:
    import signal
    import time

    deadline = time.monotonic() + wait
    while _pids_of(uid) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in _pids_of(uid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.2)


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

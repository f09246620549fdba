"""Each trainee's cases, put into their home when their server starts (trainer side, as root).

The hub process holds the course secrets; a trainee's kernel reads only the givens of their own
cases from ``~/.jiuzhu/cases/<course id>/<user>/``, one folder per hub course, holding exactly the
cases of the exercises that course has released (:mod:`toolkit.training.trainee.casedata`).  The
home belongs to the trainee, so every folder and file is opened relative to its parent with
``O_NOFOLLOW``: a symlink the trainee planted never makes root write or chown outside the home.
Files are written to a fresh name (``O_EXCL``) and then renamed or linked into place, so root never
opens what the trainee left at the final name: a FIFO there cannot block the hub, a hard link to a
system file is replaced, not truncated.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
from pathlib import Path

from toolkit.files import DIR_FLAGS as _DIR_FLAGS, write_at
from toolkit.hub.layout import Course, Hub


def released_case_exercises(course: Course) -> list[str]:
    """The exercises of ``course`` that have been released and carry a per-trainee case."""
    from toolkit.cases import ASSIGNMENTS

    release = course.folder / "release"
    return [a for a in ASSIGNMENTS if (release / a).is_dir()]


def _open_dir(parent_fd: int, name: str, uid: int, gid: int) -> int:
    try:
        os.mkdir(name, 0o700, dir_fd=parent_fd)
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
        os.fchown(fd, uid, gid)
        return fd
    except FileExistsError:
        return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)     # a symlink here raises OSError


def _write(dir_fd: int, name: str, data: dict, uid: int, gid: int, *, replace: bool = True) -> bool:
    """``data`` as JSON at ``name``, private to ``uid`` (:func:`toolkit.files.write_at`)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return write_at(dir_fd, name, text.encode("utf-8"), 0o600, owner=(uid, gid), replace=replace)


def seed_home_file(user: str, parts: tuple[str, ...], name: str, data: dict) -> bool:
    """Write ``data`` (JSON) to ``~user/<parts…>/<name>`` unless something is there already (a link
    included: it is neither followed nor replaced); folders made on the way belong to ``user``.
    True when written."""
    account = pwd.getpwnam(user)
    fds = [os.open(account.pw_dir, _DIR_FLAGS)]
    try:
        for part in parts:
            fds.append(_open_dir(fds[-1], part, account.pw_uid, account.pw_gid))
        return _write(fds[-1], name, data, account.pw_uid, account.pw_gid, replace=False)
    finally:
        for fd in reversed(fds):
            os.close(fd)


def _remove_unreleased(dir_fd: int, released: list[str]) -> None:
    """Cases of exercises the course has not released leave its folder (the code before per-course
    folders put every course's cases into ``jiuzhu/``: a hub course of that id must not read them).
    ``unlink`` removes the name itself: a link there is never followed."""
    from toolkit.cases import ASSIGNMENTS

    for exercise in set(ASSIGNMENTS) - set(released):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
            os.unlink(f"{exercise}.json", dir_fd=dir_fd)


def deliver_cases(hub: Hub, user: str) -> int:
    """Write ``user``'s released cases into their home, each course into its own folder
    ``~/.jiuzhu/cases/<course id>/<user>/`` (two courses releasing the same exercise give two
    different cases: neither replaces the other); the number of files written."""
    from toolkit.hub.members import trainees
    from toolkit.training.trainee.casedata import CASES_HOME, trainee_case_data

    account = pwd.getpwnam(user)
    wanted = [(c, released_case_exercises(c)) for c in hub.courses if user in trainees(c)]
    wanted = [(c, exercises) for c, exercises in wanted if exercises]
    if not wanted:
        return 0
    fds = [os.open(account.pw_dir, _DIR_FLAGS)]
    try:
        for part in CASES_HOME:
            fds.append(_open_dir(fds[-1], part, account.pw_uid, account.pw_gid))
        written = 0
        for course, exercises in wanted:
            course_fd = _open_dir(fds[-1], course.id, account.pw_uid, account.pw_gid)
            try:
                user_fd = _open_dir(course_fd, user, account.pw_uid, account.pw_gid)
            finally:
                os.close(course_fd)
            try:
                for exercise in exercises:
                    data = trainee_case_data(Path(course.folder), user, exercise, course=course.id)
                    _write(user_fd, f"{exercise}.json", data, account.pw_uid, account.pw_gid)
                    written += 1
                _remove_unreleased(user_fd, exercises)
            finally:
                os.close(user_fd)
        return written
    finally:
        for fd in reversed(fds):
            os.close(fd)

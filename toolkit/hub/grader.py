"""A course's formgrader service runs as the course's own unprivileged account, not as root.

JupyterHub starts a managed service as the hub's user (root) unless the service names a
``user``; nbgrader's demos add ``--allow-root``, so a trainer's formgrader tab could start a root
kernel or terminal.  Here the service runs as ``grader-<course>`` (a locked system account made
at hub start, :func:`toolkit.hub.accounts.ensure_service_account`), which owns its course folder
and nothing else:

* ``<hub>/courses`` is mode 0711: an account may enter a course folder it owns, but not list the
  courses or enter another's (each course folder is 2770, owned by its grader account and group;
  its folders are set-group-id, so files root's course commands write later stay readable);
* the service's Jupyter state (runtime, data, IPython) is inside the course folder
  (``.jiuzhu/grader``), the account having no home;
* terminals are turned off; a kernel the trainer starts from the service runs as the grader
  account, and formgrader's Autograde button starts trainees' kernels in the sandbox
  (:func:`toolkit.training.grading.sandbox.sandbox_nbgrader_autograde`; as a non-root account bubblewrap
  uses an unprivileged user namespace).

Every path is changed with ``lchown`` while walking without following links.
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from toolkit.hub.layout import Course, Hub

COURSES_MODE = 0o711
# owner and group: the grader account; set-group-id, so what root's `jiuzhu course …` commands make
# later belongs to the grader's group and stays readable by the service (under any umask ≤ 027)
COURSE_MODE = 0o2770
STATE = (".jiuzhu", "grader")


def grader_account(course: Course) -> tuple[int, int] | None:
    try:
        entry = pwd.getpwnam(course.grader)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def give_course_to_grader(hub: Hub, course: Course) -> Path:
    """Make ``course.folder`` (and everything in it) belong to its grader account; its state folder."""
    owner = grader_account(course)
    state = course.folder.joinpath(*STATE)
    state.mkdir(parents=True, exist_ok=True)
    if owner is None or os.geteuid() != 0:
        return state
    os.chmod(hub.root / "courses", COURSES_MODE)
    for base, dirs, files in os.walk(course.folder):       # os.walk does not follow links
        os.lchown(base, *owner)
        os.chmod(base, stat.S_IMODE(os.lstat(base).st_mode) | stat.S_ISGID)
        for name in files:
            os.lchown(os.path.join(base, name), *owner)
    os.chmod(course.folder, COURSE_MODE)
    return state


def service_environment(state: Path) -> dict[str, str]:
    """Where the service keeps Jupyter's files (the account has no home)."""
    return {"HOME": str(state), "JUPYTER_CONFIG_DIR": str(state / "config"), "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
            "JUPYTER_DATA_DIR": str(state / "data"), "IPYTHONDIR": str(state / "ipython")}

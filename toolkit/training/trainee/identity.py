"""Who is the trainee?  The same answer in JupyterLab and in the autograder.

Order of resolution (first match wins):

1. the nbgrader student folder, when the notebook runs inside
   ``<course>/autograded/<student>/<assignment>/`` or ``<course>/submitted/<student>/<assignment>/``
   (the autograder and a trainer opening a submission; this must beat ``JUPYTERHUB_USER``,
   which names the *grader* when grading runs on a hub);
2. ``JUPYTERHUB_USER`` (a trainee working on JupyterHub);
3. the explicit setting ``JIUZHU_STUDENT`` (a trainee on a single-user machine);
4. the operating-system user, exactly as nbgrader's exchange names the submitter
   (``nbgrader.utils.get_username``).

The same answer must reach the grader.  nbgrader names a submission after the operating-system
user, so :func:`configure_submitter` (called by the course's ``nbgrader_config.py``) makes a
trainee's ``nbgrader submit`` use the identity above; and :func:`recorded_mismatch` lets the
grader refuse a submission whose ``answers.json`` names someone else than its folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

HUB_ENV = "JUPYTERHUB_USER"
SERVICE_ENV = "JUPYTERHUB_SERVICE_NAME"   # set in a hub service (a course's formgrader), not a trainee
EXPLICIT_ENV = "JIUZHU_STUDENT"
STUDENT_FOLDERS = ("autograded", "submitted")

# Where the identity came from, in words a cadre understands (shown next to the trainee id).
SOURCE_TEXT = {
    "folder": "提交的作业",
    "hub": "登录账号",
    "explicit": "本机设置的学员编号",
    "os": "本机账号",
}


@dataclass(frozen=True)
class Identity:
    student: str
    source: str          # one of SOURCE_TEXT's keys

    def describe(self) -> str:
        return f"{self.student}（来自{SOURCE_TEXT[self.source]}）"


def student_from_folder(folder: Path, assignment: str | None = None) -> str | None:
    """The ``<student>`` of ``…/autograded|submitted/<student>/<assignment>``, else ``None``.

    When ``assignment`` is given, the folder itself must be named after it.
    """
    parts = Path(folder).resolve().parts
    if len(parts) < 3:
        return None
    kind, student, leaf = parts[-3], parts[-2], parts[-1]
    if kind not in STUDENT_FOLDERS or not student.strip():
        return None
    if assignment is not None and leaf != assignment:
        return None
    return student


def resolve(folder: Path | str | None = None, assignment: str | None = None,
            environ: Mapping[str, str] | None = None) -> Identity:
    """The trainee for a notebook running in ``folder`` (default: the current directory)."""
    env = os.environ if environ is None else environ
    folder = Path.cwd() if folder is None else Path(folder)
    from_folder = student_from_folder(folder, assignment)
    if from_folder:
        return Identity(from_folder, "folder")
    for key, source in ((HUB_ENV, "hub"), (EXPLICIT_ENV, "explicit")):
        value = (env.get(key) or "").strip()
        if value:
            return Identity(value, source)
    from nbgrader.utils import get_username

    return Identity(get_username(), "os")


def is_grading(folder: Path | str | None = None, assignment: str | None = None) -> bool:
    """True when the notebook runs in nbgrader's ``autograded/<student>/<assignment>`` folder."""
    folder = Path.cwd() if folder is None else Path(folder)
    parts = folder.resolve().parts
    return student_from_folder(folder, assignment) is not None and parts[-3] == "autograded"


def is_course_preview(folder: Path | str | None = None) -> bool:
    """True in a course's own ``source/<assignment>`` or ``release/<assignment>`` folder.

    A trainer previewing a notebook there must not leave an ``answers.json`` behind: nbgrader
    copies every non-notebook file of ``source/`` into the release and over each submission.
    """
    folder = (Path.cwd() if folder is None else Path(folder)).resolve()
    return folder.parent.name in ("source", "release") and \
        (folder.parent.parent / "nbgrader_config.py").is_file()


def submitting_student(environ: Mapping[str, str] | None = None) -> Identity | None:
    """Whom a trainee's ``nbgrader submit`` must name, when that differs from nbgrader's default.

    nbgrader names a submission after the operating-system user.  On one machine a trainee who
    works under ``JIUZHU_STUDENT`` (the notebook shows that trainee's case) must submit under
    that name too.  On a hub (``JUPYTERHUB_USER`` set) every trainee has their own system
    account, so nbgrader's default is already the hub user and ``None`` is returned; a hub
    whose servers all run as one system user is caught by :func:`recorded_mismatch` instead.
    A hub service (the trainers' formgrader) is never a trainee.
    """
    env = os.environ if environ is None else environ
    if (env.get(SERVICE_ENV) or "").strip() or (env.get(HUB_ENV) or "").strip():
        return None
    value = (env.get(EXPLICIT_ENV) or "").strip()
    return Identity(value, "explicit") if value else None


def configure_submitter(config, environ: Mapping[str, str] | None = None) -> Identity | None:
    """Make nbgrader submit under the trainee's identity (``CourseDirectory.student_id``).

    Called from a course's ``nbgrader_config.py``.  Trainer commands (``jiuzhu course …``)
    reset ``student_id`` to ``*`` after loading that file, so grading is never narrowed.
    """
    who = submitting_student(environ)
    if who is not None and "*" not in who.student and "+" not in who.student:
        config.CourseDirectory.student_id = who.student
    return who


def recorded_student(folder: Path | str) -> str:
    """The trainee named in a submission's ``answers.json`` ("" when none or unreadable)."""
    from toolkit.training.trainee.answers import AnswersFileError, read_sidecar

    try:
        return str(read_sidecar(folder).get("student") or "").strip()
    except AnswersFileError:
        return ""


def recorded_mismatch(folder: Path | str) -> str | None:
    """The recorded trainee when it is not the ``submitted/<student>/`` folder's, else ``None``.

    Grading such a submission would score one person's answers against another person's case.
    """
    folder = Path(folder)
    recorded = recorded_student(folder)
    owner = folder.parent.name
    return recorded if recorded and recorded != owner else None

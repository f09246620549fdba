"""``jiuzhu course build|release|collect|feedback``: thin over nbgrader's Python API.

The course root is an nbgrader course folder holding ``nbgrader_config.py`` (``courses/`` in
the repository).  Every function loads that config, so the exchange root, the gradebook URL and
the kernel settings are the ones a trainer running plain ``nbgrader`` commands would get.
"""

from __future__ import annotations

import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from toolkit.errors import InputError, UserError
from toolkit.files import atomic_path
from toolkit.training import COURSE_ID

CONFIG_NAME = "nbgrader_config.py"
REFERENCE_STUDENT = "__source__"   # whose case supplies question ids and points for the source

TEXT = {
    "no_config": "课程目录 {root} 中没有 {name}。请用 --course 指定课程目录（仓库中为 courses/）。",
    "no_cases": "尚未安装案例生成器（toolkit.cases.ASSIGNMENTS 不存在），无法生成练习。",
    "unknown": "不是本课程的练习",
    "unknown_fix": "可选：{ids}",
    "failed": "nbgrader {step}（练习 {assignment}）失败：{reason}",
    "leaks": "生成的反馈中发现泄露（已删除本次生成的反馈，未发布）：",
    "leaks_release": "生成的学员版中发现泄露（已删除，请检查源笔记本）：",
    "no_release": "练习 {assignment} 尚未生成发布版本。请先运行 jiuzhu course build。",
}


class CourseError(UserError):
    """A course command could not complete (nbgrader reported an error)."""


# ---- course folder and nbgrader API -----------------------------------------------------------
def course_root(path: Path | str = "courses") -> Path:
    root = Path(path).resolve()
    if not (root / CONFIG_NAME).is_file():
        raise CourseError(TEXT["no_config"].format(root=root, name=CONFIG_NAME))
    return root


def load_config(root: Path):
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    # a hub course (toolkit.hub) names its own course id; the repository's course is "jiuzhu"
    config.CourseDirectory.course_id = config.CourseDirectory.get("course_id") or COURSE_ID
    # trainer commands act on every trainee, even where the config names a submitting trainee
    # (toolkit.training.identity.configure_submitter)
    config.CourseDirectory.student_id = "*"
    return config


def ensure_venv_on_path() -> None:
    """nbgrader's gradebook runs the ``alembic`` command; find it in our venv even when the
    venv is not activated (``.venv/bin/jiuzhu …``)."""
    bin_dir = str(Path(sys.executable).parent)
    if shutil.which("alembic") is None and bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


@contextmanager
def nbgrader_api(root: Path) -> Iterator:
    """An ``NbGraderAPI`` for the course, run with the course root as working directory."""
    from nbgrader.apps import NbGraderAPI

    ensure_venv_on_path()
    root = Path(root).resolve()
    previous = Path.cwd()
    os.chdir(root)
    try:
        yield NbGraderAPI(config=load_config(root))
    finally:
        os.chdir(previous)


def _check(result: dict | None, step: str, assignment: str) -> dict:
    if result is None or result.get("success"):
        return result or {}
    log = (result.get("log") or "").strip().splitlines()
    error = (result.get("error") or "").strip().splitlines()
    reason = (error[-1:] or log[-3:] or ["未知原因"])
    raise CourseError(TEXT["failed"].format(step=step, assignment=assignment, reason=" / ".join(reason)),
                      problems=log[-8:])


def assignment_ids(selected: Iterable[str] | None = None) -> list[str]:
    """The course's assignments in order, or the selected ones (validated)."""
    import toolkit.cases as cases

    known = tuple(getattr(cases, "ASSIGNMENTS", ()))
    if not known:
        raise CourseError(TEXT["no_cases"])
    chosen = list(selected or known)
    for assignment in chosen:
        if assignment not in known:
            raise InputError("练习", assignment, TEXT["unknown"],
                             TEXT["unknown_fix"].format(ids="、".join(known)))
    return chosen


# ---- build ----------------------------------------------------------------------------------
def write_source(root: Path, assignment: str) -> Path:
    """Write ``source/<assignment>/<assignment>.ipynb`` atomically and return its path."""
    import nbformat

    from toolkit.cases.base import case_for
    from toolkit.training.notebook import source_notebook

    notebook = source_notebook(case_for(COURSE_ID, assignment, REFERENCE_STUDENT))
    folder = root / "source" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{assignment}.ipynb"
    with atomic_path(target, ".ipynb") as tmp:
        nbformat.write(notebook, tmp)
    return target


def build(root: Path, selected: Iterable[str] | None = None) -> list[Path]:
    """Generate the source notebooks and their student versions in ``release/``."""
    written = []
    assignments = assignment_ids(selected)
    for assignment in assignments:
        write_source(root, assignment)
    with nbgrader_api(root) as api:
        for assignment in assignments:
            _check(api.generate_assignment(assignment), "generate_assignment", assignment)
            written.append(root / "release" / assignment / f"{assignment}.ipynb")
    _refuse_leaks(root, written, TEXT["leaks_release"])
    return written


def _refuse_leaks(root: Path, made: list[Path], message: str) -> None:
    """Scan what was just written; on a leak delete it and raise (nothing leaky stays behind)."""
    from toolkit.training import leaks

    found = leaks.scan(root, made)
    if found:
        for path in made:
            path.unlink(missing_ok=True)
        raise CourseError(message, problems=[str(leak) for leak in found])


# ---- release / collect ----------------------------------------------------------------------
def release(root: Path, selected: Iterable[str] | None = None) -> list[Path]:
    """Copy the built student versions to the exchange's outbound folder."""
    assignments = assignment_ids(selected)
    released = []
    with nbgrader_api(root) as api:
        for assignment in assignments:
            if not (root / "release" / assignment).is_dir():
                raise CourseError(TEXT["no_release"].format(assignment=assignment))
            outbound = Path(api.exchange_root) / api.coursedir.course_id / "outbound" / assignment
            if outbound.exists():          # re-release replaces the previous version
                _check(api.unrelease(assignment), "list --remove", assignment)
            _check(api.release_assignment(assignment), "release_assignment", assignment)
            released.append(outbound)
    return released


def collect(root: Path, selected: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Move trainees' submissions from the exchange into ``submitted/``; who was collected."""
    collected = {}
    with nbgrader_api(root) as api:
        for assignment in assignment_ids(selected):
            _check(api.collect(assignment), "collect", assignment)
            collected[assignment] = sorted(api.get_submitted_students(assignment))
    return collected


# ---- feedback -------------------------------------------------------------------------------
def feedback(root: Path, selected: Iterable[str] | None = None, student: str | None = None,
             publish: bool = False) -> list[Path]:
    """Render feedback HTML from graded submissions; refuse (and remove it) if anything leaks.

    With ``publish`` the feedback is also copied to the exchange for trainees to fetch.
    """
    assignments = assignment_ids(selected)
    written: list[Path] = []
    with nbgrader_api(root) as api:
        for assignment in assignments:
            _check(api.generate_feedback(assignment, student), "generate_feedback", assignment)
            made = sorted((root / "feedback").glob(f"{student or '*'}/{assignment}/*.html"))
            _refuse_leaks(root, made, TEXT["leaks"])
            written.extend(made)
            if publish:
                _check(api.release_feedback(assignment, student), "release_feedback", assignment)
    return written


def scan_for_leaks(root: Path) -> list:
    """The no-leak scan over the course and its configured exchange (``JIUZHU_EXCHANGE``)."""
    from toolkit.training import leaks

    exchange = load_config(root).Exchange.root
    return leaks.scan(root, exchange_root=Path(exchange) if exchange else None)

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from toolkit.errors import InputError, UserError
from toolkit.files import atomic_path
from toolkit.training import COURSE_ID
from toolkit.training.course.course_config import CONFIG_NAME

REFERENCE_STUDENT = "__source__"   # whose case supplies question ids and points for the source

TEXT = {
    "no_config": "课程目录 {root} 中没有 {name}。请用 --course 指定课程目录，或先用 jiuzhu course init 目录 新建一个课程目录。",
    "no_cases": "尚未安装案例生成器（toolkit.cases.ASSIGNMENTS 不存在），无法生成练习。",
    "unknown": "不是本课程的练习",
    "unknown_fix": "可选：{ids}",
    "failed": "nbgrader {step}（练习 {assignment}）失败：{reason}",
    "leaks": "生成的反馈中发现泄露（已删除本次生成的反馈，未发布）：",
    "leaks_release": "生成的学员版中发现泄露（已删除，请检查源笔记本）：",
    "no_release": "练习 {assignment} 尚未生成发布版本。请先运行 jiuzhu course build。",
    "special_release": "发布目录 {folder} 中有链接、特殊文件或过大的文件，未发布（请删除后重新 build）：",
    "nothing_graded": "评分数据库中还没有任何练习，未生成反馈。请先运行 jiuzhu course grade。",
    "not_graded": "练习 {assignment}：还没有已评分的提交，跳过。",
    "feedback_failed": "练习 {assignment}，学员 {student}：反馈生成失败，跳过（请检查该份评分结果）。",
    "withheld": "练习 {assignment}，学员 {student}：反馈页中发现{what}，该页已删除、未发布；其余学员不受影响。",
    "no_secret": "练习 {assignment}，学员 {student}：该提交不是经交换目录提交的（缺少 submission_secret.txt），"
                 "学员无法获取，未发布。",
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
    # (toolkit.training.trainee.identity.configure_submitter)
    config.CourseDirectory.student_id = "*"
    return config


def ensure_venv_on_path() -> None:
    """nbgrader's gradebook runs the ``alembic`` command; find it in our venv even when the
    venv is not activated (``.venv/bin/jiuzhu …``)."""
    bin_dir = str(Path(sys.executable).parent)
    if shutil.which("alembic") is None and bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def load_course(root: Path, db_url: str | None = None):
    """nbgrader configuration and CourseDirectory of a course root (its ``nbgrader_config.py``)."""
    from nbgrader.coursedir import CourseDirectory

    ensure_venv_on_path()
    config = load_config(course_root(root))
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config, CourseDirectory(config=config)


@contextmanager
def nbgrader_api(root: Path, feedback: bool = False, exchange_root: str | None = None) -> Iterator:
    """An ``NbGraderAPI`` for the course, run with the course root as working directory.

    With ``feedback``: the feedback converter first neutralises nbgrader markers in trainees'
    own text (see :mod:`toolkit.training.grading.feedback`).  With ``exchange_root``: that exchange
    instead of the configured one (collect's private staging copy).
    """
    from nbgrader.apps import NbGraderAPI

    ensure_venv_on_path()
    root = Path(root).resolve()
    previous = Path.cwd()
    os.chdir(root)
    try:
        config = load_config(root)
        if exchange_root:             # collect's private copy, vetted already: nbgrader's own collect
            from toolkit.training.course.course_config import PLAIN_COLLECT

            config.Exchange.root = str(exchange_root)
            config.ExchangeFactory.collect = PLAIN_COLLECT
        if feedback:
            from toolkit.training.grading.feedback import feedback_preprocessors

            config.GenerateFeedback.preprocessors = feedback_preprocessors(config)
        yield NbGraderAPI(config=config)
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
    from toolkit.training.course.notebook import source_notebook

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
    from toolkit.training.grading import leaks

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
            _refuse_special_files(root / "release" / assignment)
            outbound = Path(api.exchange_root) / api.coursedir.course_id / "outbound" / assignment
            if outbound.exists():          # re-release replaces the previous version
                _check(api.unrelease(assignment), "list --remove", assignment)
            _check(api.release_assignment(assignment), "release_assignment", assignment)
            released.append(outbound)
            from toolkit.training.course.inbound import protect_inbound

            protect_inbound(outbound.parent.parent / "inbound")
        publish_deadlines(api)
    trainees = roster_ids(root)
    if trainees:
        cases(root, assignments, trainees, home=Path.home())
    return released


def publish_deadlines(api) -> None:
    """Put the gradebook's due dates where trainees' phone app reads them (the exchange)."""
    from toolkit.training.app.deadlines import write_deadlines

    with api.gradebook as gradebook:
        due = {a.name: a.duedate for a in gradebook.assignments if a.duedate}
    folder = Path(api.exchange_root) / api.coursedir.course_id
    if folder.is_dir():
        write_deadlines(api.exchange_root, api.coursedir.course_id, due)


def _refuse_special_files(folder: Path) -> None:
    """nbgrader's release copies with ``shutil.copytree``, which follows links: a link or special
    file in ``release/`` (e.g. planted by a course's grader account on a hub) is refused first."""
    from toolkit.training.trainee.untrusted import scan_tree

    found = scan_tree(folder)
    if found:
        raise CourseError(TEXT["special_release"].format(folder=folder), problems=[str(r) for r in found])


def roster_ids(root: Path) -> list[str]:
    """Trainee ids of the course roster (empty when none was imported)."""
    from toolkit.training.course.roster import load_roster

    url = load_config(root).CourseDirectory.get("db_url") or f"sqlite:///{root / 'gradebook.db'}"
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return []
    return [t.id for t in load_roster(url).trainees]


def import_roster(course_root: Path, xlsx: Path, db_url: str | None = None) -> Roster:
    """Validate ``xlsx`` and store it in the course's gradebook database; return what was stored."""
    from toolkit.training.course.roster import read_roster_xlsx, save_roster

    _, coursedir = load_course(course_root, db_url)
    roster = read_roster_xlsx(xlsx)
    save_roster(roster, coursedir.db_url, coursedir.course_id)
    return roster


def cases(root: Path, selected: Iterable[str] | None, trainees: Iterable[str],
          home: Path | None = None) -> list[Path]:
    """Make each trainee's cases on this side and write them to ``<course>/cases/<trainee>/``.

    With ``home`` also deliver them to ``<home>/.jiuzhu/cases/<course id>/`` (one machine, the course
    id of the course's ``nbgrader_config.py``; a hub's spawner writes the trainee's home itself:
    :func:`toolkit.hub.cases.deliver_cases`).
    """
    from toolkit.training.trainee import casedata

    assignments = assignment_ids(selected)
    trainees = list(trainees)
    course_id = load_config(course_root(root)).CourseDirectory.course_id
    written = casedata.write_cases(root, trainees, assignments, course_id)
    if home is not None:
        for trainee in trainees:
            casedata.deliver(root, trainee, assignments, home, course_id)
    return written


@dataclass
class CollectRun:
    """What ``collect`` did: who was collected per assignment, entries refused, and a warning
    when the submitters could not be verified (one shared account)."""

    collected: dict[str, list[str]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)        # Chinese, one line per inbound entry
    unverifiable: str = ""
    retimed: list[str] = field(default_factory=list)        # Chinese: claimed time earlier than the files
    left_behind: str = ""                                   # Chinese: what to do about refused entries


def collect_run(root: Path, selected: Iterable[str] | None = None) -> CollectRun:
    """Move trainees' submissions from the exchange into ``submitted/``, checking every entry
    first (:mod:`toolkit.training.course.inbound`): forged, smuggled (links, special files) or oversized
    entries are refused and named; nbgrader's collect runs on a private copy of the rest."""
    import tempfile

    from toolkit.training.course import inbound

    run = CollectRun()
    unverifiable = 0
    example = None
    config = load_config(root)
    exchange = Path(config.Exchange.root or root / "exchange")
    course_id = config.CourseDirectory.course_id
    for assignment in assignment_ids(selected):
        vetted = inbound.vet_entries(exchange / course_id / "inbound", assignment)
        with tempfile.TemporaryDirectory(prefix="jiuzhu-collect-") as staging:
            inbound.stage(vetted, Path(staging), course_id)
            run.refused.extend(vetted.refused)
            example = example or (vetted.refused_entries[:1] or [None])[0]
            run.retimed.extend(vetted.retimed)
            unverifiable += len(vetted.unverifiable)
            with nbgrader_api(root, exchange_root=staging) as api:
                _check(api.collect(assignment), "collect", assignment)
                run.collected[assignment] = sorted(api.get_submitted_students(assignment))
    if unverifiable:
        run.unverifiable = inbound.unverifiable_text(unverifiable)
    if example is not None:
        run.left_behind = inbound.left_behind_text(example)
    return run


def collect(root: Path, selected: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Move trainees' submissions from the exchange into ``submitted/``; who was collected."""
    return collect_run(root, selected).collected


# ---- feedback -------------------------------------------------------------------------------
@dataclass
class FeedbackRun:
    """What ``feedback`` did: pages written (clean), released, withheld for a leak, skipped."""

    written: list[Path] = field(default_factory=list)
    released: list[Path] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)     # Chinese, one line per page
    skipped: list[str] = field(default_factory=list)      # Chinese, one line per assignment/trainee


def graded_assignments(root: Path) -> list[str]:
    """Assignments in the gradebook (course order first), whatever their markup."""
    from nbgrader.api import Gradebook

    config = load_config(root)
    url = config.CourseDirectory.get("db_url") or f"sqlite:///{root / 'gradebook.db'}"
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return []
    with Gradebook(url, COURSE_ID) as gb:
        names = [a.name for a in gb.assignments]
    import toolkit.cases as cases

    order = {a: i for i, a in enumerate(getattr(cases, "ASSIGNMENTS", ()))}
    return sorted(names, key=lambda a: (order.get(a, len(order)), a))


def _graded_students(root: Path, assignment: str, student: str | None) -> list[str]:
    folder = root / "autograded"
    found = sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir()) if folder.is_dir() else []
    return [s for s in found if student is None or s == student]


def feedback(root: Path, selected: Iterable[str] | None = None, student: str | None = None,
             publish: bool = False) -> FeedbackRun:
    """Render feedback pages from graded submissions, one trainee at a time.

    Without ``selected``: every assignment in the gradebook; one not graded yet is skipped with a
    Chinese line.  Trainees' own text that looks like an nbgrader marker is shown as text
    (:class:`toolkit.training.grading.feedback.TraineeText`).  A page in which the leak scan finds
    something is deleted, named in ``withheld`` and never released; the other pages are written
    and (with ``publish``) released.  A submission that did not come through the exchange (no
    ``submission_secret.txt``, e.g. simulated) cannot be fetched by a trainee: skipped with a line.
    """
    from toolkit.training.grading import leaks

    root = Path(root)
    assignments = list(selected) if selected else graded_assignments(root)
    run = FeedbackRun()
    if selected is None and not assignments:
        run.skipped.append(TEXT["nothing_graded"])
    with nbgrader_api(root, feedback=True) as api:
        for assignment in assignments:
            students = _graded_students(root, assignment, student)
            if not students:
                run.skipped.append(TEXT["not_graded"].format(assignment=assignment))
                continue
            for who in students:
                result = api.generate_feedback(assignment, who)
                pages = sorted((root / "feedback" / who / assignment).glob("*.html"))
                if not (result or {}).get("success") or not pages:
                    run.skipped.append(TEXT["feedback_failed"].format(
                        assignment=assignment, student=mask_student(who)))
                    continue
                found = leaks.scan(root, pages)
                if found:
                    for path in pages:
                        path.unlink(missing_ok=True)
                    run.withheld.append(TEXT["withheld"].format(
                        assignment=assignment, student=mask_student(who),
                        what="；".join(sorted({leak.kind for leak in found}))))
                    continue
                run.written.extend(pages)
                if not publish:
                    continue
                if not (root / "autograded" / who / assignment / "submission_secret.txt").is_file():
                    run.skipped.append(TEXT["no_secret"].format(assignment=assignment,
                                                                student=mask_student(who)))
                    continue
                from toolkit.training.trainee.untrusted import scan_tree

                if scan_tree(root / "feedback" / who / assignment):     # nbgrader's copy follows links
                    run.withheld.append(TEXT["withheld"].format(assignment=assignment, student=mask_student(who),
                                                                what="链接或特殊文件"))
                    continue
                for page in pages:          # nbgrader copies the mode: the trainee reads it by its hash name
                    page.chmod(0o644)
                _check(api.release_feedback(assignment, who), "release_feedback", assignment)
                run.released.extend(pages)
    return run


def mask_student(student: str) -> str:
    """A trainee id as shown in messages: masked when it looks like a name."""
    from toolkit.privacy import mask_name

    return mask_name(student) if any("\u4e00" <= ch <= "\u9fff" for ch in student) else student


def scan_for_leaks(root: Path) -> list:
    """The no-leak scan over the course and its configured exchange (``JIUZHU_EXCHANGE``)."""
    from toolkit.training.grading import leaks

    exchange = load_config(root).Exchange.root
    return leaks.scan(root, exchange_root=Path(exchange) if exchange else None)

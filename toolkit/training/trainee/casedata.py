"""Cases made on the trainer's side, delivered to trainees as data (issue 10, item 2).

Design
------
* **The secret.**  Each course has a random secret, ``<course>/.jiuzhu/course_secret`` (created on
  first use by a trainer command, mode 0600).  It never goes into ``release/``, the exchange, a
  trainee's home or the autograde sandbox.
* **The seed.**  The case trainee *t* sees for exercise *e* is generated from
  ``keyed_seed(secret, course, e, t)`` = HMAC-SHA256(secret, course‖e‖t)[:8]
  (:func:`toolkit.cases.base.keyed_seed`; *course* there is the constant ``COURSE_ID``, so cases
  already handed out never change: two courses differ by their secrets).  Without the secret
  nobody can regenerate a trainee's case, so ``toolkit.cases.case_for(..., other_id)`` in a trainee
  kernel yields a case nobody was given, and the answer key of the real one is out of reach.
* **What a trainee gets.**  :func:`trainee_case_data` (course, trainee, exercise) → the case's
  *givens* (text, tables, questions and options; no answers, no explanations, no seed), as JSON.
  The trainer side writes it to the *outbox* ``<course>/cases/<trainee>/<exercise>.json``
  (:func:`write_cases`, run by ``jiuzhu course release`` for every trainee of the roster and by
  ``jiuzhu course cases`` for any trainee).
* **Where it is delivered: one folder per course.**  ``~/.jiuzhu/cases/<course id>/<trainee>/
  <exercise>.json`` (:func:`delivered_file`).  A trainee of two courses that both release the same
  exercise gets two different cases (each course has its own secret), so the course id is part of
  the path: one course's case never replaces another's.  On one machine ``jiuzhu course release``/
  ``cases`` also copies the outbox to the local home (:func:`deliver`, with the course's own id from
  its ``nbgrader_config.py``; the repository's course is ``jiuzhu``); on a hub the spawner (trainer
  side, which holds the secret) writes ``~/.jiuzhu/cases/<hub course id>/<user>/`` before the server
  starts (:func:`toolkit.hub.cases.deliver_cases`).  Each file records its course (``"course"``).
  The trainee identity is the hub user name (:mod:`toolkit.training.trainee.identity`).
* **Which course a notebook belongs to** (:func:`trainee_case_file`, :func:`course_of_folder`):
  given by the caller (the cadre app knows each exercise's course from nbgrader's AssignmentList),
  or, in a notebook kernel on a hub (``$JIUZHU_COURSE_FOLDERS`` = 1, set by the spawner: nbgrader
  fetches with ``path_includes_course`` into ``~/<course id>/<exercise>/``), the name of the folder
  above the exercise folder.  A known course reads only its own folder: when its case is missing the
  trainee reads :class:`CaseMissing` ("no case"), never another course's case.  ``$JIUZHU_CASES/
  <trainee>/<exercise>.json`` (one course's outbox, named explicitly) is read first, for a known
  course only when the file records that course.
* **When the course cannot be told apart** (one machine: nbgrader fetches into ``~/<exercise>/``):
  every course folder holding this trainee's case of this exercise is a candidate.  One candidate
  (or several with the same givens: a copy of the same case) is the case; candidates that differ
  raise :class:`CaseAmbiguous`, never a guess.  A home delivered by the code before per-course
  folders (``~/.jiuzhu/cases/jiuzhu/<trainee>/``, whatever the course) is just the folder of course
  ``jiuzhu``: it keeps working wherever it is the only candidate, and for the repository's course;
  a known course of another id does not read it (it may hold any course's case): a hub delivers
  again at the trainee's next server start, one machine with ``jiuzhu course cases --home``.
* **Grading.**  The grader regenerates the full case (with answers) from the secret
  (:func:`trainer_case`) and scores answer cards itself (``toolkit.training.grading.grading.card_outputs``);
  the sandboxed kernel receives only the givens (``.jiuzhu-case.json`` in its scratch copy).

A trainee who shares the trainer's operating-system account on one machine can read the course
folder, and with it the secret: separate accounts (or the hub) are what make the secret secret.
"""

from __future__ import annotations

import functools
import json
import os
import secrets as _secrets
from pathlib import Path
from typing import Iterable

from toolkit.cases.base import Case, case_from_givens, generate, givens, keyed_seed
from toolkit.errors import UserError
from toolkit.files import atomic_path
from toolkit.training import COURSE_ID

SECRET_PATH = (".jiuzhu", "course_secret")
OUTBOX = "cases"
CASES_ENV = "JIUZHU_CASES"
COURSE_FOLDERS_ENV = "JIUZHU_COURSE_FOLDERS"   # "1": notebooks live in <home>/<course>/<exercise>/ (a hub)
CASES_HOME = (".jiuzhu", "cases")
GRADING_FILE = ".jiuzhu-case.json"      # the givens placed in the folder being graded

TEXT = {
    "no_case": "还没有为学员 {student} 准备练习 {assignment} 的案例。请联系培训老师。",
    "bad_case": "案例文件 {path} 无法读取（{problem}）。请联系培训老师重新发放案例。",
    "ambiguous": ("无法判断这份笔记本属于哪个课程：学员 {student} 的练习 {assignment} 在课程 {courses} 中各有一份不同的案例。"
                  "请从“我的练习”打开这个练习；在一台电脑上练习时，请培训老师只为你发放一个课程的案例。"),
    "not_this": "不是这位学员或这个练习的案例",
    "other_course": "不是课程 {course} 的案例",
}


class CaseMissing(UserError):
    """No case was delivered to this trainee for this exercise."""


class CaseAmbiguous(CaseMissing):
    """The notebook's course is unknown and several courses delivered different cases of it."""


# ---- trainer side -----------------------------------------------------------------------------
def secret_file(root: Path | str) -> Path:
    return Path(root).joinpath(*SECRET_PATH)


def course_secret(root: Path | str, create: bool = True) -> bytes | None:
    """The course secret (created when missing and ``create``); ``None`` when unreadable."""
    path = secret_file(root)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        if not create or path.exists():
            return None
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(_secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def case_code(seed: int) -> str:
    """A short code naming a trainee's variant (derived from the seed, reveals nothing of it)."""
    import hashlib

    return hashlib.sha256(f"code:{seed}".encode()).hexdigest()[:8].upper()


@functools.lru_cache(maxsize=256)
def _trainer_case(root: str, assignment: str, student: str, secret: bytes) -> Case:
    return generate(assignment, keyed_seed(secret, COURSE_ID, assignment, student))


def trainer_case(root: Path | str, assignment: str, student: str) -> Case:
    """The full case (answers included) trainee ``student`` sees for ``assignment``: trainer side."""
    secret = course_secret(root)
    if secret is None:
        raise UserError(f"无法读取课程密钥 {secret_file(root)}：请以培训老师身份运行。")
    return _trainer_case(str(Path(root).resolve()), assignment, student, secret)


def trainee_case_data(root: Path | str, trainee: str, assignment: str, *, grading: bool = False,
                      course: str = COURSE_ID) -> dict:
    """The trainee-side data of trainee ``trainee``'s case of ``assignment`` (no answers), recording
    ``course`` (the course id of ``root``: the hub's course id, the repository's ``jiuzhu``).

    With ``grading`` (the copy put into the sandbox at grading time, after submission): the
    marking guide of free-text questions is added, for the trainer reading them in formgrader.
    """
    case = trainer_case(root, assignment, trainee)
    data = givens(case, case_code(case.seed))
    data.update(course=course, student=trainee)
    if grading:
        guides = {q.id: q.explanation for q in case.questions if q.kind == "text" and q.explanation}
        for question in data["questions"]:
            if question["id"] in guides:
                question["explanation"] = guides[question["id"]]
    return data


def _write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, ".json") as tmp:
        Path(tmp).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_cases(root: Path | str, trainees: Iterable[str], assignments: Iterable[str],
                course: str = COURSE_ID) -> list[Path]:
    """Write every (trainee, assignment) case of course ``course`` to its outbox ``<root>/cases/``."""
    written = []
    for trainee in trainees:
        for assignment in assignments:
            written.append(_write_json(Path(root) / OUTBOX / trainee / f"{assignment}.json",
                                       trainee_case_data(root, trainee, assignment, course=course)))
    return written


def deliver(root: Path | str, trainee: str, assignments: Iterable[str], home: Path | str | None = None,
            course: str = COURSE_ID) -> list[Path]:
    """Put ``trainee``'s cases of course ``course`` (in ``root``) where their kernel reads them:
    ``<home>/.jiuzhu/cases/<course>/<trainee>/`` (:func:`delivered_file`)."""
    return [_write_json(delivered_file(course, trainee, a, home), trainee_case_data(root, trainee, a, course=course))
            for a in assignments]


# ---- trainee side -----------------------------------------------------------------------------
def cases_home(home: Path | str | None = None) -> Path:
    """``<home>/.jiuzhu/cases``: one folder per course below it."""
    return Path(home or Path.home()).joinpath(*CASES_HOME)


def is_course_name(name: str | None) -> bool:
    """``name`` can be a course folder below :func:`cases_home` (one plain path component)."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def delivered_file(course: str, trainee: str, assignment: str, home: Path | str | None = None) -> Path:
    """Where course ``course`` delivers ``trainee``'s case of ``assignment``."""
    return cases_home(home) / course / trainee / f"{assignment}.json"


def course_of_folder(folder: Path | str, assignment: str, environ=None, home: Path | str | None = None) -> str | None:
    """The course of a notebook running in ``folder``, when the layout tells it, else ``None``.

    Only where nbgrader fetches with ``path_includes_course`` (a hub: ``$JIUZHU_COURSE_FOLDERS`` = 1)
    into the server's root, the home: ``~/<course>/<assignment>/``.  Elsewhere (one machine:
    ``~/<assignment>/``; a notebook moved out of its course folder) the folder above is not a
    course, and guessing one from it could pick the wrong case.
    """
    env = os.environ if environ is None else environ
    folder = Path(folder).resolve()
    if env.get(COURSE_FOLDERS_ENV) != "1" or folder.name != assignment:
        return None
    if folder.parent.parent != Path(home or Path.home()).resolve():
        return None
    course = folder.parent.name
    return course if is_course_name(course) else None


def delivered_data(path: Path | str) -> dict | None:
    """The JSON object of a delivered case file, ``None`` when it cannot be read as one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def delivered_case(assignment: str, student: str, course: str | None = None) -> dict | None:
    """The delivered case data of ``student``/``assignment`` of ``course`` (:func:`trainee_case_file`),
    ``None`` when there is none or it cannot be read."""
    path = trainee_case_file(assignment, student, course)
    return delivered_data(path) if path is not None else None


def _recorded_course(path: Path) -> str | None:
    course = (delivered_data(path) or {}).get("course")
    return course if isinstance(course, str) else None


def _same_case(path: Path) -> str:
    """The givens of a delivered file without the course it records (two copies of one case compare equal)."""
    data = delivered_data(path)
    if data is None:
        return str(path)             # unreadable: never taken for another file's case
    data.pop("course", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _only_candidate(assignment: str, student: str) -> Path | None:
    """The course unknown: the one course folder holding this case (several copies of one case
    count once); different cases of several courses raise :class:`CaseAmbiguous`."""
    root = cases_home()
    try:
        courses = sorted(p.name for p in root.iterdir())
    except OSError:
        return None
    found = [path for course in courses if (path := delivered_file(course, student, assignment)).is_file()]
    if len({_same_case(path) for path in found}) > 1:
        raise CaseAmbiguous(TEXT["ambiguous"].format(student=student, assignment=assignment,
                                                     courses="、".join(p.parent.parent.name for p in found)))
    return found[0] if found else None


def trainee_case_file(assignment: str, student: str, course: str | None = None) -> Path | None:
    """The delivered case file of ``student``/``assignment`` of course ``course`` this kernel can
    read, else ``None`` (the rules: the module docstring).  ``course`` ``None``: not known."""
    if os.environ.get(CASES_ENV):
        named = Path(os.environ[CASES_ENV]) / student / f"{assignment}.json"
        if named.is_file() and (course is None or _recorded_course(named) == course):
            return named
    if course is None:
        return _only_candidate(assignment, student)
    if not is_course_name(course):
        return None
    path = delivered_file(course, student, assignment)
    return path if path.is_file() else None


def read_case(path: Path, assignment: str, student: str, course: str | None = None) -> Case:
    """The case in the delivered file ``path``; it must be ``student``'s of ``assignment`` (and,
    when given, of ``course``: a file recording no course is of the repository's course)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("assignment") != assignment or data.get("student") != student:
            raise ValueError(TEXT["not_this"])
        if course is not None and data.get("course", COURSE_ID) != course:
            raise ValueError(TEXT["other_course"].format(course=course))
        return case_from_givens(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise CaseMissing(TEXT["bad_case"].format(path=Path(path).name, problem=err)) from None


def course_root_above(folder: Path) -> Path | None:
    """The course folder holding ``folder`` when this process can read its secret (trainer side)."""
    for parent in folder.parents:          # never the folder itself: a submission could hold one
        if (parent / "nbgrader_config.py").is_file():
            if course_secret(parent, create=os.access(parent, os.W_OK)) is not None:
                return parent
    return None


def case_for_kernel(assignment: str, student: str, folder: Path, course: str | None = None) -> Case:
    """The case a notebook kernel shows: full on the trainer side, givens on the trainee side.

    Trainer side: the folder lies inside a course whose secret this process can read (a trainer
    previewing ``source/``, ``nbgrader autograde`` without the sandbox).  Otherwise: the givens
    the grader put in the folder (``.jiuzhu-case.json``, in the sandbox) or the case delivered
    by the notebook's course (``course``, else :func:`course_of_folder`).  Never generated from a
    seed a trainee could know.
    """
    folder = Path(folder).resolve()
    root = course_root_above(folder)
    if root is not None:
        return trainer_case(root, assignment, student)
    local = folder / GRADING_FILE
    if local.is_file():
        return read_case(local, assignment, student)
    course = course if course is not None else course_of_folder(folder, assignment)
    delivered = trainee_case_file(assignment, student, course)
    if delivered is None:
        raise CaseMissing(TEXT["no_case"].format(student=student, assignment=assignment))
    return read_case(delivered, assignment, student, course)


@functools.lru_cache(maxsize=32)
def trainee_case(assignment: str, student: str, folder: Path | str | None = None, course: str | None = None) -> Case:
    """The case ``student`` sees for ``assignment`` in ``folder`` of ``course`` (cached per process).

    Made on the trainer's side and delivered as data (:func:`case_for_kernel`): in a trainee's
    kernel it carries no answers.
    """
    return case_for_kernel(assignment, student, Path.cwd() if folder is None else Path(folder), course)

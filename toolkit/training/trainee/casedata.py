"""Cases made on the trainer's side, delivered to trainees as data (issue 10, item 2).

Design
------
* **The secret.**  Each course has a random secret, ``<course>/.jiuzhu/course_secret`` (created on
  first use by a trainer command, mode 0600).  It never goes into ``release/``, the exchange, a
  trainee's home or the autograde sandbox.
* **The seed.**  The case trainee *t* sees for exercise *e* is generated from
  ``keyed_seed(secret, course, e, t)`` = HMAC-SHA256(secret, course‖e‖t)[:8]
  (:func:`toolkit.cases.base.keyed_seed`).  Without the secret nobody can regenerate a trainee's
  case, so ``toolkit.cases.case_for(..., other_id)`` in a trainee kernel yields a case nobody was
  given, and the answer key of the real one is out of reach.
* **What a trainee gets.**  :func:`trainee_case_data` (course, trainee, exercise) → the case's
  *givens* (text, tables, questions and options; no answers, no explanations, no seed), as JSON.
  The trainer side writes it to the *outbox* ``<course>/cases/<trainee>/<exercise>.json``
  (:func:`write_cases`, run by ``jiuzhu course release`` for every trainee of the roster and by
  ``jiuzhu course cases`` for any trainee).
* **Where the trainee kernel reads it** (:func:`trainee_case_file`): ``$JIUZHU_CASES/<trainee>/
  <exercise>.json``, else ``~/.jiuzhu/cases/<course>/<trainee>/<exercise>.json``.  On one machine
  ``jiuzhu course release``/``cases`` also copies the outbox to the local home (:func:`deliver`);
  on a hub the spawner (trainer side, which holds the secret) calls :func:`deliver` with the
  trainee's home, or copies ``<course>/cases/<user>/`` there, before the server starts; the
  trainee identity is the hub user name (:mod:`toolkit.training.trainee.identity`).
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
GRADING_FILE = ".jiuzhu-case.json"      # the givens placed in the folder being graded

TEXT = {
    "no_case": "还没有为学员 {student} 准备练习 {assignment} 的案例。请联系培训老师。",
    "bad_case": "案例文件 {path} 无法读取（{problem}）。请联系培训老师重新发放案例。",
}


class CaseMissing(UserError):
    """No case was delivered to this trainee for this exercise."""


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


def trainee_case_data(root: Path | str, trainee: str, assignment: str, *, grading: bool = False) -> dict:
    """The trainee-side data of trainee ``trainee``'s case of ``assignment`` (no answers).

    With ``grading`` (the copy put into the sandbox at grading time, after submission): the
    marking guide of free-text questions is added, for the trainer reading them in formgrader.
    """
    case = trainer_case(root, assignment, trainee)
    data = givens(case, case_code(case.seed))
    data.update(course=COURSE_ID, student=trainee)
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


def write_cases(root: Path | str, trainees: Iterable[str], assignments: Iterable[str]) -> list[Path]:
    """Write every (trainee, assignment) case to the outbox ``<course>/cases/``."""
    written = []
    for trainee in trainees:
        for assignment in assignments:
            written.append(_write_json(Path(root) / OUTBOX / trainee / f"{assignment}.json",
                                       trainee_case_data(root, trainee, assignment)))
    return written


def deliver(root: Path | str, trainee: str, assignments: Iterable[str], home: Path | str | None = None) -> list[Path]:
    """Put ``trainee``'s cases where their kernel reads them: ``<home>/.jiuzhu/cases/<course>/<trainee>/``."""
    base = Path(home or Path.home()) / ".jiuzhu" / "cases" / COURSE_ID / trainee
    return [_write_json(base / f"{a}.json", trainee_case_data(root, trainee, a)) for a in assignments]


# ---- trainee side -----------------------------------------------------------------------------
def trainee_case_file(assignment: str, student: str) -> Path | None:
    """The delivered case file of ``student``/``assignment`` this kernel can read, else ``None``."""
    bases = [Path(os.environ[CASES_ENV])] if os.environ.get(CASES_ENV) else []
    bases.append(Path.home() / ".jiuzhu" / "cases" / COURSE_ID)
    for base in bases:
        path = base / student / f"{assignment}.json"
        if path.is_file():
            return path
    return None


def read_case(path: Path, assignment: str, student: str) -> Case:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("assignment") != assignment or data.get("student") != student:
            raise ValueError("不是这位学员或这个练习的案例")
        return case_from_givens(data)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise CaseMissing(TEXT["bad_case"].format(path=Path(path).name, problem=err)) from None


def course_root_above(folder: Path) -> Path | None:
    """The course folder holding ``folder`` when this process can read its secret (trainer side)."""
    for parent in folder.parents:          # never the folder itself: a submission could hold one
        if (parent / "nbgrader_config.py").is_file():
            if course_secret(parent, create=os.access(parent, os.W_OK)) is not None:
                return parent
    return None


def case_for_kernel(assignment: str, student: str, folder: Path) -> Case:
    """The case a notebook kernel shows: full on the trainer side, givens on the trainee side.

    Trainer side: the folder lies inside a course whose secret this process can read (a trainer
    previewing ``source/``, ``nbgrader autograde`` without the sandbox).  Otherwise: the givens
    the grader put in the folder (``.jiuzhu-case.json``, in the sandbox) or the delivered case
    file.  Never generated from a seed a trainee could know.
    """
    folder = Path(folder).resolve()
    root = course_root_above(folder)
    if root is not None:
        return trainer_case(root, assignment, student)
    local = folder / GRADING_FILE
    if local.is_file():
        return read_case(local, assignment, student)
    delivered = trainee_case_file(assignment, student)
    if delivered is None:
        raise CaseMissing(TEXT["no_case"].format(student=student, assignment=assignment))
    return read_case(delivered, assignment, student)


@functools.lru_cache(maxsize=32)
def trainee_case(assignment: str, student: str, folder: Path | str | None = None) -> Case:
    """The case ``student`` sees for ``assignment`` in ``folder`` (cached per process).

    Made on the trainer's side and delivered as data (:func:`case_for_kernel`): in a trainee's
    kernel it carries no answers.
    """
    return case_for_kernel(assignment, student, Path.cwd() if folder is None else Path(folder))

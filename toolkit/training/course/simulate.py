"""Sample trainees and simulated submissions for the demo, the tests and the benchmark.

:func:`sample_roster` is a fictional roster (示例市东湖区 and its 街镇 and 村居, invented names).
:func:`simulate_submissions` writes ``submitted/<student>/<assignment>/`` folders the way
``jiuzhu course collect`` leaves them: the released notebook, the answers sidecar written with
:func:`toolkit.training.trainee.answers.save_answer`, and nbgrader's ``timestamp.txt``.  Each submission
is one of :data:`KINDS`; the right answers come from the trainee's own case, so a "correct"
submission really is correct and a "partly wrong" one loses points only where it was changed.
"""

from __future__ import annotations

import random
import secrets
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from toolkit.cases.base import Question
from toolkit.training.course.roster import Roster, Trainee

# Fictional geography of the sample city: 街镇 → 村居.
SAMPLE_TOWNS = {
    "东湖街道": ("湖滨社区", "樱园社区", "东湖村"),
    "西岭街道": ("岭南社区", "松风社区", "西岭村"),
    "南桥镇": ("南桥村", "杨柳村", "新港社区"),
    "北塘镇": ("北塘村", "荷花村", "塘东社区"),
    "青石镇": ("青石村", "石门村", "云溪村"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志海燕雪梅晓东春丹慧佳琳子涵宇浩然"
ROLES = ("社会救助专干", "村居委会主任", "村居委会委员", "民政协理员", "街镇救助经办人")

KINDS = ("correct", "partly_wrong", "blank", "broken", "tampered", "late")
TAMPERINGS = ("edit_test", "cell_type", "delete_test")


@dataclass(frozen=True)
class SimulatedSubmission:
    student: str
    assignment: str
    kind: str          # one of KINDS
    folder: Path
    detail: str = ""   # how it was tampered with, or which questions were changed


def sample_roster(size: int = 60, seed: int = 20260301) -> Roster:
    """≈ ``size`` fictional cadres spread over the sample city's 街镇 and 村居."""
    rng = random.Random(seed)
    places = [(town, village) for town, villages in SAMPLE_TOWNS.items() for village in villages]
    trainees, used = [], set()
    for index in range(size):
        town, village = places[index % len(places)]
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            if name not in used:
                used.add(name)
                break
        code = f"dh{index + 1:03d}"
        trainees.append(Trainee(code, name, town, village, rng.choice(ROLES), ""))
    return Roster(tuple(trainees), sample=True)


# --------------------------------------------------------------------------- answers

def right_raw(question: Question, rng: random.Random):
    """A right answer as a cadre might type it (forgiving formats vary)."""
    answer = question.answer
    if question.kind == "number":
        return _number_text(Decimal(str(answer)), rng)
    if question.kind == "date":
        d: date = answer
        return rng.choice((f"{d.year}年{d.month}月{d.day}日", d.isoformat()))
    if question.kind == "choice":
        return answer
    if question.kind == "multi":
        return sorted(answer)
    return "已按规定一次性告知申请人需补齐的全部材料，并出具书面告知书。"


def wrong_raw(question: Question, rng: random.Random):
    """A plausible wrong answer."""
    answer = question.answer
    if question.kind == "number":
        return _number_text(Decimal(str(answer)) + rng.choice((Decimal(100), Decimal(-50), Decimal(1))), rng)
    if question.kind == "date":
        return (answer + timedelta(days=rng.choice((1, 2, -1)))).isoformat()
    keys = [o.key for o in question.options]
    if question.kind == "choice":
        others = [k for k in keys if k != answer]
        return rng.choice(others) if others else answer
    if question.kind == "multi":
        picked = set(answer)
        if picked and rng.random() < 0.5:
            picked.discard(sorted(picked)[0])        # missed one
        else:
            extra = [k for k in keys if k not in picked]
            if extra:
                picked.add(rng.choice(extra))        # one too many
        return sorted(picked)
    return "让申请人回去准备材料。"


def _number_text(value: Decimal, rng: random.Random) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    style = rng.randrange(3)
    if style == 1:
        return text + "元" if "." not in text else text
    if style == 2:                                   # full-width digits
        return text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    return text


# --------------------------------------------------------------------------- submissions

def plan_kinds(students: list[str], assignments: list[str], seed: int = 7) -> dict[tuple[str, str], str | None]:
    """Which kind of submission each trainee makes per assignment (``None``: not submitted).

    Mostly correct or partly wrong; a few of each bad kind; about one in eight not submitted.
    """
    rng = random.Random(seed)
    weights = {"correct": 40, "partly_wrong": 35, "blank": 4, "broken": 3, "tampered": 6, "late": 6, None: 12}
    choices, cum = list(weights), list(weights.values())
    plan = {}
    for a_index, assignment in enumerate(assignments):
        # every kind at least once per assignment (when there are enough trainees), rotating who
        forced = {}
        if len(students) >= 2 * len(KINDS):
            forced = {(a_index * 7 + k) % len(students): kind for k, kind in enumerate(KINDS)}
        for index, student in enumerate(students):
            plan[(student, assignment)] = forced[index] if index in forced else rng.choices(choices, cum)[0]
    return plan


def simulate_submissions(course_root: Path, plan: dict[tuple[str, str], str | None], *,
                         due: dict[str, datetime] | None = None, seed: int = 11) -> list[SimulatedSubmission]:
    """Write the planned submissions under ``<course>/submitted/``; return what was written."""
    import nbformat

    from toolkit.training.trainee.answers import save_answer
    from toolkit.training.trainee.casedata import trainer_case

    root = Path(course_root)
    rng = random.Random(seed)
    made = []
    for (student, assignment), kind in sorted(plan.items()):
        if kind is None:
            continue
        release = root / "release" / assignment / f"{assignment}.ipynb"
        folder = root / "submitted" / student / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        target = folder / release.name
        shutil.copyfile(release, target)
        detail = ""
        if kind != "blank":
            case = trainer_case(root, assignment, student)
            wrong = set()
            if kind == "partly_wrong":
                graded = [q.id for q in case.questions if q.kind != "text"]
                wrong = set(rng.sample(graded, k=max(1, len(graded) // 3)))
                detail = "、".join(sorted(wrong))
            for q in case.questions:
                raw = wrong_raw(q, rng) if q.id in wrong else right_raw(q, rng)
                save_answer(folder, assignment, student, q.id, raw)
        if kind == "broken":
            text = target.read_text(encoding="utf-8")
            target.write_text(text[: len(text) // 2], encoding="utf-8")    # cut off mid-file
            detail = "文件被截断"
        if kind == "tampered":
            detail = TAMPERINGS[sum(m.kind == "tampered" for m in made) % len(TAMPERINGS)]
            nb = nbformat.read(target, as_version=4)
            _tamper(nb, detail)
            nbformat.write(nb, target)
        when = (due or {}).get(assignment) or datetime(2026, 3, 1, tzinfo=timezone.utc)
        stamp = when + (timedelta(days=2, hours=3) if kind == "late" else -timedelta(days=1, hours=rng.randrange(72)))
        (folder / "timestamp.txt").write_text(stamp.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC"),
                                              encoding="utf-8")
        # as nbgrader's submit does: the secret that names the released feedback page
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64), encoding="utf-8")
        made.append(SimulatedSubmission(student, assignment, kind, folder, detail))
    return made


def _tamper(nb, how: str) -> None:
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    if not tests:
        return
    cell = tests[0]
    if how == "edit_test":
        cell.source = "# 改成直接给满分\n" + str(cell.metadata["nbgrader"].get("points", 1))
    elif how == "cell_type":
        cell.cell_type = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    else:
        nb.cells.remove(cell)


def set_due_dates(course_root: Path, due: dict[str, datetime], db_url: str | None = None) -> None:
    """Record each assignment's due date in the gradebook (nbgrader uses it for lateness)."""
    from nbgrader.api import Gradebook

    from toolkit.training.course.course import load_course

    _, coursedir = load_course(Path(course_root), db_url)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for assignment, when in due.items():
            gb.update_or_create_assignment(assignment, duedate=when.astimezone(timezone.utc).replace(tzinfo=None))

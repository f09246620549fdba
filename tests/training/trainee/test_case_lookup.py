"""Which delivered case a trainee's notebook or app page reads (per-course case folders).

Two courses (``jiezhen``, ``quji``: two secrets) give the same trainee two different cases of the
same exercise, delivered to ``~/.jiuzhu/cases/<course id>/<trainee>/``.  A home the code before
per-course folders delivered holds ``~/.jiuzhu/cases/jiuzhu/<trainee>/`` only, whatever the course
(its files record course ``jiuzhu``).  The table: the folders present, how the course is known
(the app names it; a hub notebook's folder ``~/<course>/<exercise>/``; not at all: one machine's
``~/<exercise>/``), and which case the trainee must see — or the Chinese "no case", or the
refusal to guess between two courses.  Never another course's case.
"""

from __future__ import annotations

import json

import pytest

from toolkit.training.trainee import casedata
from toolkit.training.trainee.exercise import Exercise
from training_helpers import ASSIGNMENT, trainer_course

pytestmark = pytest.mark.usefixtures("practice_assignment")
STUDENT = "li4"
A, B, LEGACY = "jiezhen", "quji", "jiuzhu"


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    base = tmp_path_factory.mktemp("two-courses")
    return {A: trainer_course(base / A), B: trainer_course(base / B)}


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("JIUZHU_STUDENT", STUDENT)
    monkeypatch.delenv("JIUZHU_CASES", raising=False)
    monkeypatch.delenv(casedata.COURSE_FOLDERS_ENV, raising=False)
    casedata.trainee_case.cache_clear()
    return home


def code_of(courses, course: str) -> str:
    return casedata.trainee_case_data(courses[course], STUDENT, ASSIGNMENT)["code"]


def deliver(courses, home, folders: dict[str, str]) -> None:
    """``folders``: case folder → the course whose case it holds ("legacy:X": course X's case as the
    old code delivered it, recording course ``jiuzhu``; "link:X": a link to the folder of X)."""
    for folder, what in folders.items():
        if what.startswith("link:"):
            casedata.cases_home(home).mkdir(parents=True, exist_ok=True)
            (casedata.cases_home(home) / folder).symlink_to(casedata.cases_home(home) / what[5:])
            continue
        legacy = what.startswith("legacy:")
        course = what.split(":")[-1]
        data = casedata.trainee_case_data(courses[course], STUDENT, ASSIGNMENT,
                                          course=LEGACY if legacy else course)
        path = casedata.delivered_file(folder, STUDENT, ASSIGNMENT, home)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


# (id, folders delivered, course known as, expected: the course whose case is seen | "missing" | "ambiguous")
TABLE = [
    ("known-own-folder", {A: A, B: B}, B, B),
    ("known-other-course-of-two", {A: A, B: B}, A, A),
    ("known-missing-other-course-there", {B: B}, A, "missing"),
    ("known-missing-only-legacy-there", {LEGACY: f"legacy:{A}"}, A, "missing"),
    ("known-repository-course-legacy-home", {LEGACY: f"legacy:{A}"}, LEGACY, A),
    ("known-link-planted-at-its-folder", {B: B, A: f"link:{B}"}, A, "missing"),
    ("unknown-legacy-only", {LEGACY: f"legacy:{A}"}, None, A),
    ("unknown-one-course", {B: B}, None, B),
    ("unknown-legacy-and-its-new-copy", {LEGACY: f"legacy:{A}", A: A}, None, A),
    ("unknown-two-courses", {A: A, B: B}, None, "ambiguous"),
    ("unknown-legacy-and-another-course", {LEGACY: f"legacy:{A}", B: B}, None, "ambiguous"),
    ("unknown-nothing", {}, None, "missing"),
]
HOW = ["app", "hub-notebook-folder"]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("folders,course,expected", [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_the_case_of_the_notebooks_course_or_none(courses, home, monkeypatch, how, folders, course, expected):
    deliver(courses, home, folders)
    if course is not None and how == "hub-notebook-folder":      # nbgrader's ~/<course>/<exercise>/ on a hub
        monkeypatch.setenv(casedata.COURSE_FOLDERS_ENV, "1")
        folder, given = home / course / ASSIGNMENT, None
    else:                        # the app names the course; unknown: one machine's ~/<exercise>/
        folder, given = home / ASSIGNMENT, course
    folder.mkdir(parents=True)
    if expected in ("missing", "ambiguous"):
        with pytest.raises(casedata.CaseMissing) as err:
            Exercise(ASSIGNMENT, folder, given)
        assert isinstance(err.value, casedata.CaseAmbiguous) == (expected == "ambiguous")
        shown = str(err.value)
        assert "课程" in shown if expected == "ambiguous" else ("请联系培训老师" in shown)
        return
    assert Exercise(ASSIGNMENT, folder, given).case.code == code_of(courses, expected)


@pytest.mark.parametrize("env,folder,known", [
    ("1", ("quji", ASSIGNMENT), "quji"),                 # the hub: ~/<course>/<exercise>/
    (None, ("quji", ASSIGNMENT), None),                  # one machine: a folder named like a course is not one
    ("1", (ASSIGNMENT,), None),                          # ~/<exercise>/: moved out of its course folder
    ("1", ("work", "quji", ASSIGNMENT), None),           # not where nbgrader fetches (the home)
    ("1", ("quji", "notes"), None),                      # not the exercise's folder
    ("1", ("..", "quji", ASSIGNMENT), None),             # beside the home, not in it
])
def test_the_course_a_folder_names(tmp_path, env, folder, known):
    home = tmp_path / "home"
    home.mkdir()
    path = home.joinpath(*folder)
    environ = {casedata.COURSE_FOLDERS_ENV: env} if env else {}
    assert casedata.course_of_folder(path, ASSIGNMENT, environ, home) == known


def test_an_explicit_outbox_of_another_course_is_passed_over(courses, home, monkeypatch):
    """``$JIUZHU_CASES`` names one course's outbox: a known other course reads its own folder."""
    casedata.write_cases(courses[A], [STUDENT], [ASSIGNMENT], A)
    monkeypatch.setenv("JIUZHU_CASES", str(courses[A] / casedata.OUTBOX))
    deliver(courses, home, {B: B})
    folder = home / ASSIGNMENT
    folder.mkdir()
    assert Exercise(ASSIGNMENT, folder, B).case.code == code_of(courses, B)
    casedata.trainee_case.cache_clear()
    assert Exercise(ASSIGNMENT, folder, A).case.code == code_of(courses, A)
    casedata.trainee_case.cache_clear()
    assert Exercise(ASSIGNMENT, folder).case.code == code_of(courses, A)     # explicit, course unknown

"""Fixtures for tests/training: a throw-away assignment ``t01_practice`` made visible as
``toolkit.cases.t01_practice`` (in this process and, through an IPython startup file, in
kernels started by nbgrader) for the test modules that ask for it
(``pytestmark = pytest.mark.usefixtures("practice_assignment")``); the grading tests' tiny
generic course (:mod:`grading_course`)."""

from __future__ import annotations

import sys

import pytest

import toolkit.cases
from grading_course import course_template  # noqa: F401  (session fixture)
from training_helpers import ASSIGNMENT, FAKE_CASES, deliver_all, trainer_course


@pytest.fixture(scope="session")
def cases_course(tmp_path_factory):
    """The trainer's course of these tests (its secret; the test trainees' cases in its outbox)."""
    return trainer_course(tmp_path_factory.mktemp("cases-course") / "course")


@pytest.fixture
def case_of(cases_course):
    """The full case (with answers) of a trainee, made on the trainer's side."""
    from toolkit.training.trainee.casedata import trainer_case

    return lambda student, assignment=ASSIGNMENT: trainer_case(cases_course, assignment, student)


@pytest.fixture
def practice_assignment(monkeypatch, cases_course):
    """``toolkit.cases.t01_practice`` importable and listed in ``ASSIGNMENTS``."""
    monkeypatch.setattr(toolkit.cases, "__path__", [*toolkit.cases.__path__, str(FAKE_CASES)])
    monkeypatch.setattr(toolkit.cases, "ASSIGNMENTS", (ASSIGNMENT,), raising=False)
    for key in ("JUPYTERHUB_USER", "JIUZHU_STUDENT"):
        monkeypatch.delenv(key, raising=False)
    # trainees' kernels read the cases delivered to them (made with the course secret)
    monkeypatch.setenv("JIUZHU_CASES", str(deliver_all(cases_course)))
    from toolkit.training.trainee.casedata import trainee_case

    trainee_case.cache_clear()
    yield
    sys.modules.pop(f"toolkit.cases.{ASSIGNMENT}", None)
    trainee_case.cache_clear()

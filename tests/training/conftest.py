"""Fixtures for tests/training: a throw-away assignment ``t01_practice`` made visible as
``toolkit.cases.t01_practice`` (in this process and, through an IPython startup file, in
kernels started by nbgrader)."""

from __future__ import annotations

import sys

import pytest

import toolkit.cases
from training_helpers import ASSIGNMENT, FAKE_CASES


@pytest.fixture(autouse=True)
def practice_assignment(monkeypatch):
    """``toolkit.cases.t01_practice`` importable and listed in ``ASSIGNMENTS``."""
    monkeypatch.setattr(toolkit.cases, "__path__", [*toolkit.cases.__path__, str(FAKE_CASES)])
    monkeypatch.setattr(toolkit.cases, "ASSIGNMENTS", (ASSIGNMENT,), raising=False)
    for key in ("JUPYTERHUB_USER", "JIUZHU_STUDENT"):
        monkeypatch.delenv(key, raising=False)
    from toolkit.training.exercise import trainee_case

    trainee_case.cache_clear()
    yield
    sys.modules.pop(f"toolkit.cases.{ASSIGNMENT}", None)
    trainee_case.cache_clear()

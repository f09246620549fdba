"""Fixtures for tests/training: a throw-away assignment ``t01_practice`` made visible as
``toolkit.cases.t01_practice`` (in this process and, through an IPython startup file, in
kernels started by nbgrader)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import toolkit.cases

FAKE_CASES = Path(__file__).parent / "fake_cases"
ASSIGNMENT = "t01_practice"
REPO = Path(__file__).resolve().parents[2]


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


def ipython_dir_with_fake_cases(path: Path) -> Path:
    """An IPYTHONDIR whose startup file adds the fake cases to ``toolkit.cases`` in kernels."""
    startup = path / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-fake-cases.py").write_text(
        "import toolkit.cases\n"
        f"toolkit.cases.__path__.append({str(FAKE_CASES)!r})\n", encoding="utf-8")
    return path


def copy_course(tmp: Path) -> Path:
    """A temporary copy of the repository's course folder (config only; no built state)."""
    root = tmp / "courses"
    root.mkdir()
    shutil.copy(REPO / "courses" / "nbgrader_config.py", root / "nbgrader_config.py")
    return root

"""Helpers shared by tests/training (a uniquely named module: other folders have a conftest too)."""

from __future__ import annotations

import shutil
from pathlib import Path

FAKE_CASES = Path(__file__).parent / "fake_cases"
ASSIGNMENT = "t01_practice"
REPO = Path(__file__).resolve().parents[2]


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

"""Shared fixtures for the supervision tests: one sample store per session, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST_DIR = ROOT / "checklists"


@pytest.fixture(scope="session")
def checklists():
    from toolkit.checklists import load_checklists

    return load_checklists(CHECKLIST_DIR)

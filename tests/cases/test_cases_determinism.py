"""The same seed gives the same case in another process (another hash seed, fresh imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from case_tools import digest
from toolkit.cases import ASSIGNMENTS, case_for

STUDENTS = ("student-001", "张三", "cadre-42")

CHILD = """
import json, sys
sys.path.insert(0, {here!r})
from case_tools import digest
from toolkit.cases import ASSIGNMENTS, case_for
print(json.dumps({{a: [digest(case_for("jiuzhu", a, s)) for s in {students!r}] for a in ASSIGNMENTS}}))
"""


@pytest.mark.slow
def test_cases_are_identical_across_processes():
    folder = os.path.dirname(os.path.abspath(__file__))
    here = {a: [digest(case_for("jiuzhu", a, s)) for s in STUDENTS] for a in ASSIGNMENTS}
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", CHILD.format(here=folder, students=STUDENTS)],
                             capture_output=True, text=True, env=env, check=True, timeout=120).stdout
        assert json.loads(out) == here

"""The papermill commands of docs/reports.md (running the report notebooks without ``jiuzhu``) work as
written, on the small fictional round: same notebooks, the documented parameters."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _readme_papermill_commands() -> list[str]:
    text = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    commands = []
    for body in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in body.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith(("papermill ", "mkdir ")):
                commands.append(line)
    return commands


@pytest.mark.slow
def test_readme_papermill_commands_run(small_store, tmp_path):
    commands = _readme_papermill_commands()
    assert sum(c.startswith("papermill") for c in commands) >= 3
    papermill = [sys.executable, "-m", "papermill"]
    for command in commands:
        words = shlex.split(command.replace("data/jiuzhu.sqlite", str(small_store)).replace("2019-12-02", "2019-12-23"))
        if words[0] == "mkdir":
            for folder in words[2:]:
                (tmp_path / folder).mkdir(parents=True, exist_ok=True)
            continue
        words = [str(ROOT / w) if w.startswith(("inspections/", "toolkit/")) else w for w in words[1:]]
        done = subprocess.run(papermill + words, cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stderr[-2000:])
    assert (tmp_path / "build" / "东湖区" / "报告.docx").is_file()
    assert (tmp_path / "build" / "东湖区" / "整改清单.xlsx").is_file()
    assert (tmp_path / "build" / "全市汇总" / "报告.docx").is_file()

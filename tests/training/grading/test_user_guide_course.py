"""nbgrader's own user-guide course graded three ways gives the same grades (issue 14).

The course (``source/ps1`` with ``header.ipynb``, the submissions of ``bitdiddle`` and ``hacker``
and the ``grades.csv`` nbgrader's documentation build exported) ships inside the installed
nbgrader package; it is copied from there at test time, never committed.  It is set up the way
nbgrader's user guide does it (``nbgrader generate_assignment ps1 --IncludeHeaderFooter.header=
source/header.ipynb``), then one copy is graded with plain ``nbgrader autograde ps1``, one with
``jiuzhu course grade --unsafe-no-sandbox`` (warm kernels) and one with ``jiuzhu course grade``
as it runs by default (every kernel in the autograde sandbox).  Every grade cell's score, every
notebook's and every submission's must be the same in the three gradebooks, and ``nbgrader
export`` must write the shipped ``grades.csv`` scores.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
STUDENTS = ("bitdiddle", "hacker")
COLD_LINE = "预热内核不可用"        # toolkit.kernels.messages.COLD_START


def user_guide() -> Path:
    import nbgrader

    folder = Path(nbgrader.__file__).parent / "docs" / "source" / "user_guide"
    assert (folder / "source" / "ps1").is_dir(), f"nbgrader {nbgrader.__version__} ships no user guide at {folder}"
    return folder


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("JIUZHU_WARM_KERNELS", None)
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def released_course(tmp_path_factory) -> Path:
    """The user-guide course with ps1 generated as the guide does it, nothing graded yet."""
    guide = user_guide()
    root = tmp_path_factory.mktemp("user-guide") / "released"
    shutil.copytree(guide / "source", root / "source")
    for student in STUDENTS:
        shutil.copytree(guide / "submitted" / student / "ps1", root / "submitted" / student / "ps1")
    (root / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    _run([str(BIN / "nbgrader"), "generate_assignment", "ps1",
          "--IncludeHeaderFooter.header=source/header.ipynb", "--force"], cwd=root)
    return root


def _graded_copy(released: Path, dest: Path, cmd: list[str]) -> subprocess.CompletedProcess:
    shutil.copytree(released, dest)
    done = _run(cmd, cwd=dest)
    _run([str(BIN / "nbgrader"), "export"], cwd=dest)
    return done


@pytest.fixture(scope="module")
def gradings(released_course, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """(course root, stderr of the grading command) for each way of grading."""
    base = tmp_path_factory.mktemp("user-guide-graded")
    runs = {
        "nbgrader": [str(BIN / "nbgrader"), "autograde", "ps1", "--force"],
        "jiuzhu_warm": [str(BIN / "jiuzhu"), "course", "grade", "--course", ".", "--quiet",
                        "--unsafe-no-sandbox"],
        "jiuzhu_sandboxed": [str(BIN / "jiuzhu"), "course", "grade", "--course", ".", "--quiet"],
    }
    return {name: (base / name, _graded_copy(released_course, base / name, cmd).stderr)
            for name, cmd in runs.items()}


def cell_scores(root: Path) -> dict:
    """Every grade cell's (auto score, max score), every notebook's and submission's score."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in STUDENTS:
            submission = gb.find_submission("ps1", student)
            found[(student, "total")] = (float(submission.score), float(submission.max_score))
            for notebook in submission.notebooks:
                found[(student, notebook.name)] = (float(notebook.score), float(notebook.max_score))
                for grade in notebook.grades:
                    found[(student, notebook.name, grade.name)] = (grade.auto_score, float(grade.max_score))
    return found


def exported(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "grades.csv", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    keys = ("assignment", "timestamp", "raw_score", "late_submission_penalty", "score", "max_score")
    return {student: {k: rows[student][k] for k in keys} for student in sorted(rows)}


def test_every_grade_cell_scores_the_same_as_plain_nbgrader(gradings):
    plain = cell_scores(gradings["nbgrader"][0])
    assert any(len(key) == 3 and score[0] for key, score in plain.items()), plain  # something scored
    assert any(len(key) == 3 and score[0] == 0 for key, score in plain.items()), plain  # something failed
    for name in ("jiuzhu_warm", "jiuzhu_sandboxed"):
        assert cell_scores(gradings[name][0]) == plain, name


def source_points() -> float:
    import nbformat

    return sum(float(cell.metadata["nbgrader"]["points"])
               for path in sorted((user_guide() / "source" / "ps1").glob("*.ipynb"))
               for cell in nbformat.read(path, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("points"))


def test_exported_grades_equal_the_grades_nbgrader_ships(gradings):
    """Scores, penalties and timestamps as in the shipped ``grades.csv``.  Its ``max_score``
    (23.0) is not what its own source gives (13 points in ``source/ps1``; nbgrader 0.9.6 exports
    13.0 too): the maximum is compared with the source and with plain nbgrader instead."""
    with open(user_guide() / "grades.csv", encoding="utf-8") as handle:
        shipped = {row["student_id"]: row for row in csv.DictReader(handle)}
    plain = exported(gradings["nbgrader"][0])
    for name, (root, _) in gradings.items():
        rows = exported(root)
        assert sorted(rows) == sorted(shipped) == list(STUDENTS), name
        for student, row in rows.items():
            for key in ("raw_score", "late_submission_penalty", "score"):
                assert float(row[key]) == float(shipped[student][key]), (name, student, key)
            assert row["timestamp"] == shipped[student]["timestamp"], (name, student)
            assert float(row["max_score"]) == source_points() == float(plain[student]["max_score"])
        assert rows == plain, name


def test_our_gradings_ran_warm_and_sandboxed_as_asked(gradings):
    warm_err, sandboxed_err = gradings["jiuzhu_warm"][1], gradings["jiuzhu_sandboxed"][1]
    assert "--unsafe-no-sandbox" in warm_err and COLD_LINE not in warm_err
    assert "沙箱外" not in sandboxed_err, sandboxed_err[-2000:]
    for name in ("jiuzhu_warm", "jiuzhu_sandboxed"):
        root = gradings[name][0]
        for student in STUDENTS:     # nbgrader's autograded folder, with the notebooks' files
            assert (root / "autograded" / student / "ps1" / "jupyter.png").is_file(), (name, student)

"""Issue 24: one bad file gives that submission 0 with a named reason; the batch goes on, and the
summary, the gradebook and the 培训台账 agree (also when every test cell was deleted)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import nbformat
import pytest

from grading_course import _set_answer_cell, copy_course, released, scores_by_student, submit

pytestmark = pytest.mark.slow

GOOD = "x = 42\ny = 3"
# student → (what to do to the submitted folder, words the reason must contain)
BAD = {
    "b_deep_answers": (lambda f: (f / "answers.json").write_text("[" * 100_000 + "]" * 100_000), "嵌套层数超过"),
    "b_huge_answers": (lambda f: (f / "answers.json").write_text('{"answers": {}, "x": "' + "y" * 2**21 + '"}'),
                       "文件过大"),
    "b_gbk_answers": (lambda f: (f / "answers.json").write_bytes("作答".encode("gbk")), "不是 UTF-8"),
    "b_text_answers": (lambda f: (f / "answers.json").write_text("这不是 JSON", encoding="utf-8"), "不是合法的 JSON"),
    "b_link_answers": (lambda f: ((f / "answers.json").unlink(), (f / "answers.json").symlink_to("/etc/shadow")),
                       "符号链接"),
    "b_deep_notebook": (lambda f: (f / "ps1.ipynb").write_text('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}"),
                        "嵌套层数超过"),
    "b_huge_notebook": (lambda f: (f / "ps1.ipynb").write_text('{"cells": [], "x": "' + "y" * (17 * 2**20) + '"}'),
                        "文件过大"),
    "b_malformed_notebook": (lambda f: (f / "ps1.ipynb").write_text('{"cells": [{"cell_type": 3}]}'),
                             "不是可读取的笔记本"),
    "b_fifo_extra": (lambda f: os.mkfifo(f / "data.csv"), "命名管道"),
}


def _outcome(run, student):
    return next(o for o in run.outcomes if o.student == student)


@pytest.fixture(scope="module")
def graded(course_template, tmp_path_factory):
    from toolkit.training.grading.grading import grade_course

    root = copy_course(course_template, tmp_path_factory.mktemp("badfiles") / "course")
    base = released(root)
    for student in ("a_good", *BAD, "z_good"):
        folder = submit(root, student, _set_answer_cell(copy.deepcopy(base), GOOD))
        if student in BAD:
            BAD[student][0](folder)
    run = grade_course(root, jobs=2, timeout=60, progress=False)
    return root, run


def test_the_batch_completes_and_the_good_ones_are_graded(graded):
    root, run = graded
    assert {o.student for o in run.outcomes} == {"a_good", "z_good", *BAD}
    assert _outcome(run, "a_good").score == 6.0 and _outcome(run, "z_good").score == 6.0
    assert run.exit_code == 1                                  # some could not be graded, and say so


@pytest.mark.parametrize("student", list(BAD))
def test_each_bad_file_scores_zero_with_its_reason_everywhere(graded, student):
    from toolkit.training.grading.grading import format_summary

    root, run = graded
    outcome = _outcome(run, student)
    assert outcome.status == "failed" and outcome.score == 0
    assert any(BAD[student][1] in reason for reason in outcome.reasons), outcome.reasons
    line = next(line for line in format_summary(run).splitlines() if line.startswith(student))
    assert BAD[student][1] in line and "记 0 分" in line
    assert scores_by_student(root).get(student, 0.0) == 0.0          # the gradebook agrees
    autograded = root / "autograded" / student / "ps1"
    assert not autograded.exists() or not any(p.is_symlink() for p in autograded.rglob("*"))


def test_a_notebook_without_its_test_cells_scores_zero_in_summary_and_gradebook(course_template, tmp_path):
    """A trainee graded 6/6, then resubmits with every test cell deleted: 0 everywhere."""
    from toolkit.training.grading.grading import grade_course

    root = copy_course(course_template, tmp_path / "course")
    good = _set_answer_cell(copy.deepcopy(released(root)), GOOD)
    submit(root, "s_again", good)
    assert [o.score for o in grade_course(root, jobs=1, timeout=60, progress=False).outcomes] == [6.0]
    stripped = copy.deepcopy(good)
    stripped.cells = [c for c in stripped.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    submit(root, "s_again", stripped, timestamp="2026-02-21 09:00:00 UTC")
    run = grade_course(root, jobs=1, timeout=60, progress=False, force=True)
    outcome = run.outcomes[0]
    assert sorted(r for r in outcome.reasons if "删除了测试单元格" in r) == [
        f"删除了测试单元格 {cell}（该题不得分）" for cell in ("t_file", "t_x", "t_y")]
    assert outcome.score == 0.0 and scores_by_student(root)["s_again"] == 0.0


def test_the_ledger_reads_what_the_summary_says(graded):
    """The 培训台账 is built from the gradebook rows read here (toolkit.training.analytics)."""
    from toolkit.training.analytics.analytics import read_gradebook

    root, run = graded
    _, submissions, cells = read_gradebook(f"sqlite:///{root / 'gradebook.db'}")
    ledger = {row["student"]: row["score"] for row in submissions}
    for outcome in run.outcomes:
        assert ledger.get(outcome.student, 0.0) == outcome.score, outcome.student
    for cell in cells:
        if cell["student"] in BAD:
            assert not cell["score"], cell          # no cell of a refused submission keeps points


def test_a_saved_notebook_over_the_size_cap_scores_zero_and_says_so(course_template, tmp_path):
    """The cap on the executed notebook (here tightened by the course to 2,000 bytes)."""
    from toolkit.training.grading.grading import format_summary, grade_course

    root = copy_course(course_template, tmp_path / "course")
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write("c.DeadlineExecute.notebook_bytes = 2000\n")
    submit(root, "s_big", _set_answer_cell(copy.deepcopy(released(root)), GOOD + "\nprint('z' * 3000)"))
    run = grade_course(root, jobs=1, timeout=60, progress=False)
    outcome = run.outcomes[0]
    assert outcome.status == "failed" and outcome.score == 0 and scores_by_student(root)["s_big"] == 0.0
    assert "评分后的笔记本超过 2000 字节" in format_summary(run)


def test_a_link_planted_in_a_feedback_folder_is_never_released(graded):
    """nbgrader's release_feedback copies every page with shutil.copy, which follows links."""
    from toolkit.training.course import course

    root, _ = graded
    (root / "autograded" / "a_good" / "ps1" / "submission_secret.txt").write_text("secret-a", encoding="utf-8")
    folder = root / "feedback" / "a_good" / "ps1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "extra.html").symlink_to("/etc/shadow")
    run = course.feedback(root, student="a_good", publish=True)
    assert [p.name for p in run.released] == ["ps1.html"]
    shadow = Path("/etc/shadow").read_bytes()[:40]
    exchange = Path(course.load_config(root).Exchange.root)
    for page in exchange.rglob("*.html"):
        assert not page.is_symlink() and shadow not in page.read_bytes(), page

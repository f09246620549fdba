"""Fast checks (no kernels): nbgrader's warnings become reasons, hidden-test removal is not tampering."""

from __future__ import annotations

import logging

from toolkit.training.grading.grading import GradeRun, SubmissionOutcome, format_summary
from toolkit.training.grading.grading_pipeline import Problem, _changed_since_release, problems_from_log


def _record(msg, *args):
    return logging.LogRecord("nbgrader", logging.WARNING, __file__, 1, msg, args, None)


def test_nbgrader_warnings_become_problem_codes():
    records = [
        _record("Attribute '%s' for cell %s has changed! (should be: %s, got: %s)", "checksum", "q1_test", "a", "b"),
        _record("Attribute '%s' for cell %s has changed! (should be: %s, got: %s)", "cell_type", "q2_test", "code",
                "markdown"),
        _record("Cell with id '%s' exists multiple times!", "q3_test"),
        _record("Cell 'q9_test' does not exist in the database"),
        _record("Missing grade cell q4_test encountered, adding to notebook"),
        _record("Something else entirely"),
    ]
    assert problems_from_log(records) == [Problem("edited_test", "q1_test"), Problem("cell_type", "q2_test"),
                                          Problem("duplicate", "q3_test"), Problem("unknown_cell", "q9_test"),
                                          Problem("restored_cell", "q4_test")]


def test_a_test_cell_left_as_released_is_not_reported_as_edited():
    released = {"q1_test": ("code", "check('m01', 'q1')"), "q2_test": ("code", "check('m01', 'q2')")}
    submitted = {"q1_test": ("code", "check('m01', 'q1')"), "q2_test": ("code", "10")}
    problems = [Problem("edited_test", "q1_test"), Problem("edited_test", "q2_test")]
    assert _changed_since_release(problems, submitted, released) == [Problem("edited_test", "q2_test")]


def test_summary_lists_problem_submissions_with_reasons_in_chinese():
    run = GradeRun([
        SubmissionOutcome("dh001", "m01_means_test", "ok", 10, 10),
        SubmissionOutcome("dh002", "m01_means_test", "problem", 8, 10, 0, [Problem("deleted_test", "q1_test")]),
        SubmissionOutcome("dh003", "m01_means_test", "failed", 0, 10, 3 * 86400, [Problem("broken")]),
    ], 12.0, 2)
    text = format_summary(run)
    assert "共 3 份提交" in text and "正常 1 份" in text and "未能评分 1 份" in text
    assert "dh001" not in text                                      # nothing to say about it
    assert "删除了测试单元格 q1_test" in text and "逾期提交（晚 3.0 天）" in text
    assert run.exit_code == 1

"""``jiuzhu course grade``: parity with ``nbgrader autograde`` and every kind of bad submission."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from grading_course import EXPECTED, copy_course, make_submissions, scores_by_student, submit, released, \
    _set_answer_cell

pytestmark = pytest.mark.slow

ALL_KINDS = tuple(EXPECTED) + ("s_empty", "s_endless")


@pytest.fixture(scope="module")
def graded(course_template, tmp_path_factory):
    """The test course with one submission of every kind, graded once with 2 workers."""
    from toolkit.training.grading.grading import grade_course

    root = copy_course(course_template, tmp_path_factory.mktemp("graded") / "course")
    make_submissions(root, ALL_KINDS)
    started = time.perf_counter()
    run = grade_course(root, jobs=2, timeout=6, progress=False)
    return root, run, time.perf_counter() - started


def _outcome(run, student):
    return next(o for o in run.outcomes if o.student == student)


def test_scores_equal_plain_nbgrader_autograde(graded, course_template, tmp_path):
    root, run, _ = graded
    reference = copy_course(course_template, tmp_path / "course")
    make_submissions(reference, tuple(EXPECTED))
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "nbgrader"), "autograde", "ps1"],
                   cwd=reference, env=env, capture_output=True, timeout=300)
    theirs = scores_by_student(reference)
    ours = scores_by_student(root)
    assert theirs == {s: EXPECTED[s] for s in EXPECTED}
    assert {s: ours[s] for s in EXPECTED} == theirs


def test_tampered_submissions_score_what_they_earn_and_say_why(graded):
    _, run, _ = graded
    edited = _outcome(run, "s_edited")
    assert edited.score == 4.0 and edited.status == "problem"
    assert any("改动了锁定的测试单元格 t_x" in r for r in edited.reasons)
    retyped = _outcome(run, "s_celltype")
    assert retyped.score == 6.0 and any("类型" in r and "t_y" in r for r in retyped.reasons)
    assert not any("锁定的测试单元格" in r for r in retyped.reasons)      # one reason per change
    deleted = _outcome(run, "s_deleted")
    assert deleted.score == 3.0 and any("删除了测试单元格 t_y" in r for r in deleted.reasons)


def test_untouched_submissions_are_not_flagged(graded):
    _, run, _ = graded
    for student in ("s_good", "s_partial"):
        outcome = _outcome(run, student)
        assert outcome.status == "ok" and outcome.problems == []
    assert _outcome(run, "s_partial").score == 4.5            # partial credit from a numeric output


def test_broken_empty_and_blank_never_stop_the_batch(graded):
    root, run, _ = graded
    broken = _outcome(run, "s_broken")
    assert broken.status == "failed" and broken.score == 0
    assert not (root / "autograded" / "s_broken" / "ps1").exists()   # like nbgrader: no half result
    empty = _outcome(run, "s_empty")
    assert empty.score == 0 and any("空" in r for r in empty.reasons)
    blank = _outcome(run, "s_blank")
    # a plain nbgrader course (no answer cards): no answer-card warning, exactly nbgrader's score
    assert blank.score == 0 and not any("没有作答记录" in r for r in blank.reasons)
    assert run.exit_code == 1                                # something could not be graded
    assert len(run.outcomes) == len(ALL_KINDS)               # …and everything else was


def test_endless_cell_is_interrupted_and_later_tests_still_count(graded):
    _, run, seconds = graded
    endless = _outcome(run, "s_endless")
    assert any("运行超时" in r for r in endless.reasons)
    assert endless.score == 6.0          # x and y were set before the loop: the tests pass
    assert seconds < 120


def test_late_submission_is_reported(graded):
    _, run, _ = graded
    late = _outcome(run, "s_late")
    assert late.seconds_late > 24 * 3600 and late.score == 6.0
    from toolkit.training.grading.grading import format_summary

    summary = format_summary(run)
    assert "逾期提交" in summary and "s_late" in summary and "未能评分" in summary


def test_second_run_skips_graded_submissions_unless_forced(graded):
    from toolkit.training.grading.grading import grade_course

    root, _, _ = graded
    again = grade_course(root, jobs=1, progress=False, students=["s_good", "s_partial"])
    assert {o.status for o in again.outcomes} == {"skipped"}
    assert {o.student: o.score for o in again.outcomes} == {"s_good": 6.0, "s_partial": 4.5}


def test_unresponsive_kernel_is_killed_and_replaced(course_template, tmp_path, monkeypatch):
    """A kernel that ignores interrupts is killed with its worker once past the hard limit."""
    from toolkit.training.grading import grading

    root = copy_course(course_template, tmp_path / "course")
    nb = _set_answer_cell(released(root), "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                          "x = 42\ny = 3\nwhile True:\n    time.sleep(0.1)")
    submit(root, "s_stuck", nb)
    make_submissions(root, ("s_good",))
    monkeypatch.setattr(grading, "HARD_KILL_GRACE", 6.0)
    started = time.perf_counter()
    run = grading.grade_course(root, jobs=1, timeout=4, progress=False)
    assert time.perf_counter() - started < 60
    stuck = _outcome(run, "s_stuck")
    # killed by the watchdog, or given up by nbclient when the kernel stays silent after the
    # interrupt (raise_on_iopub_timeout): either way it is listed and the batch goes on
    assert stuck.status == "failed" and any("强制终止" in r or "无法运行" in r for r in stuck.reasons)
    assert _outcome(run, "s_good").score == 6.0              # the replacement worker carried on


def test_cli_grade_prints_summary_and_exit_status(course_template, tmp_path, capsys):
    from toolkit.cli import main

    root = copy_course(course_template, tmp_path / "course")
    make_submissions(root, ("s_good", "s_partial"))
    code = main(["course", "grade", "--course", str(root), "--jobs", "2", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "评分完成：共 2 份提交" in out


def test_cli_grade_errors_are_chinese_with_exit_2(course_template, tmp_path, capsys):
    from toolkit.cli import main

    root = copy_course(course_template, tmp_path / "course")
    assert main(["course", "grade", "--course", str(root)]) == 2          # nothing submitted yet
    assert "没有找到任何提交" in capsys.readouterr().err
    assert main(["course", "grade", "--course", str(tmp_path / "nowhere")]) == 2
    assert "nbgrader_config.py" in capsys.readouterr().err
    make_submissions(root, ("s_good",))
    assert main(["course", "grade", "--course", str(root), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err
    assert main(["course", "grade", "--course", str(root), "--db", "nosuchdb://x/y"]) == 2
    assert "无法打开评分数据库" in capsys.readouterr().err
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"          # any SQLAlchemy URL; this one lacks ps1
    assert main(["course", "grade", "--course", str(root), "--db", fresh]) == 2
    assert "ps1 不在评分数据库中" in capsys.readouterr().err
    assert not (root / "autograded").exists()              # nothing was graded


def test_each_worker_has_the_writers_environment_of_its_start(course_template, tmp_path, monkeypatch):
    """Workers are forked from a fork server that started with the first grading of this process;
    each still runs with the writer's environment and umask of the moment it was started (as a
    spawned worker would), not the server's: a second grading sees both changed in between."""
    import copy

    from toolkit.training.grading.grading import grade_course

    source = ("import os\nmask = os.umask(0o077)\nos.umask(mask)\n"
              "x = 42 if (os.environ.get('JZ_WORKER_MARK'), mask) == ({mark!r}, {umask}) else 0\ny = 3")
    scores = []
    before = os.umask(0o022)
    try:
        for mark, umask in (("first", 0o022), ("second", 0o027)):
            monkeypatch.setenv("JZ_WORKER_MARK", mark)
            os.umask(umask)
            root = copy_course(course_template, tmp_path / mark)
            submit(root, "s_env", _set_answer_cell(copy.deepcopy(released(root)),
                                                   source.format(mark=mark, umask=umask)))
            run = grade_course(root, jobs=1, timeout=60, progress=False, unsafe_no_sandbox=True)
            scores.append(_outcome(run, "s_env").score)
    finally:
        os.umask(before)
    assert scores == [6.0, 6.0]

"""Hostile submissions against the autograde sandbox (issue 10, item 1).

Each hostile trainee sets the right answers and then tries one escape found by the red team.  The
batch must complete, every escape must fail, and the witness trainee graded before (score,
answers file, feedback page, gradebook row) and the course files must be exactly as they were.
"""

from __future__ import annotations

import copy
import hashlib
import os
import sys
from pathlib import Path

import nbformat
import pytest

from grading_course import _set_answer_cell, copy_course, released, scores_by_student, submit

pytestmark = [
    pytest.mark.slow,
    # nbgrader's release_feedback misspells ``authenticator`` (harmless upstream typo)
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning"),
]

CANARY = "jiuzhu-canary-7f3a"            # a secret in the grader's environment
MARKER = "jiuzhu-detached-child-5c1e"    # argv of a detached child that must not survive


def _hostile(root: Path, grader_pid: int) -> dict[str, str]:
    witness = root / "submitted" / "s_good" / "ps1"
    return {
        "h_gradebook": f"import sqlite3\ndb = sqlite3.connect({str(root / 'gradebook.db')!r})\n"
                       "db.execute('update grade set auto_score = 0'); db.commit()",
        "h_other": f"open({str(witness / 'answers.json')!r}, 'w').write('{{}}')\n"
                   f"open({str(root / 'feedback' / 's_good' / 'ps1' / 'ps1.html')!r}, 'w').write('pwned')",
        "h_config": f"open({str(root / 'nbgrader_config.py')!r}, 'a').write('\\nimport os; os.system(\"touch /tmp/pwned\")\\n')",
        "h_secrets": "import os\nprint('ENV', dict(os.environ))\nprint('SHADOW', open('/etc/shadow').read())",
        "h_kill": f"import os, signal\nos.kill({grader_pid}, signal.SIGKILL)\nos.kill(os.getppid(), signal.SIGKILL)\n"
                  "os.kill(-1, signal.SIGKILL)",
        "h_detached": "import subprocess, sys\n"
                      f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {MARKER!r}],"
                      " start_new_session=True)\nprint('CHILD STARTED')",
        "h_memory": "block = bytearray(20 * 2**30)\nprint('ALLOCATED', len(block))",
        "h_output": "print('x' * 50_000_000)",
        "h_marker_out": "print('### BEGIN HIDDEN TESTS')\nprint('### END SOLUTION')",
        "h_marker_src": "# ### BEGIN HIDDEN TESTS\n# ### BEGIN SOLUTION\npass",
        "h_network": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\nprint('CONNECTED')",
    }


def _cell(code: str) -> str:
    """Right answers first, then the attack; its outcome is printed."""
    return ("x = 42\ny = 3\ntry:\n" + "".join(f"    {line}\n" for line in code.splitlines())
            + "except BaseException as err:\n    print('BLOCKED', type(err).__name__, err)\n")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outputs(root: Path, student: str) -> str:
    """Everything the graded notebook's cells printed (not their source)."""
    import json

    path = root / "autograded" / student / "ps1" / "ps1.ipynb"
    if not path.exists():
        return ""
    nb = nbformat.read(path, as_version=4)
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)


def _survivors() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if MARKER.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(int(entry))
            except OSError:
                pass
    return found


@pytest.fixture(scope="module")
def attacked(course_template, tmp_path_factory):
    from toolkit.training.course import course as course_mod
    from toolkit.training.grading import grading
    from toolkit.training.grading.grading import grade_course

    root = copy_course(course_template, tmp_path_factory.mktemp("sandbox") / "course")
    base = released(root)
    submit(root, "s_good", _set_answer_cell(copy.deepcopy(base), "x = 42\ny = 3"))
    first = grade_course(root, jobs=1, timeout=20, progress=False)
    assert first.sandboxed and [o.score for o in first.outcomes] == [6.0]
    assert course_mod.feedback(root).written
    witness = {p: _digest(p) for p in [root / "submitted" / "s_good" / "ps1" / "answers.json",
                                       root / "feedback" / "s_good" / "ps1" / "ps1.html",
                                       root / "nbgrader_config.py"]}
    hostile = _hostile(root, os.getpid())
    for student, code in hostile.items():
        folder = submit(root, student, _set_answer_cell(copy.deepcopy(base), _cell(code)))
        (folder / "submission_secret.txt").write_text(f"secret-{student}", encoding="utf-8")
    submit(root, "h_sigint", _set_answer_cell(copy.deepcopy(base),
                                              "x = 42\ny = 3\nimport signal, time\n"
                                              "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                              "while True:\n    time.sleep(0.01)"))
    os.environ["JIUZHU_TEST_CANARY"] = CANARY
    old_grace = grading.HARD_KILL_GRACE
    grading.HARD_KILL_GRACE = 4.0            # the SIGINT-ignoring kernel is killed sooner
    try:
        run = grade_course(root, jobs=2, timeout=30, progress=False)   # generous: a loaded machine
    finally:
        grading.HARD_KILL_GRACE = old_grace
        os.environ.pop("JIUZHU_TEST_CANARY", None)
    return root, run, witness, list(hostile) + ["h_sigint"]


def _outcome(run, student):
    return next(o for o in run.outcomes if o.student == student)


def test_batch_completes_and_the_witness_is_untouched(attacked):
    root, run, witness, hostile = attacked
    assert {o.student for o in run.outcomes if o.status != "skipped"} == set(hostile)
    assert _outcome(run, "s_good").status == "skipped"            # graded before, left alone
    for path, digest in witness.items():
        assert _digest(path) == digest, path
    assert scores_by_student(root)["s_good"] == 6.0
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize("student", ["h_gradebook", "h_other", "h_config", "h_network"])
def test_file_and_network_escapes_are_blocked(attacked, student):
    root, run, _, _ = attacked
    text = _outputs(root, student)
    assert "BLOCKED" in text and "CONNECTED" not in text
    assert _outcome(run, student).score == 6.0        # the right answers still count


def test_secrets_do_not_reach_the_kernel(attacked):
    root, _, _, _ = attacked
    text = _outputs(root, "h_secrets")
    assert "ENV" in text and CANARY not in text and "JIUZHU_TEST_CANARY" not in text
    assert "root:" not in text and "BLOCKED" in text


def test_the_grader_cannot_be_killed_and_children_die_with_the_kernel(attacked):
    root, run, _, _ = attacked
    assert _outcome(run, "h_kill").status in ("ok", "problem", "failed")
    assert "CHILD STARTED" in _outputs(root, "h_detached")
    assert _survivors() == []


def test_memory_and_output_are_limited(attacked):
    root, run, _, _ = attacked
    assert "ALLOCATED" not in _outputs(root, "h_memory") and "MemoryError" in _outputs(root, "h_memory")
    flood = root / "autograded" / "h_output" / "ps1" / "ps1.ipynb"
    assert flood.stat().st_size < 5 * 2**20
    assert any("输出过多" in r for r in _outcome(run, "h_output").reasons)


def test_a_sigint_ignoring_loop_scores_zero_everywhere(attacked):
    root, run, _, _ = attacked
    endless = _outcome(run, "h_sigint")
    assert endless.status == "failed" and endless.score == 0
    assert scores_by_student(root)["h_sigint"] == 0.0           # the gradebook agrees


def test_markers_in_trainee_text_do_not_break_feedback(attacked):
    from toolkit.training.course import course

    from nbgrader.api import Gradebook

    root, _, _, hostile = attacked
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "jiuzhu") as gb:
        gb.update_or_create_assignment("ps2")               # released, nothing submitted yet
    run = course.feedback(root, publish=True)
    assert "练习 ps2：还没有已评分的提交，跳过。" in run.skipped
    made = {p.parts[-3] for p in run.written}
    assert {"h_marker_out", "h_marker_src", "s_good"} <= made and not run.withheld
    assert "h_sigint" not in made                                  # not graded: nothing to show
    page = (root / "feedback" / "h_marker_out" / "ps1" / "ps1.html").read_text("utf-8")
    assert "BEGIN\u00a0HIDDEN\u00a0TESTS" in page                   # shown as the trainee's text
    released = {p.parts[-3] for p in run.released}
    assert {"h_marker_out", "h_marker_src"} <= released
    assert any("s_good" in line and "submission_secret" in line for line in run.skipped)


def test_grading_refuses_without_a_sandbox_unless_told(course_template, tmp_path, monkeypatch):
    from toolkit.errors import UserError
    from toolkit.training.grading import sandbox
    from toolkit.training.grading.grading import format_summary, grade_course

    root = copy_course(course_template, tmp_path / "course")
    submit(root, "s_good", _set_answer_cell(copy.deepcopy(released(root)), "x = 42\ny = 3"))
    empty = tmp_path / "bin"
    empty.mkdir()
    os.symlink(sys.executable, empty / "python3")
    monkeypatch.setenv("PATH", str(empty))               # no bwrap on this PATH
    sandbox.unavailable_reason.cache_clear()
    try:
        with pytest.raises(UserError) as err:
            grade_course(root, jobs=1, timeout=20, progress=False)
        assert "评分沙箱不可用" in str(err.value) and "bwrap" in str(err.value)
        assert "--unsafe-no-sandbox" in str(err.value)
        assert not (root / "autograded").exists()
        monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin")
        run = grade_course(root, jobs=1, timeout=20, progress=False, unsafe_no_sandbox=True)
        assert not run.sandboxed and "警告" in format_summary(run)
        assert run.outcomes[0].score == 6.0
    finally:
        sandbox.unavailable_reason.cache_clear()

"""Issue 24, item 3: grading one trainee cannot disturb another.

Hostile submissions (fork to the process limit and hold; four children of 900 MB; 20 files of
60 MiB; an update_display flood; a widget-state flood) are graded in parallel, interleaved with
innocent ones.  Every innocent must score exactly what it scores graded alone, every hog must be
held to its own limits, and the floods must be cut.
"""

from __future__ import annotations

import copy
import json
import re

import nbformat
import pytest

from grading_course import _set_answer_cell, copy_course, released, scores_by_student, submit

pytestmark = pytest.mark.slow

GOOD = "x = 42\ny = 3"
HOGS = {
    "a_fork": """
import os, time
kids = 0
try:
    while kids < 5000:
        pid = os.fork()
        if pid == 0:
            time.sleep(40)
            os._exit(0)
        kids += 1
except OSError as err:
    print('FORK STOPPED AT', kids)
time.sleep(15)
""",
    "b_memory": """
import os
pids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = b'x' * (900 * 2**20)
            import time; time.sleep(3)
            os._exit(0)
        except MemoryError:
            os._exit(3)
    pids.append(pid)
held = sum(os.waitpid(p, 0)[1] == 0 for p in pids)
print('CHILDREN THAT HELD 900 MB:', held)
""",
    "c_disk": """
written = 0
try:
    for i in range(20):
        with open(f'big{i}.bin', 'wb') as f:
            f.write(b'0' * (60 * 2**20))
        written += 1
except OSError as err:
    print('DISK STOPPED', type(err).__name__)
print('FILES OF 60 MIB WRITTEN:', written)
""",
    "d_display": """
from IPython.display import display
handle = display('start', display_id=True)
for i in range(2000):
    handle.update('y' * 10_000)
""",
    "e_widget": """
from comm import create_comm
comm = create_comm(target_name='jupyter.widget', data={'state': {'_model_name': 'DOMWidgetModel',
    '_model_module': '@jupyter-widgets/base', '_model_module_version': '2.0.0'}, 'buffer_paths': []},
    metadata={'version': '2.1.0'})
for i in range(300):
    comm.send({'method': 'update', 'state': {f'k{i}': 'z' * 100_000}, 'buffer_paths': []})
""",
}
INNOCENTS = ("a_good", "b_good", "c_good", "d_good", "e_good")     # sorted between the hogs


def _outputs(root, student) -> str:
    path = root / "autograded" / student / "ps1" / "ps1.ipynb"
    if not path.exists():
        return ""
    nb = nbformat.read(path, as_version=4)
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)


def _cell(code: str) -> str:
    return GOOD + "\n" + code.strip("\n")


@pytest.fixture(scope="module")
def graded(course_template, tmp_path_factory):
    from toolkit.training.grading.grading import grade_course

    alone = copy_course(course_template, tmp_path_factory.mktemp("alone") / "course")
    for student in INNOCENTS:
        submit(alone, student, _set_answer_cell(copy.deepcopy(released(alone)), GOOD))
    alone_run = grade_course(alone, jobs=2, timeout=90, progress=False)

    mixed = copy_course(course_template, tmp_path_factory.mktemp("mixed") / "course")
    with open(mixed / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write("c.Execute.timeout = 90\n")     # a cgroup's out-of-memory kill takes seconds under load
    for student in INNOCENTS:
        submit(mixed, student, _set_answer_cell(copy.deepcopy(released(mixed)), GOOD))
    for student, code in HOGS.items():
        submit(mixed, student, _set_answer_cell(copy.deepcopy(released(mixed)), _cell(code)))
    mixed_run = grade_course(mixed, jobs=2, timeout=90, progress=False)
    return alone, alone_run, mixed, mixed_run


def _outcome(run, student):
    return next(o for o in run.outcomes if o.student == student)


def test_innocents_score_exactly_what_they_score_alone(graded):
    alone, alone_run, mixed, mixed_run = graded
    for student in INNOCENTS:
        by_itself, beside_hogs = _outcome(alone_run, student), _outcome(mixed_run, student)
        assert (beside_hogs.score, beside_hogs.status, beside_hogs.reasons) == \
               (by_itself.score, by_itself.status, by_itself.reasons) == (6.0, "ok", []), student
        assert scores_by_student(mixed)[student] == scores_by_student(alone)[student] == 6.0


def test_a_fork_bomb_stops_at_its_own_limit(graded):
    *_, mixed, mixed_run = graded
    assert "FORK STOPPED AT" in _outputs(mixed, "a_fork")


def test_memory_is_bounded_for_all_processes_of_a_submission_together(graded):
    from toolkit.training.grading.sandbox import KernelCgroup, default_limits

    *_, mixed, _ = graded
    probe = KernelCgroup.create()
    if probe is None:
        pytest.skip("这台机器不允许 root 建 cgroup：内存只按进程限制（docs/sandbox.md）")
    probe.remove()
    held = re.search(r"CHILDREN THAT HELD 900 MB: (\d)", _outputs(mixed, "b_memory"))
    assert held, _outputs(mixed, "b_memory")[:2000]
    assert int(held.group(1)) * 900 * 2**20 < default_limits().memory_bytes    # 4 × 900 MB never all at once


def test_scratch_disk_is_bounded(graded):
    from toolkit.training.grading.sandbox import default_limits

    *_, mixed, _ = graded
    text = _outputs(mixed, "c_disk")
    written = re.search(r"FILES OF 60 MIB WRITTEN: (\d+)", text)
    assert "DISK STOPPED" in text and written, text[:2000]
    assert int(written.group(1)) * 60 * 2**20 <= default_limits().scratch_bytes


@pytest.mark.parametrize("student", ["d_display", "e_widget"])
def test_display_update_and_widget_state_floods_are_cut(graded, student):
    *_, mixed, mixed_run = graded
    outcome = _outcome(mixed_run, student)
    assert any("输出过多" in reason for reason in outcome.reasons), outcome.reasons
    saved = mixed / "autograded" / student / "ps1" / "ps1.ipynb"
    assert saved.stat().st_size < 5 * 2**20

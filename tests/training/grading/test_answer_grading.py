"""Answer-card exercises graded from the recorded answers in the grader's process (issue 26).

* which notebooks are graded here and which go to the sandboxed kernel (table-driven, no kernel);
* a hostile cell added to a card exercise never runs, and the trainee's answers are still graded;
* the same submissions graded both ways -- the demo course (every kind of submission) and the
  benchmark's 60 -- give the same scores, gradebook rows, autograded notebooks and feedback
  pages; the one deliberate difference, an optional ungraded source cell that is not run here
  (m05's pandas cell), is checked to be the only one.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import socket
from pathlib import Path

import nbformat
import pytest

from toolkit.training.grading import answer_grading as ag
from toolkit.training.grading import grading_compare as compare
from toolkit.training.course.course import REFERENCE_STUDENT

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session")

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
A = "m01_means_test"


def _build(root: Path, assignments) -> Path:
    from toolkit.training.course import course
    from toolkit.training.course.course import ensure_venv_on_path
    from toolkit.training.course.course_config import write_course_config

    ensure_venv_on_path()
    root.mkdir(parents=True)
    write_course_config(root)
    course.build(root, list(assignments))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A course with m01 (cards only), m04 (a manually graded cell) and m05 (an optional code cell)."""
    return _build(tmp_path_factory.mktemp("answers") / "course", (A, "m04_one_window", "m05_funds"))


def _nb(root: Path, kind: str, assignment: str = A):
    return nbformat.read(root / kind / assignment / f"{assignment}.ipynb", as_version=4)


def _grade_cell(nb, index: int = 0):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")][index]


def _edit_source(nb):
    _grade_cell(nb).source = "2.0"


def _add_grade_cell(nb):
    extra = copy.deepcopy(_grade_cell(nb))
    extra.metadata["nbgrader"]["grade_id"] = "q9_test"
    extra.id = "q9-test"
    nb.cells.insert(-1, extra)


def _duplicate(nb):
    nb.cells.insert(-1, copy.deepcopy(_grade_cell(nb)))


def _points(nb):
    _grade_cell(nb).metadata["nbgrader"]["points"] = 100


def _unlock(nb):
    _grade_cell(nb).metadata["nbgrader"]["locked"] = False


def _delete(nb):
    nb.cells.remove(_grade_cell(nb))


def _retype(nb):
    cell = _grade_cell(nb)
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)


def _reorder(nb):
    nb.cells[1], nb.cells[2] = nb.cells[2], nb.cells[1]      # cards before setup


def _bad_meta(nb):
    nb.cells[1].metadata["nbgrader"] = "setup"


def _edit_setup(nb):
    nb.cells[1].source += "\nimport os"


def _add_code(nb):
    nb.cells.insert(3, nbformat.v4.new_code_cell("print('mine')"))


def _add_markdown(nb):
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("我的笔记"))


def _grade_meta_on_own_cell(nb):
    cell = nbformat.v4.new_code_cell("print('mine')")
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": "mine", "locked": False,
                                 "schema_version": 3, "solution": False, "task": False}
    nb.cells.insert(3, cell)


# (how the trainee changed the released notebook, graded here?, cells named as not run)
CASES = [
    ("unchanged", None, True, []),
    ("own code cell", _add_code, True, ["#4"]),
    ("own Markdown cell", _add_markdown, True, []),
    ("edited grade cell", _edit_source, False, None),
    ("added grade cell", _add_grade_cell, False, None),
    ("grade cell twice", _duplicate, False, None),
    ("points changed", _points, False, None),
    ("unlocked", _unlock, False, None),
    ("grade cell deleted", _delete, False, None),
    ("grade cell made Markdown", _retype, False, None),
    ("cells reordered", _reorder, False, None),
    ("nbgrader metadata not a mapping", _bad_meta, False, None),
    ("setup cell edited", _edit_setup, False, None),
    ("own cell with nbgrader metadata", _grade_meta_on_own_cell, False, None),
]


@pytest.mark.parametrize("how,change,here,not_run", CASES, ids=[c[0] for c in CASES])
def test_which_notebooks_are_graded_here(built, how, change, here, not_run):
    released = _nb(built, "release")
    submitted = copy.deepcopy(released)
    if change:
        change(submitted)
    chosen = ag.plan(submitted, released, A)
    assert (chosen is not None) == here, how
    if here:
        assert chosen.not_run == not_run


def _checksums(root: Path, assignment: str) -> dict[str, str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "jiuzhu") as gb:
        return {c.name: c.checksum for c in gb.find_notebook(assignment, assignment).source_cells}


def test_only_the_toolkits_card_sources_are_graded_here(built):
    source = _nb(built, "source")
    assert ag.source_is_cards(A, source, _checksums(built, A), REFERENCE_STUDENT)
    m04 = "m04_one_window"         # a manually graded cell (告知书): the kernel grades it
    assert not ag.source_is_cards(m04, _nb(built, "source", m04), _checksums(built, m04), REFERENCE_STUDENT)
    assert ag.needs_kernels(built, [m04]) and not ag.needs_kernels(built, [A, "m05_funds"])
    trainer_cell = copy.deepcopy(source)           # a grade cell the toolkit did not write
    _add_grade_cell(trainer_cell)
    assert not ag.source_is_cards(A, trainer_cell, _checksums(built, A), REFERENCE_STUDENT)
    edited = copy.deepcopy(source)
    _grade_cell(edited).source = _grade_cell(edited).source.replace("grade(", "grade (")
    assert not ag.source_is_cards(A, edited, _checksums(built, A), REFERENCE_STUDENT)
    stale = _checksums(built, A)                   # the gradebook holds another version of a cell
    stale["q1_test"] = "0" * 32
    assert not ag.source_is_cards(A, source, stale, REFERENCE_STUDENT)


# --------------------------------------------------------------------------- a hostile cell

HOSTILE = """import os, socket, sys
open({marker!r}, "w").write("ran")                        # file write
if os.fork() == 0:                                         # fork
    open({child!r}, "w").write("child")
    os._exit(0)
socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"ran")   # network
sys.stdout.write("x" * 50_000_000)                         # huge output
"""


def test_a_hostile_cell_never_runs_and_the_answers_are_still_graded(tmp_path):
    from toolkit.training.grading.grading import format_summary, grade_course
    from toolkit.training.course.simulate import simulate_submissions

    root = _build(tmp_path / "course", (A,))
    simulate_submissions(root, {("h_clean", A): "correct", ("h_evil", A): "correct", ("h_cheat", A): "blank"})
    cheat_path = root / "submitted" / "h_cheat" / A / f"{A}.ipynb"
    cheat = nbformat.read(cheat_path, as_version=4)
    cheat.cells.insert(1, nbformat.v4.new_code_cell(
        "import toolkit.training.trainee.autograde as a\na.grade = lambda *args, **kwargs: 100.0\nprint(100.0)"))
    nbformat.write(cheat, cheat_path)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    marker, child = tmp_path / "ran.txt", tmp_path / "child.txt"
    cell = HOSTILE.format(marker=str(marker), child=str(child), port=listener.getsockname()[1])
    path = root / "submitted" / "h_evil" / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(cell))
    nbformat.write(nb, path)

    run = grade_course(root, jobs=2, timeout=60, progress=False)

    evil = next(o for o in run.outcomes if o.student == "h_evil")
    assert evil.in_process and evil.status == "problem", evil
    assert evil.max_score > 0 and evil.score == evil.max_score      # the cards were graded
    assert [(p.code, p.cell) for p in evil.problems] == [("not_run", "#4")]
    assert "#4" in format_summary(run) and "未运行" in format_summary(run)
    assert "其中 3 份答题卡练习直接按提交的作答评分" in format_summary(run)
    assert not marker.exists() and not child.exists()
    with pytest.raises(BlockingIOError):
        listener.accept()                                          # nobody connected
    listener.close()
    graded = root / "autograded" / "h_evil" / A / f"{A}.ipynb"
    shown = nbformat.read(graded, as_version=4).cells[3]
    assert shown.source == cell and shown.outputs == [] and shown.execution_count is None
    assert graded.stat().st_size < 200_000
    clean = next(o for o in run.outcomes if o.student == "h_clean")
    assert clean.in_process and clean.status == "ok" and clean.score == clean.max_score
    cheater = next(o for o in run.outcomes if o.student == "h_cheat")       # rewrote grade(): never ran
    assert cheater.in_process and cheater.score == 0.0 and ("not_run", "#2") in [(p.code, p.cell) for p in cheater.problems]


def test_an_answers_file_that_fails_the_defensive_reading_goes_to_the_kernel(built, tmp_path):
    released = _nb(built, "release")
    folder = tmp_path / "submitted" / "s" / A
    folder.mkdir(parents=True)
    nbformat.write(released, folder / f"{A}.ipynb")
    (folder / "answers.json").write_text("[" * 100 + "]" * 100, encoding="utf-8")
    grader = ag.AnswerGrader(None, None, {A}, REFERENCE_STUDENT)
    grader._cards[(A, f"{A}.ipynb")] = True
    grader._released[(A, f"{A}.ipynb")] = released
    from toolkit.training.grading.grading_tasks import NotebookTask

    task = NotebookTask(str(folder / f"{A}.ipynb"), str(tmp_path / "autograded" / "s" / A),
                        {"nbgrader": {"assignment": A, "student": "s", "notebook": A}}, None)
    assert grader.plan_for(task) is None
    (folder / "answers.json").write_text(json.dumps({"assignment": A, "student": "s", "answers": {}}),
                                         encoding="utf-8")
    assert grader.plan_for(task) is not None


# --------------------------------------------------------------------------- order of the work


def test_cards_are_graded_while_kernels_run_and_the_order_never_changes_a_path(tmp_path, monkeypatch):
    """m04 (a kernel's) goes to the workers first; the card exercises are graded here while it is
    out (``run_pool``'s local steps); a tampered card exercise found by a local step still goes to
    a kernel; each notebook takes the path ``AnswerGrader.plan_for`` gives it, whatever the order."""
    from toolkit.training.grading import grading
    from toolkit.training.grading.grading import grade_course
    from toolkit.training.course.simulate import simulate_submissions

    m04 = "m04_one_window"
    root = _build(tmp_path / "course", (A, m04))
    kinds = {("o1", m04): "correct", ("o2", A): "correct", ("o3", A): "tampered", ("o4", A): "partly_wrong",
             ("o5", m04): "partly_wrong"}
    simulate_submissions(root, kinds)
    seen, planned = {}, {}
    real_pool, real_grade, real_plan = grading.run_pool, ag.AnswerGrader.grade, ag.AnswerGrader.plan_for

    def run_pool(config, tasks, workers, *args, **kwargs):
        seen["workers"] = workers
        return real_pool(config, tasks, workers, *args, **kwargs)

    def grade(self, task):
        nbg = task.resources["nbgrader"]
        seen.setdefault("order", []).append((nbg["student"], any(w.queue for w in seen["workers"])))
        return real_grade(self, task)

    def plan_for(self, task):
        chosen = real_plan(self, task)
        planned[task.resources["nbgrader"]["student"]] = chosen is not None
        return chosen

    monkeypatch.setattr(grading, "run_pool", run_pool)
    monkeypatch.setattr(ag.AnswerGrader, "grade", grade)
    monkeypatch.setattr(ag.AnswerGrader, "plan_for", plan_for)
    run = grade_course(root, jobs=2, timeout=120, progress=False)

    paths = {o.student: o.in_process for o in run.outcomes}
    assert paths == {"o1": False, "o2": True, "o3": False, "o4": True, "o5": False}
    assert paths == planned                       # the plan alone decided, not the order
    assert [s for s, _ in seen["order"]] == ["o1", "o5", "o2", "o3", "o4"]   # kernels' first
    first_card = dict(seen["order"])["o2"]
    assert first_card, "the first card exercise waited for the kernels"     # graded while m04 was out
    assert all(o.status != "failed" and o.max_score > 0 for o in run.outcomes), format_run(run)
    cards = {o.student: o for o in run.outcomes if o.assignment == A}
    assert cards["o2"].score == cards["o2"].max_score > cards["o4"].score          # correct, partly wrong
    assert cards["o3"].status == "problem" and cards["o3"].problems              # the tampering is named


def format_run(run) -> str:
    from toolkit.training.grading.grading import format_summary

    return format_summary(run)


# --------------------------------------------------------------------------- both paths


def _both_paths(base: Path, tmp: Path) -> dict[str, Path]:
    """Grade two copies of ``base``: here (default) and every notebook in the sandboxed kernel."""
    from toolkit.training.course.course import feedback
    from toolkit.training.grading.grading import grade_course

    roots = {}
    for name, in_process in (("here", True), ("kernel", False)):
        root = tmp / name
        shutil.copytree(base, root)
        (root / "nbgrader_config.py").write_text((base / "nbgrader_config.py").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
        run = grade_course(root, jobs=2, timeout=120, progress=False, in_process=in_process)
        roots[name] = (root, run)
    return roots


def _assert_same(roots, *, optional_cells: int = 0) -> None:
    from toolkit.training.course.course import feedback

    (here, run_here), (kernel, run_kernel) = roots["here"], roots["kernel"]
    summary = {(o.student, o.assignment): (o.status, o.score, o.max_score, sorted(o.reasons)) for o in run_here.outcomes}
    assert summary == {(o.student, o.assignment): (o.status, o.score, o.max_score, sorted(o.reasons))
                       for o in run_kernel.outcomes}
    assert any(o.in_process for o in run_here.outcomes) and not any(o.in_process for o in run_kernel.outcomes)
    rows = compare.gradebook_rows(here)
    assert rows and compare.differences(rows, compare.gradebook_rows(kernel)) == []
    ours, theirs = compare.autograded_notebooks(here), compare.autograded_notebooks(kernel)
    assert ours and compare.differences(compare.autograded_notebooks(here, True),
                                        compare.autograded_notebooks(kernel, True)) == []
    differing = compare.differences(ours, theirs)
    assert all("/m05_funds/" in key for key in differing)        # only the optional pandas cell
    assert compare.blank_optional_cells(kernel) == optional_cells
    assert compare.blank_optional_cells(here) == 0                # never ran here
    for root in (here, kernel):
        feedback(root)
    pages = compare.feedback_pages(here)
    assert pages and compare.differences(pages, compare.feedback_pages(kernel)) == []


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_demo_course_is_graded_the_same_both_ways(tmp_path):
    """Every kind of submission the demo makes (correct, partly wrong, blank, broken, tampered, late)."""
    from toolkit.demo.training_demo import DEMO_ASSIGNMENTS
    from toolkit.training.course.simulate import plan_kinds, sample_roster, simulate_submissions

    base = _build(tmp_path / "base", DEMO_ASSIGNMENTS)
    students = [t.id for t in sample_roster(14).trainees]
    made = simulate_submissions(base, plan_kinds(students, list(DEMO_ASSIGNMENTS)))
    assert {m.kind for m in made} >= {"correct", "partly_wrong", "blank", "broken", "tampered", "late"}
    roots = _both_paths(base, tmp_path)
    _assert_same(roots)
    here = {(o.student, o.assignment): o.in_process for o in roots["here"][1].outcomes}
    for sub in made:     # tampered and broken notebooks went to the kernel; the others were graded here
        assert here[(sub.student, sub.assignment)] == (sub.kind not in ("tampered", "broken")), sub


def _bench():
    spec = importlib.util.spec_from_file_location("bench_grading", REPO / "bench" / "grading.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_the_benchmarks_60_submissions_are_graded_the_same_both_ways(tmp_path):
    from toolkit.cases import ASSIGNMENTS

    base = tmp_path / "base"
    assert _bench().build_course(base, 10, tuple(ASSIGNMENTS)) == 60
    roots = _both_paths(base, tmp_path)
    _assert_same(roots, optional_cells=10)
    modes = {o.assignment: o.in_process for o in roots["here"][1].outcomes}
    assert modes == {a: a != "m04_one_window" for a in ASSIGNMENTS}


@pytest.mark.slow
def test_a_submission_whose_grades_cannot_be_saved_is_graded_on_the_next_run(tmp_path):
    """The gradebook locked by someone else (a formgrader saving) past SQLite's wait: the
    submission's rows roll back, and its autograded folder must go too -- nbgrader and this command
    skip a submission whose folder exists, so it would stay ungraded for good."""
    import sqlite3

    from toolkit.training.grading.grading import grade_course
    from toolkit.training.course.simulate import simulate_submissions

    root = _build(tmp_path / "course", (A,))
    simulate_submissions(root, {("locked1", A): "correct"})
    holder = sqlite3.connect(root / "gradebook.db", timeout=0)
    holder.execute("BEGIN IMMEDIATE")                   # a writer holds the database
    try:
        first = grade_course(root, jobs=1, timeout=60, progress=False)
    finally:
        holder.rollback()
        holder.close()
    (outcome,) = first.outcomes
    assert outcome.status == "failed" and [p.code for p in outcome.problems] == ["broken"], outcome
    assert not (root / "autograded" / "locked1" / A).exists()

    (again,) = grade_course(root, jobs=1, timeout=60, progress=False).outcomes
    assert again.status == "ok" and again.max_score > 0 and again.score == again.max_score, again


ADDED = [   # (trainee, cells added at the end, graded here, what the summary line says)
    ("c_one", 1, True, "1 个学员自己添加的代码单元格未运行（#11；"),
    ("c_forty", 40, True, "40 个学员自己添加的代码单元格未运行（#11、#12、#13 等；"),
    ("c_huge", 160_000, False, "单元格过多（160010 个，上限 300 个）（未运行，记 0 分）"),
]


def test_added_cells_are_counted_once_and_a_huge_notebook_is_refused_quickly(tmp_path):
    """Red team: 160,000 one-character cells (15.7 MB, under the size cap) took the batch 126 s and
    1.1 GB, and the summary had one 8-million-character line (a problem per cell)."""
    import json
    import time

    from toolkit.training.course.simulate import simulate_submissions
    from toolkit.training.grading.grading import format_summary, grade_course

    root = _build(tmp_path / "course", (A,))
    simulate_submissions(root, {(who, A): "correct" for who, *_ in ADDED})
    for who, added, _, _ in ADDED:
        path = root / "submitted" / who / A / f"{A}.ipynb"
        nb = nbformat.read(path, as_version=4)
        assert len(nb.cells) == 10
        nb.cells.extend(nbformat.v4.new_code_cell("1") for _ in range(added))
        path.write_text(json.dumps(nb, separators=(",", ":")), encoding="utf-8")    # 160,000 cells: 16.0 MB
    started = time.perf_counter()
    run = grade_course(root, jobs=1, timeout=60, progress=False)
    assert time.perf_counter() - started < 30
    summary = format_summary(run)
    assert max(map(len, summary.split("\n"))) < 300, summary[:500]
    for who, added, here, said in ADDED:
        outcome = next(o for o in run.outcomes if o.student == who)
        line = next(line for line in summary.split("\n") if line.startswith(who))
        assert said in line, line
        assert len(outcome.problems) == 1, outcome.problems[:3]
        if here:
            assert outcome.in_process and outcome.score == outcome.max_score > 0
        else:
            assert outcome.status == "failed" and outcome.score == 0 and not outcome.in_process

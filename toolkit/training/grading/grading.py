"""Parallel autograding: worker processes execute submissions, this process writes the gradebook.

``grade_course`` finds every submission under ``<course>/submitted/<student>/<assignment>/``,
prepares it with nbgrader's own ``Autograde`` converter (student and submission rows, timestamp,
files), hands each notebook to a pool of worker processes that sanitize and execute it with
nbgrader's preprocessors (:mod:`toolkit.training.grading.grading_pipeline`), and saves the grades here,
in the one process that writes to the gradebook (SQLite by default, any SQLAlchemy URL).

A broken, tampered, empty or endless notebook never stops the batch: it scores what it earns and
is listed with the reason.  A worker that does not come back within the notebook time budget
plus a grace period is killed together with its kernel and replaced.

Every kernel runs in the autograde sandbox (:mod:`toolkit.training.grading.sandbox`); without one,
grading refuses unless the trainer passes ``unsafe_no_sandbox=True``.  Answer-card questions are
scored here, from the submitted ``answers.json`` and the trainee's case made on this side
(:func:`card_outputs`): whatever the kernel printed for them is replaced before nbgrader's
``SaveAutoGrades`` reads the outputs.  A submission that could not be graded is set to 0 in the
gradebook too, so summary, gradebook and ledger agree.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Iterable, Iterator

from toolkit.errors import InputError, UserError
from toolkit.training.grading.grading_tasks import NotebookResult, NotebookTask, Problem

log = logging.getLogger(__name__)

DEFAULT_JOBS = 2
DEFAULT_TIMEOUT = 300.0     # seconds one notebook may run in all (cells also have nbgrader's limit)
HARD_KILL_GRACE = 30.0      # seconds past the notebook budget before a worker is killed

# Every Chinese text a trainer reads from this module.
PROBLEM_TEXT = {
    "cell_type": "改动了单元格 {cell} 的类型（已按原样恢复后评分）",
    "edited_test": "改动了锁定的测试单元格 {cell}（已按原样恢复后评分）",
    "points": "改动了单元格 {cell} 的分值（按原分值评分）",
    "locked": "改动了单元格 {cell} 的锁定状态（已恢复）",
    "duplicate": "复制了单元格 {cell}（重复的单元格不计分）",
    "unknown_cell": "出现课程中不存在的单元格编号 {cell}（不计分）",
    "restored_cell": "删除了测试单元格 {cell}（已按原样补回后评分）",
    "deleted_test": "删除了测试单元格 {cell}（该题不得分）",
    "timeout": "单元格 {cell} 运行超时，已中断",
    "empty": "提交的笔记本是空的",
    "broken": "笔记本无法读取或无法运行，未能评分（记 0 分）",
    "killed": "运行超过时限仍未结束，已强制终止（记 0 分）",
    "no_answers": "没有作答记录（answers.json 缺失或为空）",
    "bad_answers": "作答记录 answers.json 无法安全读取（{cell}），未评分（记 0 分）",
    "untrusted": "提交的文件无法安全读取：{cell}（未运行，记 0 分）",
    "notebook_size": "评分后的笔记本超过 {cell} 字节（输出过多），未能评分（记 0 分）",
    "output_limit": "单元格 {cell} 输出过多，超出部分已丢弃（该单元格不得分）",
    "not_run": "{count} 个学员自己添加的代码单元格未运行（{cell}{more}；按答题卡作答评分，这些单元格保留在评分后的笔记本中）",
    "identity": "作答记录属于学员 {cell}，却提交在学员 {student} 的目录中：未评分（不能用 {student} 的案例"
                "评 {cell} 的作答）。请核实是谁提交的；若确是 {cell}，把 submitted/{student}/ 下该练习"
                "移到 submitted/{cell}/ 后重新评分",
}
SUMMARY_TEXT = {
    "in_process": "  其中 {count} 份答题卡练习直接按提交的作答评分，没有运行笔记本（学员自己添加的代码一律不运行）",
    "more_cells": " 等",
    "more_notes": "另有 {count} 项问题（见评分后的笔记本）",
}
NOTES_SHOWN = 5             # problems written out per submission in the summary; the rest are counted
STATUS_TEXT = {"ok": "正常", "problem": "有问题", "failed": "未能评分", "skipped": "已评过，跳过"}


@dataclass
class SubmissionOutcome:
    student: str
    assignment: str
    status: str = "ok"                   # ok | problem | failed | skipped
    score: float = 0.0
    max_score: float = 0.0
    seconds_late: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    in_process: bool = False             # graded from the answers in the grader's process (no kernel)

    @property
    def reasons(self) -> list[str]:
        return [PROBLEM_TEXT[p.code].format(cell=p.cell or "", student=self.student, count=p.count,
                                            more=SUMMARY_TEXT["more_cells"] if p.count > len(p.cell.split("、")) else "")
                for p in self.problems]


@dataclass
class GradeRun:
    outcomes: list[SubmissionOutcome]
    seconds: float
    jobs: int
    sandboxed: bool = True
    warning: str = ""           # shown first when the sandbox was turned off
    answer_timings: object = None   # answer_grading.Timings of the in-process path

    @property
    def exit_code(self) -> int:
        """0: every submission graded; 1: some could not be graded (listed in the summary)."""
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0


# --------------------------------------------------------------------------- course set-up

def find_submissions(coursedir, assignments: list[str] | None = None,
                     students: list[str] | None = None) -> list[tuple[str, str]]:
    """(student, assignment) pairs with a submission folder, sorted."""
    root = Path(coursedir.root) / coursedir.submitted_directory
    pairs = []
    if root.is_dir():
        for student_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
                if assignments and assignment_dir.name not in assignments:
                    continue
                if students and student_dir.name not in students:
                    continue
                pairs.append((student_dir.name, assignment_dir.name))
    return pairs


# --------------------------------------------------------------------------- worker pool

def _writer_state() -> dict:
    """What a worker takes from the writer when it starts: environment, working folder, umask."""
    return {"environ": dict(os.environ), "cwd": os.getcwd(), "umask": _current_umask()}


def _current_umask() -> int:
    """This process's umask, read without setting it (other threads may be creating files)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)      # no /proc: the brief set errs on the private side
    os.umask(mask)
    return mask


def _take_writer_state(state: dict) -> None:
    os.environ.clear()
    os.environ.update(state["environ"])
    os.umask(state["umask"])
    try:
        os.chdir(state["cwd"])
    except OSError:             # the writer's folder is gone: paths the worker gets are absolute
        pass


def _worker_main(conn, state: dict | None = None) -> None:
    """Worker process: import nbgrader, wait for the configuration, then execute notebooks sent
    over ``conn`` until told to stop (``None``, or ``None`` instead of a configuration).

    ``state``: the writer's environment, working folder and umask when the worker was started
    (a forked worker would otherwise have the fork server's, from the server's own start, which
    in a long-lived process may be long ago)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # the parent handles Ctrl-C
    if state is not None:
        _take_writer_state(state)
    from toolkit.training.grading import sandbox

    sandbox.private_mounts()       # before any thread: kernels' run folders become size-limited tmpfs
    from toolkit.training.grading import nbgrader_speedups
    from toolkit.training.grading.grading_pipeline import DeadlineExecute, execute_notebook
    from toolkit.training.grading.sandbox import RUN_BASE_ENV

    nbgrader_speedups.install()
    try:
        config = conn.recv()
    except EOFError:
        return
    if config is None:
        return
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    specs = config.get(SPEC_SECTION, {}).get("kernelspec_dir")
    if specs:       # where the parent wrote the sandbox kernel spec; kernels' run folders go there too
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [specs, os.environ.get("JUPYTER_PATH")]))
        os.environ[RUN_BASE_ENV] = specs

    def report_kernel(pid: int) -> None:
        conn.send(("kernel", pid))     # lets the parent kill an endless kernel with the worker

    DeadlineExecute.on_kernel_started = staticmethod(report_kernel)
    if "kernel_name" not in config.Execute:      # a configured kernel (e.g. a sandbox's) wins
        from toolkit.kernels import prestart, warm_kernel

        config.Execute.kernel_name = warm_kernel("grading", WARM_PRELOAD)
        prestart(config.Execute.kernel_name)   # its imports overlap the first sanitize
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(("started", None))       # the time limit counts from here, not from spawning
        conn.send(("done", execute_notebook(config, task)))


# What every worker imports: with a fork server (Linux) it is imported once, in the server, and
# each worker is a fork of that fresh process -- never of the writer, whose state it never inherits.
WORKER_PRELOAD = ("toolkit.training.grading.grading_pipeline", "toolkit.training.grading.sandbox",
                  "toolkit.training.grading.nbgrader_speedups")


def _worker_context():
    """multiprocessing's fork server with :data:`WORKER_PRELOAD` where there is one, else spawn
    (every worker then imports nbgrader itself, about a second of a core each)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return context


_CONTEXT = _worker_context()


class _Worker:
    """A worker process and the tasks sent to it (the first one is running, the next one waits)."""

    def __init__(self, config=None) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_worker_main, args=(child, _writer_state()), daemon=True)
        self.process.start()
        child.close()
        self.queue: deque[NotebookTask] = deque()
        self.started = time.monotonic()
        self.kernel_pid: int | None = None
        self.configured = False
        if config is not None:
            self.configure(config)

    def configure(self, config) -> None:
        """The course's nbgrader configuration: the worker waits for it before its first task.

        A worker that died meanwhile is left to the pool, which reports and replaces dead workers."""
        self.configured = True
        try:
            self.conn.send(config)
        except OSError:
            pass

    def send(self, task: NotebookTask) -> None:
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append(task)
        self.conn.send(task)

    def kill(self) -> None:
        for pid, group in ((self.kernel_pid, True), (self.process.pid, False)):
            if not pid:
                continue
            try:
                os.killpg(pid, signal.SIGKILL) if group else os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.join(5)
        self.queue.clear()          # killed once: never signal these (reused) process ids again
        self.kernel_pid = None

    def stop(self) -> None:
        if not self.configured:      # still importing or waiting: it holds nothing to clean up
            self.kill()
            return
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(10)
        if self.process.is_alive():
            self.kill()


PREFETCH = 2     # tasks sent to a worker ahead, so it never waits for the writer
# Imported once per worker in the warm-kernel template (library code only, never a submission).
WARM_PRELOAD = ("toolkit.training.trainee.exercise", "toolkit.training.trainee.autograde")


def start_workers(jobs: int) -> list[_Worker]:
    """Get the workers' imports going while the caller sets up the course.

    With the fork server: start it now (it imports nbgrader once); :func:`run_pool` forks the
    workers from it when the first notebook for a kernel appears, and returns no worker here.
    Otherwise spawn up to ``jobs`` workers now (at most one per CPU: more could not import in
    parallel), which wait for :func:`run_pool` (or :func:`stop_workers`); ``run_pool`` starts
    any further ones."""
    if _CONTEXT.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
        return []
    return [_Worker() for _ in range(max(1, min(jobs, os.cpu_count() or 1)))]


def stop_workers(workers: list[_Worker]) -> None:
    """Stop (or kill, when busy) every worker still running; each process is ended once."""
    for worker in workers:
        if worker.process.exitcode is not None:
            continue
        worker.kill() if worker.queue else worker.stop()


def run_pool(config, tasks: Iterable[NotebookTask], workers: list[_Worker], jobs: int,
             hard_limit: float | None, on_result, local: Iterable[list[NotebookTask]] = ()) -> None:
    """Execute ``tasks`` in ``jobs`` of the started ``workers``; call ``on_result(NotebookResult)`` here.

    ``tasks`` is consumed lazily: the writer prepares the next submissions while the workers
    execute earlier ones, and each worker has its next task waiting in its pipe.  ``local`` is
    work for this process (answer cards graded here): one step whenever no worker needs a task
    and no worker has reported, so that it runs while the kernels do; each step returns the
    tasks it still leaves for a kernel (a tampered card exercise).  Workers beyond those already
    started are spawned only when the first task for a kernel appears.  A worker past
    ``hard_limit`` seconds on one notebook is killed with its kernel and replaced (in
    ``workers``); its waiting task is sent again.  Surplus workers are stopped at once.
    """
    jobs = max(1, jobs)
    for worker in workers[jobs:]:
        worker.stop()
    del workers[jobs:]
    for worker in workers:
        worker.configure(config)
    source, steps = iter(tasks), iter(local)
    retry: deque[NotebookTask] = deque()
    exhausted, local_left, spawned = False, True, False

    def next_task() -> NotebookTask | None:
        nonlocal exhausted
        if retry:
            return retry.popleft()
        if exhausted:
            return None
        task = next(source, None)
        exhausted = task is None
        return task

    try:
        while True:
            if not spawned and (first := next_task()) is not None:
                retry.appendleft(first)      # the first task for a kernel: now start them all
                workers.extend(_Worker(config) for _ in range(jobs - len(workers)))
                spawned = True
            for depth in range(1, PREFETCH + 1):
                for worker in workers if spawned else ():
                    if len(worker.queue) < depth and (task := next_task()) is not None:
                        worker.send(task)
            busy = [w for w in workers if w.queue]
            if local_left:
                ready = wait([w.conn for w in busy], timeout=0) if busy else []
            elif busy:
                ready = wait([w.conn for w in busy], timeout=0.5)
            elif retry:
                continue             # tasks of the last local step, not yet sent
            else:
                break
            _collect(config, busy, ready, workers, retry, hard_limit, on_result)
            if local_left and not ready:
                step = next(steps, None)
                local_left = step is not None
                retry.extend(step or ())
    finally:
        stop_workers(workers)


def _collect(config, busy: list[_Worker], ready: list, workers: list[_Worker], retry: deque,
             hard_limit: float | None, on_result) -> None:
    """Read what the ``ready`` workers sent; kill (and replace) those past ``hard_limit`` or dead."""
    for worker in busy:
        if worker.conn in ready:
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):   # the worker died (e.g. out of memory)
                kind, payload = "died", None
            if kind == "kernel":
                worker.kernel_pid = payload
                continue
            if kind == "started":
                worker.started, worker.kernel_pid = time.monotonic(), None
                continue
            if kind == "done":
                worker.queue.popleft()
                on_result(payload)
                continue
        else:
            overdue = hard_limit and time.monotonic() - worker.started > hard_limit
            if worker.process.is_alive() and not overdue:
                continue
            kind = "killed" if worker.process.is_alive() else "died"
        # killed by the watchdog or died: report, resend what waited, replace the worker
        task = worker.queue.popleft()
        retry.extend(worker.queue)
        worker.kill()
        workers[workers.index(worker)] = _Worker(config)
        on_result(NotebookResult(task, None, [Problem("killed" if kind == "killed" else "broken",
                                                      detail=kind)], 0.0))


# --------------------------------------------------------------------------- the batch

class SandboxUnavailable(UserError):
    """Grading refused: no sandbox here and the trainer did not turn it off explicitly."""


SPEC_SECTION = "JiuzhuSandbox"     # config section telling workers where the kernel spec is


def _sandbox_config(config, unsafe_no_sandbox: bool, spec_dir: str) -> str:
    """Point nbgrader's ``Execute`` at the sandboxed kernel; return a warning when turned off."""
    from traitlets.config import Config

    from toolkit.training.grading import sandbox

    reason = sandbox.unavailable_reason()
    if unsafe_no_sandbox:
        return sandbox.TEXT["unsafe"].format(reason=reason or "由培训老师关闭")
    if reason:
        raise SandboxUnavailable(sandbox.TEXT["refused"].format(reason=reason))
    config.Execute.kernel_name = sandbox.install_kernelspec(spec_dir)
    config[SPEC_SECTION] = Config({"kernelspec_dir": spec_dir})
    limits = sandbox.default_limits()
    for name in ("output_bytes", "notebook_bytes"):     # a course may tighten them, never loosen
        configured = config.DeadlineExecute.get(name)
        config.DeadlineExecute[name] = float(min(configured, getattr(limits, name)) if configured
                                             else getattr(limits, name))
    return ""


def grade_course(course_root: Path, *, jobs: int = DEFAULT_JOBS, db_url: str | None = None,
                 timeout: float | None = DEFAULT_TIMEOUT, assignments: list[str] | None = None,
                 students: list[str] | None = None, force: bool = False,
                 progress: bool = True, unsafe_no_sandbox: bool = False,
                 in_process: bool = True) -> GradeRun:
    """Autograde every submission of a course in parallel; see the module docstring.

    ``in_process``: card exercises are graded from the recorded answers in this process, no
    kernel (:mod:`toolkit.training.grading.answer_grading`); ``False`` sends every notebook to a kernel."""
    started = time.perf_counter()
    if jobs < 1:
        raise InputError("--jobs", jobs, "必须是正整数", "例如 --jobs 2")
    if timeout is not None and timeout <= 0:
        raise InputError("--timeout", timeout, "必须是正数（秒）", "例如 --timeout 120")
    from toolkit.training.course.course import course_root as find_root, ensure_venv_on_path, load_course

    root = find_root(course_root)       # a wrong folder is refused before any worker starts
    ensure_venv_on_path()               # before the workers: they inherit this PATH
    specs = tempfile.TemporaryDirectory(prefix="jzsbx-spec-")
    early = jobs if not in_process or _kernels_expected(root, assignments) else 0
    workers = start_workers(early) if early else []     # their imports overlap this process's own
    try:
        config, coursedir = load_course(course_root, db_url)
        if "transport_encryption" not in config.KernelManager:
            config.KernelManager.transport_encryption = "auto"   # silences ipykernel's TCP warning
        if "client_class" not in config.AsyncKernelManager:      # no idle 0.2 s after each kernel start
            from toolkit.kernels import PROMPT_CLIENT

            config.AsyncKernelManager.client_class = PROMPT_CLIENT
        return _grade(config, coursedir, _sandbox_config(config, unsafe_no_sandbox, specs.name),
                      workers, started=started, jobs=jobs, timeout=timeout, assignments=assignments,
                      students=students, force=force, progress=progress, in_process=in_process)
    finally:
        stop_workers(workers)   # those never given work (no submissions, an error); run_pool stops the rest
        specs.cleanup()


def _grade(config, coursedir, warning: str, workers: list[_Worker], *, started: float, jobs: int,
           timeout, assignments, students, force: bool, progress: bool, in_process: bool = True) -> GradeRun:
    """The batch itself, once the course and the sandbox are set up."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import ArgumentError, OperationalError

    from toolkit.training.grading import nbgrader_speedups
    from toolkit.training.grading.grading_pipeline import OUTPUT_LIMIT_ENAME, WriterPipeline, timed_out_cells

    nbgrader_speedups.install()
    if warning:
        print(warning, file=sys.stderr)
    pairs = find_submissions(coursedir, assignments, students)
    if not pairs:
        where = Path(coursedir.root) / coursedir.submitted_directory
        raise UserError(f"{where}：没有找到任何提交（应为 submitted/<学员>/<作业>/）。请先运行 jiuzhu course collect。")
    try:
        # opening the gradebook once here also creates nbgrader's default course row, so the
        # workers' OverwriteCells only ever read
        with Gradebook(coursedir.db_url, coursedir.course_id):
            pass
        with Gradebook(coursedir.db_url):
            pass
    except (ArgumentError, OperationalError) as err:
        raise InputError("--db", coursedir.db_url, f"无法打开评分数据库（{type(err).__name__}）",
                         "请检查数据库地址，例如 sqlite:///courses/gradebook.db") from None

    # nbgrader's first write of a new student makes SQLAlchemy warn; harmless (see probe notes)
    warnings.filterwarnings("ignore", message=".*not in session.*")
    writer = WriterPipeline(config, coursedir, log=_quiet_logger())
    expected_cells = _grade_cells_by_notebook(coursedir)
    card_courses = _card_assignments(coursedir)
    unknown = sorted({a for _, a in pairs} - {a for a, _ in expected_cells})
    if unknown:
        raise UserError(f"练习 {'、'.join(unknown)} 不在评分数据库中：请先运行 jiuzhu course build"
                        f"（或 nbgrader generate_assignment）。未评分任何提交。")
    outcomes = {pair: SubmissionOutcome(*pair) for pair in pairs}
    remaining: dict[tuple[str, str], int] = {}
    answers_here = _answer_grader(config, coursedir, card_courses, in_process)
    bar = _progress_bar(len(pairs), progress)

    kernel_pairs, local_pairs = _split_by_path(pairs, Path(coursedir.root), answers_here)

    def prepared(pair: tuple[str, str]) -> list[NotebookTask]:
        # one transaction per submission: nbgrader's rows of it (and, graded here, its grades)
        try:
            with nbgrader_speedups.one_transaction(coursedir.db_url):
                return prepare_one(*pair)
        except Exception as err:    # e.g. the gradebook locked past its timeout: nothing was saved
            return failed_unsaved(pair, err)

    def failed_unsaved(pair: tuple[str, str], err: Exception) -> list[NotebookTask]:
        """A submission whose rows were rolled back leaves no autograded folder: nbgrader (and a
        rerun of this command) skips a submission whose folder exists, so it would stay ungraded."""
        student, assignment = pair
        outcome = outcomes[pair]
        outcome.status, outcome.in_process = "failed", False
        outcome.problems.append(Problem("broken", detail=str(err).splitlines()[0] if str(err) else type(err).__name__))
        writer.discard(assignment, student)
        if remaining.pop(pair, None):
            bar.update(1)
        return []

    def prepared_tasks() -> Iterator[NotebookTask]:
        for pair in kernel_pairs:
            yield from prepared(pair)

    def give_up(student: str, assignment: str, problem: Problem | None, *, status: str = "failed",
                discard: bool = False) -> list[NotebookTask]:
        """The submission ends here (no kernel task): its status, its problem, and with ``discard`` no
        autograded folder left behind (one left there would be skipped by the next run)."""
        outcome = outcomes[(student, assignment)]
        outcome.status = status
        if problem is not None:
            outcome.problems.append(problem)
        if discard:
            writer.discard(assignment, student)
        bar.update(1)
        return []

    def prepare_one(student: str, assignment: str) -> list[NotebookTask]:
        """Set up one submission; grade here what needs no kernel; return the tasks for kernels."""
        outcome = outcomes[(student, assignment)]
        recorded = _identity_mismatch(coursedir, student, assignment)
        if recorded:            # never grade one trainee's answers against another's case
            return give_up(student, assignment, Problem("identity", recorded))
        smuggled = _smuggled(coursedir, student, assignment)
        if smuggled:                # a link or special file: nothing of it is copied or run
            return give_up(student, assignment, smuggled)
        try:
            prepared = writer.prepare(assignment, student, force)
        except Exception as err:       # e.g. an unreadable timestamp.txt, or the gradebook locked
            return give_up(student, assignment, Problem("broken", detail=str(err)), discard=True)
        if prepared is None:
            return give_up(student, assignment, None, status="skipped")
        refused = _untrusted_notebook(prepared) or _untrusted_answers(prepared)
        if refused:                 # never hand a hostile file to nbgrader: 0, named, batch goes on
            return give_up(student, assignment, refused, discard=True)
        problem = _answers_problem(Path(prepared[0].submitted_path).parent if prepared else None) \
            if assignment in card_courses else None
        if problem:
            outcome.problems.append(problem)
        if not prepared:
            return give_up(student, assignment, Problem("empty"), status=outcome.status)
        if assignment in card_courses:
            _place_givens(Path(coursedir.root), Path(prepared[0].dest_dir), assignment, student,
                          coursedir.course_id)
        remaining[(student, assignment)] = len(prepared)
        for_kernels = []
        for task in prepared:
            task.notebook_timeout = timeout
            graded_here = answers_here.grade(task) if answers_here else None
            if graded_here is None:
                for_kernels.append(task)
                continue
            outcome.in_process = True           # card exercise: graded from the answers, no kernel
            on_result(graded_here)
        return for_kernels

    def on_result(result: NotebookResult) -> None:
        nbg = result.task.resources["nbgrader"]
        key = (nbg["student"], nbg["assignment"])
        outcome = outcomes[key]
        outcome.problems.extend(result.problems)
        outcome.seconds += result.seconds
        if result.nb_json is not None or result.notebook is not None:
            try:
                import nbformat

                nb = result.notebook if result.notebook is not None else nbformat.reads(result.nb_json, as_version=4)
                present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
                for cell in expected_cells.get((nbg["assignment"], nbg["notebook"]), []):
                    if cell not in present:
                        outcome.problems.append(Problem("deleted_test", cell))
                outcome.problems.extend(Problem("timeout", c) for c in timed_out_cells(nb))
                outcome.problems.extend(Problem("output_limit", c)
                                        for c in timed_out_cells(nb, OUTPUT_LIMIT_ENAME))
                if nbg["assignment"] in card_courses:
                    card_outputs(nb, Path(result.task.submitted_path).parent, nbg["assignment"], nbg["student"],
                                 Path(coursedir.root))
                saving = time.perf_counter()
                # a kernel's notebook: its grades in one transaction too (graded here: already in one)
                with nbgrader_speedups.one_transaction(coursedir.db_url):
                    writer.save(result, nb)     # read once here: parsing and validating cost the writer
                if result.in_process:
                    answers_here.timings.gradebook += time.perf_counter() - saving
            except Exception as err:
                outcome.problems.append(Problem("broken", detail=str(err)))
                result.nb_json = result.notebook = None
        if result.nb_json is None and result.notebook is None:
            outcome.status = "failed"
        remaining[key] -= 1
        if remaining[key] == 0:
            if outcome.status == "failed":
                writer.discard(nbg["assignment"], nbg["student"])
            else:
                writer.finish(nbg["assignment"], nbg["student"])
            bar.update(1)

    hard_limit = (timeout + HARD_KILL_GRACE) if timeout else None
    try:
        run_pool(config, prepared_tasks(), workers, min(jobs, len(pairs)), hard_limit, on_result,
                 local=map(prepared, local_pairs))
    finally:
        bar.close()
    _zero_failed(coursedir, [o for o in outcomes.values() if o.status == "failed"])
    _zero_deleted_cells(coursedir, [o for o in outcomes.values() if o.status != "failed"])
    _fill_scores(coursedir, outcomes.values())
    for outcome in outcomes.values():
        outcome.problems = list(dict.fromkeys(outcome.problems))
        if Problem("empty") in outcome.problems:     # an empty notebook lacks every test cell
            outcome.problems = [p for p in outcome.problems if p.code != "deleted_test"]
        retyped = {p.cell for p in outcome.problems if p.code == "cell_type"}
        outcome.problems = [p for p in outcome.problems if not (p.code == "edited_test" and p.cell in retyped)]
        if outcome.status == "ok" and outcome.problems:
            outcome.status = "problem"
    return GradeRun(list(outcomes.values()), time.perf_counter() - started, jobs,
                    sandboxed=not warning, warning=warning,
                    answer_timings=answers_here.timings if answers_here else None)


def _kernels_expected(root: Path, assignments: list[str] | None) -> bool:
    """Whether some submitted exercise will need kernels (guessed before nbgrader is loaded: a
    course of answer-card exercises only starts no worker until a notebook needs one)."""
    from toolkit.training.grading.answer_grading import needs_kernels

    submitted = root / "submitted"
    names = {p.name for s in submitted.iterdir() if s.is_dir() for p in s.iterdir() if p.is_dir()} \
        if submitted.is_dir() else set()
    return needs_kernels(root, sorted(a for a in names if not assignments or a in assignments))


def _split_by_path(pairs: list[tuple[str, str]], root: Path, answers_here) -> tuple[list, list]:
    """Submissions of exercises that need kernels, and those this process grades from the answers.

    The first are prepared as the workers ask for them; the second are graded here while the
    kernels run (``run_pool``'s ``local``).  Which path a notebook takes is decided by
    ``AnswerGrader.grade`` either way (a tampered card exercise still goes to a kernel): the split
    only orders the work.  Without in-process grading every submission is for a kernel."""
    if answers_here is None:
        return pairs, []
    from toolkit.training.grading.answer_grading import needs_kernels

    kernel = {a for a in {a for _, a in pairs} if needs_kernels(root, [a])}
    return [p for p in pairs if p[1] in kernel], [p for p in pairs if p[1] not in kernel]


def _answer_grader(config, coursedir, card_courses: set[str], enabled: bool):
    """The in-process grader of answer-card exercises (issue 26), or ``None`` when turned off."""
    if not enabled or not card_courses:
        return None
    from toolkit.training.grading.answer_grading import AnswerGrader
    from toolkit.training.course.course import REFERENCE_STUDENT

    return AnswerGrader(config, coursedir, card_courses, REFERENCE_STUDENT)


def _quiet_logger() -> logging.Logger:
    quiet = logging.getLogger("toolkit.training.grading.grading.writer")
    quiet.propagate = False
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    return quiet


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="份", desc="评分", disable=not enabled, file=sys.stderr,
                bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| 已用 {elapsed}，预计还需 {remaining}")


def _identity_mismatch(coursedir, student: str, assignment: str) -> str | None:
    """The trainee named in ``answers.json`` when it is not the submission folder's owner."""
    from toolkit.training.trainee.identity import recorded_mismatch

    return recorded_mismatch(Path(coursedir.root) / coursedir.submitted_directory / student / assignment)


def _answers_problem(folder: Path | None) -> Problem | None:
    """A problem when the submission has no usable answers sidecar (``answers.json``)."""
    from toolkit.training.trainee.answers import SIDECAR_NAME
    from toolkit.training.trainee.untrusted import UntrustedFileError, load_answers

    if folder is None or not os.path.lexists(folder / SIDECAR_NAME):
        return Problem("no_answers")
    try:
        return None if load_answers(folder / SIDECAR_NAME)["answers"] else Problem("no_answers")
    except UntrustedFileError as err:
        return Problem("bad_answers", err.reason)


def _smuggled(coursedir, student: str, assignment: str) -> Problem | None:
    """A problem when ``submitted/<student>/<assignment>`` holds anything but regular files and
    folders within the size caps (nbgrader's own copy would follow a link)."""
    from toolkit.training.trainee.untrusted import scan_tree

    folder = Path(coursedir.root) / coursedir.submitted_directory / student / assignment
    refusals = scan_tree(folder)
    if not refusals:
        return None
    first = refusals[0]
    return Problem("untrusted", f"{first.path.relative_to(folder.parent) if first.path != folder else folder.name}："
                                f"{first.reason}")


def _untrusted_answers(tasks: list[NotebookTask]) -> Problem | None:
    """A problem when the submission's ``answers.json`` exists but cannot be read safely."""
    problem = _answers_problem(Path(tasks[0].submitted_path).parent) if tasks else None
    return problem if problem and problem.code == "bad_answers" else None


def _untrusted_notebook(tasks: list[NotebookTask]) -> Problem | None:
    """A problem when a submitted notebook cannot be read safely (size, depth, encoding, JSON)."""
    from toolkit.training.trainee.untrusted import UntrustedFileError, check_notebook

    for task in tasks:
        try:
            check_notebook(task.submitted_path)
        except UntrustedFileError as err:
            return Problem("untrusted", f"{Path(task.submitted_path).name}：{err.reason}")
    return None


def _grade_cells_by_notebook(coursedir) -> dict[tuple[str, str], list[str]]:
    from nbgrader.api import Gradebook

    cells: dict[tuple[str, str], list[str]] = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for assignment in gb.assignments:
            for notebook in assignment.notebooks:
                cells[(assignment.name, notebook.name)] = [c.name for c in notebook.grade_cells]
    return cells


def _card_assignments(coursedir) -> set[str]:
    """Assignments whose test cells call the answer-card grader (the others are plain nbgrader)."""
    from nbgrader.api import Gradebook

    found = set()
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for assignment in gb.assignments:
            if any(_CARD_CALL.search(cell.source or "") for nb in assignment.notebooks
                   for cell in nb.source_cells):
                found.add(assignment.name)
    return found


_CARD_CALL = re.compile(r"""\bgrade\(\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*\)""")


def card_outputs(nb, submitted: Path, assignment: str, student: str, course_root: Path) -> None:
    """Replace the outputs of every answer-card test cell by the score computed on this side.

    The cell's source is nbgrader's (restored from the gradebook by ``OverwriteCells``), so the
    question it grades is the trainer's; the answer comes from the submitted ``answers.json`` and
    the right answer from the trainee's case generated here.  Nothing the kernel printed counts.
    """
    from toolkit.training.trainee.answers import AnswersFileError, load_answers
    from toolkit.training.trainee.autograde import card_feedback, score_question
    from toolkit.training.trainee.casedata import trainer_case

    try:
        answers, note = load_answers(submitted), None
    except AnswersFileError as err:
        answers, note = {}, str(err)
    questions = {q.id: q for q in trainer_case(course_root, assignment, student).questions}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        match = _CARD_CALL.search(cell.source)
        if not match or match.group(1) != assignment or match.group(2) not in questions:
            continue
        earned, lines = score_question(questions[match.group(2)], answers.get(match.group(2)))
        cell.outputs = card_feedback(lines, earned, note)


def _place_givens(root: Path, dest: Path, assignment: str, student: str, course: str) -> None:
    """The trainee's case of this course (``root``, id ``course``) without answers, in the folder
    the sandboxed kernel runs from."""
    import json

    from toolkit.training.trainee.casedata import GRADING_FILE, trainee_case_data

    data = trainee_case_data(root, student, assignment, grading=True, course=course)
    (dest / GRADING_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _submissions(gb, outcomes):
    """(outcome, gradebook submission) for every outcome that has a submission row."""
    from nbgrader.api import MissingEntry

    for outcome in outcomes:
        try:
            yield outcome, gb.find_submission(outcome.assignment, outcome.student)
        except MissingEntry:
            continue


def _zero_failed(coursedir, outcomes) -> None:
    """A submission that could not be graded scores 0 in the gradebook, as the summary says."""
    from nbgrader.api import Gradebook

    if not outcomes:
        return
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for _, sub in _submissions(gb, outcomes):
            for notebook in sub.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = 0.0 if grade.max_score else grade.auto_score
                    grade.manual_score = None
                    grade.extra_credit = None
        gb.db.commit()


def _zero_deleted_cells(coursedir, outcomes) -> None:
    """A test cell the trainee deleted scores 0 in the gradebook, as the summary says.

    nbgrader's ``SaveAutoGrades`` only writes the cells present in the notebook, so a grade from
    an earlier grading of the same trainee (a resubmission, ``--force``) would otherwise stay."""
    from nbgrader.api import Gradebook

    deleted = {(o.student, o.assignment): {p.cell for p in o.problems if p.code == "deleted_test"}
               for o in outcomes}
    deleted = {key: cells for key, cells in deleted.items() if cells}
    if not deleted:
        return
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for outcome, sub in _submissions(gb, [o for o in outcomes if (o.student, o.assignment) in deleted]):
            for notebook in sub.notebooks:
                for grade in notebook.grades:
                    if grade.name in deleted[(outcome.student, outcome.assignment)]:
                        grade.auto_score = 0.0
                        grade.manual_score = None
                        grade.extra_credit = None
        gb.db.commit()


def _fill_scores(coursedir, outcomes) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for outcome, sub in _submissions(gb, outcomes):
            outcome.score = float(sub.score)
            outcome.max_score = float(sub.max_score)
            outcome.seconds_late = float(sub.total_seconds_late or 0)


# --------------------------------------------------------------------------- summary

def format_summary(run: GradeRun) -> str:
    """Chinese summary table: totals, then every submission with a problem."""
    counts = {key: sum(o.status == key for o in run.outcomes) for key in STATUS_TEXT}
    lines = [run.warning] if run.warning else []
    lines += [
        f"评分完成：共 {len(run.outcomes)} 份提交，用时 {run.seconds:.1f} 秒（{run.jobs} 个并行进程）。",
        "  " + "，".join(f"{STATUS_TEXT[k]} {v} 份" for k, v in counts.items()),
    ]
    here = sum(o.in_process for o in run.outcomes)
    if here:
        lines.append(SUMMARY_TEXT["in_process"].format(count=here))
    flagged = [o for o in run.outcomes if o.problems or o.seconds_late > 0]
    if flagged:
        lines.append("")
        lines.append(f"{_pad('学员', 12)}{_pad('练习', 18)}{_pad('得分', 12)}{_pad('状态', 12)}说明")
        for o in flagged:
            notes = list(o.reasons)
            if len(notes) > NOTES_SHOWN:       # one line per submission, however many problems
                notes = notes[:NOTES_SHOWN] + [SUMMARY_TEXT["more_notes"].format(count=len(notes) - NOTES_SHOWN)]
            if o.seconds_late > 0:
                notes.append(f"逾期提交（晚 {_late_text(o.seconds_late)}）")
            lines.append(f"{_pad(o.student, 12)}{_pad(o.assignment, 18)}{_pad(f'{o.score:g}/{o.max_score:g}', 12)}"
                         f"{_pad(STATUS_TEXT[o.status], 12)}{'；'.join(notes)}")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal where CJK characters take two columns."""
    import unicodedata

    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)


def _late_text(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours / 24:.1f} 天" if hours >= 24 else f"{hours:.1f} 小时"

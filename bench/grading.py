"""Benchmark: ``jiuzhu course grade`` against plain ``nbgrader autograde`` on the same submissions.

Builds the six-assignment course in a temporary folder, simulates 60 submissions (ten per
assignment, correct or partly wrong), copies the course twice and grades one copy with
``jiuzhu course grade --jobs N`` and the other with ``nbgrader autograde <assignment>`` for each
assignment, the way nbgrader's documentation shows.  Checks that every score matches, then
prints both times and the ratio, and compares the time per notebook with a bare kernel
start-and-run (nbclient executing the same autograded notebooks one after another).

The sandbox's cost is printed two ways: a third copy graded with ``--unsafe-no-sandbox`` (same
submissions, per-notebook difference), and a bare kernel start-run-stop in the sandbox against
the same without it (``--kernels`` of each).

Warm kernels (docs/warm-kernels.md): the unsandboxed copy runs warm kernels, and one more copy is
graded unsandboxed with cold kernels (``JIUZHU_WARM_KERNELS=0``; scores must match too); a breakdown
per notebook phase (the sandbox's copy of the submission, kernel launch, handshake, imports cell,
other cells, shutdown) is measured on autograded notebooks with warm, cold and sandboxed kernels,
and ``python -X importtime`` inside the sandbox shows what a sandboxed kernel imports.  Sandboxed
kernels (trainee code) start cold: the sandbox wins (docs/warm-kernels.md says why).

The in-process path (issue 26, the default for answer-card exercises) is compared with both:
``jiuzhu course grade`` as it runs by default, against ``nbgrader autograde`` and against
``--all-in-kernel`` (every notebook in a sandboxed kernel, the path above), with the cost per
submission graded in-process split into reading, case, writing and gradebook.

``--repeat N`` grades N fresh copies the default way one after another and prints each time with
the load average and the range of the speed-up (the machine may be shared: one figure is noise);
``--headline`` prints only that against ``nbgrader autograde`` (scores compared), without the rest.

Usage: ``.venv/bin/python bench/grading.py [--per-assignment 10] [--jobs 2] [--repeat 3]``
(``--per-assignment 1 --bare 1 --kernels 1`` for a quick run).  Ratios are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PHASES = (("setup_s", "sandbox: copy of the submission"), ("kernel_launch_s", "launch (fork or exec)"),
          ("handshake_s", "handshake (until kernel ready)"), ("imports_s", "imports cell"),
          ("cells_s", "other cells"), ("shutdown_s", "shutdown"), ("run_s", "total"))
BIN = Path(sys.executable).parent
# seconds rather than minutes (tests/test_bench.py): one submission of one assignment
TINY_ARGS = ["--per-assignment", "1", "--assignments", "m01_means_test", "--bare", "1", "--kernels", "1",
             "--repeat", "2"]


def build_course(root: Path, per_assignment: int, assignments: tuple[str, ...]) -> int:
    from toolkit.training.course import course
    from toolkit.training.course.course import ensure_venv_on_path
    from toolkit.training.course.simulate import sample_roster, simulate_submissions

    ensure_venv_on_path()
    root.mkdir(parents=True)
    from toolkit.training.course.course_config import write_course_config

    write_course_config(root)
    course.build(root, assignments)
    trainees = [t.id for t in sample_roster(per_assignment * len(assignments)).trainees]
    plan = {}
    for index, student in enumerate(trainees):
        assignment = assignments[index % len(assignments)]
        plan[(student, assignment)] = "correct" if index % 2 else "partly_wrong"
    return len(simulate_submissions(root, plan))


def scores(root: Path) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    result = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "jiuzhu") as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                result[(sub.student_id, assignment.name)] = round(float(sub.score), 4)
    return result


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {}))
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed


def bare_runs(root: Path, limit: int) -> float:
    """Mean seconds to start a kernel and run one autograded notebook with nbclient."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted((root / "autograded").glob("*/*/*.ipynb"))[:limit]
    started = time.perf_counter()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, resources={"metadata": {"path": str(path.parent)}}, timeout=120,
                       shutdown_kernel="immediate", allow_errors=True).execute()
    return (time.perf_counter() - started) / max(1, len(notebooks))


def kernel_cycle(n: int, sandboxed: bool) -> float:
    """Mean seconds to start a kernel, run one cell and stop it, in the sandbox or not."""
    from jupyter_client.manager import KernelManager

    from toolkit.training.grading import sandbox

    env_before = os.environ.get("JUPYTER_PATH")
    with tempfile.TemporaryDirectory(prefix="bench-kernel-") as tmp:
        name = "python3"
        if sandboxed:
            name = sandbox.install_kernelspec(tmp)
            os.environ["JUPYTER_PATH"] = tmp
        started = time.perf_counter()
        for _ in range(n):
            km = KernelManager(kernel_name=name, transport_encryption="auto")
            km.start_kernel(cwd=tmp)
            client = km.client()
            client.start_channels()
            client.wait_for_ready(timeout=60)
            client.execute_interactive("x = 1 + 1", timeout=60)
            client.stop_channels()
            km.shutdown_kernel(now=True)
        elapsed = (time.perf_counter() - started) / max(1, n)
    if env_before is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = env_before
    return elapsed


def phases_of_run(path: Path, kernel_name: str) -> dict[str, float]:
    """Seconds of each phase of one nbclient run of ``path`` (our provisioners: warm, cold or sandboxed)."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    from toolkit.kernels import PROMPT_CLIENT, PhaseClock

    clock = PhaseClock()
    nb = nbformat.read(path, as_version=4)
    config = Config({"AsyncKernelManager": {"client_class": PROMPT_CLIENT}})   # as the grader's
    NotebookClient(nb, kernel_name=kernel_name, resources={"metadata": {"path": str(path.parent)}},
                   timeout=120, shutdown_kernel="immediate", allow_errors=True, config=config,
                   **clock.hooks()).execute()
    phases = clock.phases()
    return {label: phases.get(key, 0.0) for key, label in PHASES}


def print_warm_breakdown(root: Path, limit: int) -> None:
    """Mean phase seconds over ``limit`` autograded notebooks: warm, cold and sandboxed kernels."""
    from toolkit.kernels import prestart, warm_kernel
    from toolkit.training.grading import sandbox
    from toolkit.training.grading.grading import WARM_PRELOAD

    notebooks = sorted((root / "autograded").glob("*/*/*.ipynb"))[:limit]
    os.environ["JIUZHU_WARM_KERNELS"] = "1"
    name = warm_kernel("grading", WARM_PRELOAD)
    prestart(name, wait=True)  # the template's imports are paid once per worker, not per notebook
    columns = {}
    for label, switch in (("warm", "1"), ("cold", "0")):
        os.environ["JIUZHU_WARM_KERNELS"] = switch
        columns[label] = [phases_of_run(path, name) for path in notebooks]
    os.environ.pop("JIUZHU_WARM_KERNELS", None)
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-spec-") as specs:
        before = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [specs, before]))
        try:
            columns["sandboxed"] = [phases_of_run(path, sandbox.install_kernelspec(specs))
                                    for path in notebooks]
        finally:
            os.environ.pop("JUPYTER_PATH") if before is None else os.environ.update(JUPYTER_PATH=before)
    means = {label: {key: sum(r[key] for r in runs) / max(1, len(runs)) for key in runs[0]}
             for label, runs in columns.items()}
    print(f"where an autograded notebook's seconds go ({len(notebooks)} notebooks one after another, "
          f"nbclient):" + "".join(f"{label:>11}" for label in means))
    for key in means["warm"]:
        print(f"  {key:30}{'':36}" + "".join(f"{m[key]:11.2f}" for m in means.values()))
    extra = means["sandboxed"]["total"] - means["warm"]["total"]
    print(f"  sandboxed against warm: {extra:+.2f} s per notebook; launch includes the sandbox's private copy "
          f"of the submission; shutdown its removal")


def sandbox_imports(top: int = 10) -> None:
    """``python -X importtime`` in the sandbox: what a sandboxed (cold) kernel imports before and
    for its first cell, and the bare interpreter start in and out of the sandbox."""
    from toolkit.training.grading import sandbox

    # what toolkit.kernels.launcher imports (debugpy marked missing), then a graded notebook's cells
    code = ("import sys; sys.modules.setdefault('debugpy', None); import toolkit.kernels; "
            "import ipykernel.kernelapp, ipykernel.ipkernel, ipykernel.zmqshell; "
            "import toolkit.training.trainee.exercise, toolkit.training.trainee.autograde, toolkit.training.trainee.answer_table")
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-imports-") as scratch:
        def in_sandbox(*args: str) -> list[str]:
            return sandbox.wrap_command([sys.executable, *args], scratch=scratch, workdir=scratch, rundir=None)

        def mean_wall(cmd: list[str], n: int = 3) -> float:
            started = time.perf_counter()
            for _ in range(n):
                subprocess.run(cmd, env=env, capture_output=True, check=True)
            return (time.perf_counter() - started) / n

        bare_out, bare_in = mean_wall([sys.executable, "-c", "pass"]), mean_wall(in_sandbox("-c", "pass"))
        done = subprocess.run(in_sandbox("-X", "importtime", "-c", code), env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            _, cumulative, name = line[len("import time:"):].split("|")
            rows.append((int(cumulative) / 1e6, len(name) - len(name.lstrip()) - 1, name.strip()))
    print(f"python -c pass: {bare_in:.3f} s in the sandbox (prlimit + bwrap + setpriv), {bare_out:.3f} s without")
    total = sum(seconds for seconds, depth, _ in rows if depth == 0)
    print(f"imports of a sandboxed kernel and a graded notebook, python -X importtime in the sandbox: "
          f"{total:.2f} s in all; largest (depth in the import tree):")
    for seconds, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"  {seconds:6.3f} s  {'  ' * (depth // 2)}{name}")


def compare_cold(base: Path, tmp: Path, jobs: int, t_warm: float, s_warm: dict) -> None:
    """Grade another copy unsandboxed with cold kernels against the unsandboxed (warm) copy:
    same scores? how much slower?"""
    cold = tmp / "cold"
    shutil.copytree(base, cold)
    t_cold = timed([str(BIN / "jiuzhu"), "course", "grade", "--course", str(cold), "--jobs", str(jobs),
                    "--quiet", "--all-in-kernel", "--unsafe-no-sandbox"], cwd=REPO, env={"JIUZHU_WARM_KERNELS": "0"})
    same = scores(cold) == s_warm
    print(f"jiuzhu course grade --jobs {jobs} --all-in-kernel --unsafe-no-sandbox, cold kernels (JIUZHU_WARM_KERNELS=0): {t_cold:7.1f} s; "
          f"warm against cold {t_cold / t_warm:.2f}x; scores identical: {same}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-assignment", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--bare", type=int, default=12, help="notebooks for the bare-kernel baseline")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared machine: figures are noisy)")
    from toolkit.cases import ASSIGNMENTS

    parser.add_argument("--assignments", default=",".join(ASSIGNMENTS), help="comma-separated (default: all six)")
    parser.add_argument("--kernels", type=int, default=5, help="kernel cycles for the sandbox cost")
    parser.add_argument("--repeat", type=int, default=3,
                        help="gradings of fresh copies with jiuzhu course grade (the range is printed)")
    parser.add_argument("--headline", action="store_true",
                        help="only the default path (--repeat copies) against nbgrader autograde, scores compared")
    args = parser.parse_args(argv)
    selected = tuple(a for a in args.assignments.split(",") if a)

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = Path(tmp) / "base"
        count = build_course(base, args.per_assignment, selected)
        here, ours, theirs, open_, split = (Path(tmp) / name for name in
                                            ("here", "ours", "theirs", "unsandboxed", "split"))
        again = [Path(tmp) / f"here{n}" for n in range(2, max(1, args.repeat) + 1)]
        for copy in (here, ours, theirs, open_, split, *again):
            shutil.copytree(base, copy)
            # the copied config points at its own folder
            (copy / "nbgrader_config.py").write_text(
                (base / "nbgrader_config.py").read_text(encoding="utf-8"), encoding="utf-8")

        grade = [str(BIN / "jiuzhu"), "course", "grade", "--jobs", str(args.jobs), "--quiet", "--course"]
        t_here = timed(grade + [str(here)], cwd=REPO)
        repeats = [(t_here, os.getloadavg()[0])] + [(timed(grade + [str(c)], cwd=REPO), os.getloadavg()[0])
                                                    for c in again]
        if args.headline:
            headline(theirs, here, again, selected, count, repeats)
            return
        t_ours = timed(grade + [str(ours), "--all-in-kernel"], cwd=REPO)
        t_open = timed(grade + [str(open_), "--all-in-kernel", "--unsafe-no-sandbox"], cwd=REPO)
        t_theirs = sum(timed([str(BIN / "nbgrader"), "autograde", a], cwd=theirs) for a in selected)
        s_here, s_ours, s_theirs = scores(here), scores(ours), scores(theirs)
        mismatches = {k: (s_ours.get(k), v) for k, v in s_theirs.items() if s_ours.get(k) != v}
        t_bare = bare_runs(ours, args.bare)
        k_plain, k_sandbox = kernel_cycle(args.kernels, False), kernel_cycle(args.kernels, True)
        open_same = scores(open_) == s_ours

        print(f"submissions: {count} ({args.per_assignment} per assignment, {len(selected)} assignments)")
        print(f"scores identical: {not mismatches and len(s_ours) == len(s_theirs) == count and s_here == s_theirs}"
              + (f"  mismatches: {mismatches}" if mismatches else ""))
        print_answer_grading(here, ours, split, args.jobs, count, t_here, t_ours, t_theirs)
        if again:
            print_repeats(repeats, t_theirs, again, here)
        print(f"nbgrader autograde (sequential, one call per assignment): {t_theirs:7.1f} s")
        print(f"jiuzhu course grade --jobs {args.jobs} --all-in-kernel (every notebook in a sandboxed kernel): "
              f"{t_ours:7.1f} s")
        print(f"kernel path speed-up: {t_theirs / t_ours:.2f}x (goal >= 3x)")
        per_notebook = t_ours * args.jobs / count
        print(f"per notebook: jiuzhu {per_notebook:.2f} s of one core's time "
              f"(wall x jobs / notebooks); bare kernel start-and-run {t_bare:.2f} s; "
              f"ratio {per_notebook / t_bare:.2f} (goal <= 1.5)")
        sandbox_cost = (t_ours - t_open) * args.jobs / count
        print(f"sandbox cost per notebook: {sandbox_cost:+.2f} s of one core's time "
              f"(--all-in-kernel {t_ours:.1f} s vs --all-in-kernel --unsafe-no-sandbox {t_open:.1f} s; "
              f"scores identical: {open_same})")
        print(f"sandbox cost per kernel: start-run-stop {k_sandbox:.2f} s in the sandbox vs {k_plain:.2f} s "
              f"without ({k_sandbox - k_plain:+.2f} s, ratio {k_sandbox / k_plain:.2f})")
        compare_cold(base, Path(tmp), args.jobs, t_open, scores(open_))
        print_warm_breakdown(ours, args.bare)
        sandbox_imports()
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


def headline(theirs: Path, here: Path, again: list[Path], selected: tuple[str, ...], count: int,
             repeats: list[tuple[float, float]]) -> None:
    """``--headline``: the default path's gradings against one ``nbgrader autograde`` run."""
    t_theirs = sum(timed([str(BIN / "nbgrader"), "autograde", a], cwd=theirs) for a in selected)
    s_theirs = scores(theirs)
    print(f"submissions: {count}; scores identical: {len(s_theirs) == count and scores(here) == s_theirs}")
    print(f"nbgrader autograde (sequential, one call per assignment): {t_theirs:7.1f} s "
          f"(load {os.getloadavg()[0]:.1f} after it)")
    print_repeats(repeats, t_theirs, again, here)


def print_repeats(repeats: list[tuple[float, float]], t_theirs: float, again: list[Path], first: Path) -> None:
    """Every grading of a fresh copy with the default path: its time, the load average after it,
    and the range of the speed-up against the one ``nbgrader autograde`` run (scores must match)."""
    same = all(scores(copy) == scores(first) for copy in again)
    times = [t for t, _ in repeats]
    print(f"jiuzhu course grade, {len(repeats)} fresh copies: "
          + ", ".join(f"{t:.1f} s (load {load:.1f})" for t, load in repeats)
          + f"; against nbgrader autograde {t_theirs / max(times):.2f}x to {t_theirs / min(times):.2f}x; "
            f"scores identical: {same}")


def print_answer_grading(here: Path, kernel: Path, split: Path, jobs: int, count: int,
                         t_here: float, t_kernel: float, t_theirs: float) -> None:
    """The in-process path (issue 26) against nbgrader and the kernel path, and where its time goes.

    The split per submission comes from one more grading of another copy through the Python API
    (``GradeRun.answer_timings``); the headline figures are the command's wall time."""
    from toolkit.training.grading import grading_compare as compare
    from toolkit.training.grading.grading import grade_course

    started = time.perf_counter()
    run = grade_course(split, jobs=jobs, progress=False)
    t_split = time.perf_counter() - started
    t = run.answer_timings
    graded_here = sum(o.in_process for o in run.outcomes)
    rows = compare.differences(compare.gradebook_rows(here), compare.gradebook_rows(kernel))
    notebooks = compare.differences(compare.autograded_notebooks(here, blank_optional=True),
                                    compare.autograded_notebooks(kernel, blank_optional=True))
    print(f"jiuzhu course grade --jobs {jobs} (answer cards graded in this process, the rest in kernels): "
          f"{t_here:7.1f} s; {graded_here} of {count} submissions graded from the answers, no kernel")
    print(f"in-process speed-up: {t_theirs / t_here:.2f}x against nbgrader autograde (goal >= 10x), "
          f"{t_kernel / t_here:.2f}x against the kernel path")
    print(f"  same as the kernel path: gradebook rows {not rows}, autograded notebooks {not notebooks} "
          f"(m05's optional pandas cell is not run in-process: compared blank)"
          + (f"; differ: {(rows + notebooks)[:5]}" if rows or notebooks else ""))
    if t is not None and t.notebooks:
        n = t.notebooks
        print(f"  per submission graded here (mean of {n}, through the API: {t_split:.1f} s in all): "
              f"reading {t.reading / n * 1000:.0f} ms, case {t.case / n * 1000:.0f} ms, "
              f"writing {t.writing / n * 1000:.0f} ms, gradebook {t.gradebook / n * 1000:.0f} ms")


if __name__ == "__main__":
    main()

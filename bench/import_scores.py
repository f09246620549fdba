"""Import and score a large round: 100 districts × 12 街镇 × 60 sampled case files (72,000 rows).

Prints figures, asserts nothing.  Set-up (city, plan, submissions) runs first and is not timed;
the timed phases run in a fresh child process so its peak memory is the import's, not the set-up's:
  1. checking and writing 1,200 submissions (SQLite inserts),
  2. scoring the round (``load_round_scores``),
  3. reading and checking filled Excel forms, with the policy checks of their case files, measured
     on a subset and extrapolated to 1,200 (sequentially and with ``read_forms``' worker processes,
     the faster one counts).  As in ``import_files``, the policy checks run where the forms are read;
     phase 1 also times them in one process, for information only (not added to the total).
  4. end to end: ``jiuzhu inspect import`` over the written forms as one process, the wall time a
     user sees (start-up, reading, checking, writing and its own scoring), next to the phases.
Target from the issue: import + score ≤ 10 s and ≤ 1 GiB on this 2-core machine.

Run: .venv/bin/python bench/import_scores.py [--districts 100] [--forms 24]
(``--forms 1200`` makes phase 4 the full round's figure.)
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toolkit.checklists import load_checklists  # noqa: E402
from toolkit.inspections.store import store as st  # noqa: E402
from toolkit.files import save_workbook  # noqa: E402
from toolkit.inspections.forms.forms import build_form, fill_workbook  # noqa: E402
from toolkit.inspections.intake import importer  # noqa: E402
from toolkit.inspections.intake.importer import evaluate_cases, evaluate_submissions, write_submissions  # noqa: E402
from toolkit.inspections.plan.plan import make_plan  # noqa: E402
from toolkit.inspections.store.rounds import load_context  # noqa: E402
from toolkit.demo.sample_data import build_city, make_submission, write_city  # noqa: E402
from toolkit.inspections.scores.scores import load_round_scores  # noqa: E402
from toolkit.inspections.intake.validation import check_submission  # noqa: E402

TODAY = date(2020, 1, 15)
TINY_ARGS = ["--districts", "3", "--forms", "2"]     # seconds: the bench test (tests/test_bench.py)
BIN = Path(sys.executable).parent


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it starts afresh at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path) -> None:
    """Child process: phases 1 and 2 on the prepared store and submissions."""
    engine = st.open_store(folder / "bench.sqlite")
    ctx = load_context(engine, "2019", today=TODAY)
    subs = pickle.loads((folder / "subs.pickle").read_bytes())
    rows = sum(len(s.case_files) for s in subs)
    loaded = peak_mib()
    t0 = time.perf_counter()
    problems = [p for s in subs for p in check_submission(s, ctx, lambda key: key)]
    t1 = time.perf_counter()
    checklist = next(c for c in ctx.checklists.values() if c.kind == "case_file")
    results = evaluate_cases([s.case_files for s in subs], checklist)     # in phase 3 (read_forms)
    policy = time.perf_counter() - t1
    t2 = time.perf_counter()
    with importer.gc_paused():                  # as in import_files
        outcomes, more = evaluate_submissions(ctx, subs, results)
        write_submissions(engine, ctx, subs, imported_by="bench", outcomes=outcomes)
    t3 = time.perf_counter()
    scores = load_round_scores(engine, "2019")
    t4 = time.perf_counter()
    assert not problems and not more and len(scores.units) == len(subs)
    print(f"1. check {len(subs)} submissions: {t1 - t0:.2f} s; SQLite writes: {t3 - t2:.2f} s "
          f"(policy checks of {rows:,} case files in one process: {policy:.2f} s, {policy / rows * 1e6:.0f} µs each; "
          f"counted in phase 3, where import_files runs them)")
    print(f"2. score the round: {t4 - t3:.2f} s")
    store = (t1 - t0) + (t4 - t2)
    print(f"store phases (1 + 2): {store:.1f} s")
    print(f"peak memory of the import process: {peak_mib():.0f} MiB "
          f"(target ≤ 1024 MiB; of which {loaded:.0f} MiB once the {len(subs):,} submissions are in memory); "
          f"worker processes: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB")
    (folder / "store_seconds").write_text(f"{store}")


def read_phase(folder: Path) -> None:
    """Child process: phase 3 with a parent as small as ``jiuzhu inspect import`` (workers are forked from it)."""
    engine = st.open_store(folder / "bench.sqlite")
    ctx = load_context(engine, "2019", today=TODAY)
    paths = sorted((folder / "forms").glob("*.xlsx"))
    t0 = time.perf_counter()
    for path in paths:
        sub, found, results = importer.read_and_check_form(path, ctx)
        assert sub is not None and not found and len(results) == len(sub.case_files), found[:3]
    sequential = (time.perf_counter() - t0) / len(paths)
    importer.PARALLEL_FORMS_FROM = 0            # measure the worker processes whatever the number of forms
    t1 = time.perf_counter()
    assert all(results is not None for _, _, results in importer.read_forms(paths, ctx))
    parallel = (time.perf_counter() - t1) / len(paths)
    (folder / "form_seconds").write_text(f"{sequential} {parallel}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--forms", type=int, default=24, help="forms read in phase 3")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--read-forms", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args.measure)
    if args.read_forms:
        return read_phase(args.read_forms)
    folder = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)       # ~200 MB of store, forms and pickles


def run(args: argparse.Namespace, folder: Path) -> None:
    """Set-up, then the timed phases, each in a fresh child process."""
    started = time.perf_counter()
    checklists = load_checklists()
    districts = [f"示例{n:03d}区" for n in range(args.districts)]
    units, households = build_city(11, districts, (12, 12), len(districts) * 12 * 1050)  # ≥ 600 each: 60 sampled
    engine = st.open_store(folder / "bench.sqlite")
    write_city(engine, units, households)
    make_plan(engine, "2019", checklists, seed=1, is_sample=True)
    ctx = load_context(engine, "2019", today=TODAY)
    by_id = households.set_index("case_id")
    subs = [make_submission(ctx, unit, by_id, 0.8, 1) for unit in ctx.units.values()]
    (folder / "subs.pickle").write_bytes(pickle.dumps(subs))
    print(f"set-up: {len(subs)} 街镇, {sum(len(s.case_files) for s in subs):,} sampled case files, "
          f"{len(households):,} households ({time.perf_counter() - started:.1f} s, not timed)")
    engine.dispose()
    subprocess.run([sys.executable, __file__, "--measure", str(folder)], check=True)
    store_seconds = float((folder / "store_seconds").read_text())

    sample = subs[: args.forms]
    for i, s in enumerate(sample):
        save_workbook(fill_workbook(build_form(ctx, ctx.units[(s.district, s.unit)]), s, ctx), folder / "forms" / f"{i}.xlsx")
    del subs[args.forms:], households, by_id
    subprocess.run([sys.executable, __file__, "--read-forms", str(folder)], check=True)
    sequential, parallel = (float(x) for x in (folder / "form_seconds").read_text().split())
    best = min(sequential, parallel)
    units_count = len(ctx.units)
    print(f"3. read and check one filled form, policy checks included: {sequential * 1000:.0f} ms sequential, {parallel * 1000:.0f} ms "
          f"in parallel ({os.cpu_count()} worker processes) → {units_count} forms ≈ {best * units_count:.1f} s")
    total = store_seconds + best * units_count
    print(f"import + score from {units_count} forms: ≈ {total:.1f} s (target ≤ 10 s, ratio {total / 10:.2f}); "
          f"store phases only: {store_seconds:.1f} s (ratio {store_seconds / 10:.2f})")
    wall = end_to_end(folder, len(sample))
    print(f"4. end to end, `jiuzhu inspect import` of {len(sample)} forms as one process: {wall:.1f} s "
          f"(phases 1–3 for the same {len(sample)} forms ≈ {store_seconds * len(sample) / units_count + best * len(sample):.1f} s)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def end_to_end(folder: Path, count: int) -> float:
    """Wall seconds of ``jiuzhu inspect import`` over the written forms, one process as a user runs it."""
    forms = sorted((folder / "forms").glob("*.xlsx"))[:count]
    command = [str(BIN / "jiuzhu"), "inspect", "import", "--round", "2019", "--store", str(folder / "bench.sqlite"),
               "--by", "bench", *map(str, forms)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"jiuzhu inspect import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall


if __name__ == "__main__":
    main()

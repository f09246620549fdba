"""Import and score a large round: 100 districts × 12 街镇 × 60 sampled case files (72,000 rows).

Prints figures, asserts nothing.  Phases:
  1. writing 1,200 validated submissions (policy checks of 72,000 case files, SQLite inserts),
  2. scoring the round (``load_round_scores``),
  3. reading and checking filled Excel forms, measured on a subset and extrapolated to 1,200.
Target from the issue: import + score ≤ 10 s and ≤ 1 GiB on this 2-core machine.

Run: .venv/bin/python bench/import_scores.py [--districts 100] [--forms 24]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toolkit.checklists import load_checklists  # noqa: E402
from toolkit.inspections import store as st  # noqa: E402
from toolkit.inspections.forms import build_form, fill_workbook, read_form, save_atomic  # noqa: E402
from toolkit.inspections.importer import read_forms, write_submissions  # noqa: E402
from toolkit.inspections.plan import make_plan  # noqa: E402
from toolkit.inspections.rounds import load_context  # noqa: E402
from toolkit.inspections.sample_data import build_city, make_submission, write_city  # noqa: E402
from toolkit.inspections.scores import load_round_scores  # noqa: E402
from toolkit.inspections.validation import check_submission  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--forms", type=int, default=24, help="forms read in phase 3")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))
    started = time.perf_counter()
    checklists = load_checklists()
    districts = [f"示例{n:03d}区" for n in range(args.districts)]
    units, households = build_city(11, districts, (12, 12), len(districts) * 12 * 1050)  # ≥ 600 each: 60 sampled
    engine = st.open_store(folder / "bench.sqlite")
    write_city(engine, units, households)
    make_plan(engine, "2019", checklists, seed=1, is_sample=True)
    ctx = load_context(engine, "2019", today=date(2020, 1, 15))
    by_id = households.set_index("case_id")
    subs = [make_submission(ctx, unit, by_id, 0.8, 1) for unit in ctx.units.values()]
    rows = sum(len(s.case_files) for s in subs)
    print(f"set-up: {len(subs)} 街镇, {rows:,} sampled case files, {len(households):,} households "
          f"({time.perf_counter() - started:.1f} s, not timed below)")

    t0 = time.perf_counter()
    problems = [p for s in subs for p in check_submission(s, ctx, lambda key: key)]
    t1 = time.perf_counter()
    write_submissions(engine, ctx, subs, imported_by="bench")
    t2 = time.perf_counter()
    scores = load_round_scores(engine, "2019")
    t3 = time.perf_counter()
    assert not problems and len(scores.units) == len(subs)
    print(f"1. check {len(subs)} submissions: {t1 - t0:.2f} s; write with policy checks: {t2 - t1:.2f} s "
          f"({(t2 - t1) / rows * 1e6:.0f} µs per case file)")
    print(f"2. score the round: {t3 - t2:.2f} s")

    sample = subs[: args.forms]
    paths = [save_atomic(fill_workbook(build_form(ctx, ctx.units[(s.district, s.unit)]), s, ctx),
                         folder / "forms" / f"{i}.xlsx") for i, s in enumerate(sample)]
    t4 = time.perf_counter()
    for path in paths:
        sub, found = read_form(path, ctx)
        assert sub is not None and not found, found[:3]
    per_form = (time.perf_counter() - t4) / len(paths)
    t5 = time.perf_counter()
    assert all(sub is not None for sub, _ in read_forms(paths, ctx))
    per_form_parallel = (time.perf_counter() - t5) / len(paths)
    print(f"3. read and check one filled form: {per_form * 1000:.0f} ms sequential, "
          f"{per_form_parallel * 1000:.0f} ms in parallel ({os.cpu_count()} processes) "
          f"→ {len(subs)} forms ≈ {per_form_parallel * len(subs):.1f} s")
    per_form = per_form_parallel

    total = (t1 - t0) + (t2 - t1) + (t3 - t2) + per_form * len(subs)
    print(f"import + score, all {len(subs)} forms: ≈ {total:.1f} s (target ≤ 10 s, ratio {total / 10:.2f}); "
          f"store phases only: {t3 - t0:.1f} s (ratio {(t3 - t0) / 10:.2f})")
    print(f"peak memory (this process): {peak_mib():.0f} MiB (target ≤ 1024 MiB, ratio {peak_mib() / 1024:.2f})")


if __name__ == "__main__":
    main()

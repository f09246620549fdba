"""How long does it take to generate one trainee's case?  Printed, not asserted.

A graded notebook generates its trainee's case once (cached per process), so this time is part
of every autograded notebook.  Prints, per assignment, the median milliseconds per case over
distinct trainees, and the ratio to the fastest assignment.
"""

from __future__ import annotations

import argparse
import statistics
import time

from toolkit.cases import ASSIGNMENTS, case_module, seed_for

TRAINEES = 60
TINY_ARGS = ["--trainees", "2"]     # seconds: the bench test (tests/test_bench.py)


def median_ms(assignment: str, trainees: int = TRAINEES) -> float:
    module = case_module(assignment)
    times = []
    for n in range(trainees):
        seed = seed_for("jiuzhu", assignment, f"bench-{n:03d}")
        started = time.perf_counter()
        module.generate(seed)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=TRAINEES, help="distinct trainees per assignment")
    args = parser.parse_args(argv)
    results = {a: median_ms(a, args.trainees) for a in ASSIGNMENTS}
    fastest = min(results.values())
    print(f"{'assignment':<16} {'ms/case':>8} {'ratio':>7}")
    for assignment, ms in results.items():
        print(f"{assignment:<16} {ms:8.1f} {ms / fastest:7.1f}x")


if __name__ == "__main__":
    main()

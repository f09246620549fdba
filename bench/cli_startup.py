"""How fast does ``jiuzhu --help`` answer?  Goal: ≤ 0.5 s (lazy imports).

Prints the median of several runs for: a bare ``python -c pass`` (the floor), ``jiuzhu --help``,
``jiuzhu policy --help``, and for comparison ``jupyter nbconvert --version``, a Jupyter command
(without rfc3987-syntax, which the set-up removes: see Makefile).  Not asserted: printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RUNS = 7
TINY_ARGS = ["--runs", "1"]     # seconds: the bench test (tests/test_bench.py)


def median_seconds(cmd: list[str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per command (the median is printed)")
    runs = parser.parse_args(argv).runs
    floor = median_seconds([sys.executable, "-c", "pass"], runs)
    rows = [
        ("python -c pass", floor),
        ("jiuzhu --help", median_seconds([str(BIN / "jiuzhu"), "--help"], runs)),
        ("jiuzhu policy --help", median_seconds([str(BIN / "jiuzhu"), "policy", "--help"], runs)),
        ("jupyter nbconvert --version", median_seconds([str(BIN / "jupyter-nbconvert"), "--version"], runs)),
    ]
    print(f"{'command':32} {'median s':>9} {'× floor':>8}")
    for name, seconds in rows:
        print(f"{name:32} {seconds:9.3f} {seconds / floor:8.1f}")
    help_time = rows[1][1]
    print(f"\njiuzhu --help: {help_time:.3f} s (goal ≤ 0.5 s: {'met' if help_time <= 0.5 else 'NOT met'})")


if __name__ == "__main__":
    main()

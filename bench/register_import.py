"""Import a 低保 register of N households (default 72,000) and print the time and peak memory.

    .venv/bin/python bench/register_import.py [--size 72000]

Builds an organisation of 8 districts × 11 街镇 and an xlsx register of fictional households in
a temporary folder, then runs ``jiuzhu register import`` in a child process (what a user runs)
and prints its wall time and peak RSS; then the same file again (re-import: nothing changes) and
as GB18030 CSV.  Printed, never asserted (issue 15 aims at ≤ 10 s and ≤ 1 GiB on 2 CPUs).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(folder: Path, size: int) -> tuple[Path, Path, Path]:
    from openpyxl import Workbook

    from toolkit.demo import qingpu
    from toolkit.cli import main

    assert main(["org", "template", "--out", str(folder)]) == 0
    districts = [f"示例{i}区" for i in range(1, 9)]
    units = [(d, u, k) for d in districts for u, k in qingpu.UNITS]
    qingpu.fill(folder / "区街镇名册.xlsx", [[d, u, k, ""] for d, u, k in units])
    per_unit = -(-size // len(units))
    rows = []
    for n, district in enumerate(districts):
        part = qingpu.households(per_unit, seed=n, district=district)
        rows.extend([f"{district}-{r[0]}", *r[1:]] for r in part)
    rows = rows[:size]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("低保档案名册")
    ws.append(["档案编号", "区", "街镇", "户主姓名", "身份证号", "家庭人数", "受理日期", "审批日期", "状态", "联系电话", "备注"])
    for r in rows:
        ws.append(r)
    register = folder / "低保档案名册.xlsx"
    wb.save(register)
    gb = folder / "低保档案名册.csv"
    with gb.open("w", encoding="gb18030", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["档案编号", "区", "街镇", "户主", "证件号码", "家庭人数", "申请日期", "审批日期", "状态", "联系电话", "备注"])
        writer.writerows([*r[:6], r[6].isoformat(), r[7].strftime("%Y/%m/%d"), *r[8:]] for r in rows)
    return folder / "区街镇名册.xlsx", register, gb


def timed(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process.

    CPU seconds hardly change with the load of a shared machine; wall seconds do."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


TINY_ARGS = ["--size", "500"]     # seconds: the bench test (tests/test_bench.py)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=72_000, help="households in the register (default 72,000)")
    args = parser.parse_args(argv)
    jiuzhu = [sys.executable, "-m", "toolkit"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        org, register, gb = build(folder, args.size)
        store = str(folder / "bench.sqlite")
        timed([*jiuzhu, "org", "import", str(org), "--store", store])
        print(f"register import of {args.size:,} households (xlsx, 8 districts × 11 街镇)")
        print(f"{'':34}{'wall s':>9}{'CPU s':>8}{'peak MiB':>10}")
        for label, path in (("first import (xlsx)", register), ("re-import, unchanged (xlsx)", register),
                            ("re-import as GB18030 CSV", gb)):
            wall, cpu, peak = timed([*jiuzhu, "register", "import", str(path), "--store", store])
            print(f"{label:34}{wall:9.1f}{cpu:8.1f}{peak:10.0f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; peak MiB is the largest child so far "
          "(ru_maxrss of children); aim: ≤ 10 s and ≤ 1024 MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A city's inspection round at full scale: 150,000 households, 215 街镇, 16 districts, end to end.

    .venv/bin/python bench/city_year.py [--households 150000] [--districts 16] [--units 215] [--jobs N] [--keep]

Builds a fictional city in a temporary folder (the 区街镇名册 from ``jiuzhu org template``, an xlsx
低保档案名册 with 停保/终止日期), then runs every step of a 各区互检 round as a user does, each
``jiuzhu`` command in a child process, and prints each step's wall time, CPU time and peak memory:

  1. ``jiuzhu org import``        the 区街镇名册
  2. ``jiuzhu register import``   the 低保档案名册
  3. ``jiuzhu inspect plan``      sampling (各区互检; 区级督导 with one district)
  4. ``jiuzhu inspect forms``     one Excel form per 街镇
  5. filling the forms           the inspection teams' part, played by ``toolkit.demo`` (not a jiuzhu
                                 command: this benchmark's stand-in, in --jobs child processes)
  6. ``jiuzhu inspect import``    all the filled forms in one call
  7. ``jiuzhu inspect report``    every district's report and the city summary, --formats html,docx,xlsx,pdf
                                 (the PDF is LibreOffice's print of the docx)

Peak memory is the largest single process of the step (``wait4`` of the child, which includes the
processes it reaped: kernels, LibreOffice), not the sum of the tree.  Printed, never asserted
(issue 21 keeps ≤ 15 s for the register and ≤ 90 s for every report with PDF on 2 cores).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROUND_YEAR = 2019                       # sampling date 2019-11-30; teams inspect in December
ISSUE_DATE = "2020-01-06"               # after the last 检查日期 the sample teams write (mid December)
CITY_OFFICE = "示例市民政局"
# invented names (the first eight are the sample city's, toolkit.demo.sample_data.DISTRICTS)
DISTRICT_NAMES = ["东湖区", "云岭区", "梅溪区", "枫林湾区", "松涛区", "银杏区", "鹭洲区", "竹韵区",
                  "晨枫区", "杏湾区", "芦泉区", "锦澜区", "瑞竹区", "翠塘区", "星岸区", "玉苇区"]
HEADER = ["档案编号", "区", "街镇", "户主姓名", "身份证号", "家庭人数", "受理日期", "审批日期", "状态",
          "联系电话", "备注", "停保/终止日期"]
# seconds, not minutes (tests/test_bench.py): one small district of 3 街镇, 区级督导
TINY_ARGS = ["--households", "450", "--districts", "1", "--units", "3", "--jobs", "2"]


def district_names(count: int) -> list[str]:
    return DISTRICT_NAMES[:count] + [f"示例{n}区" for n in range(len(DISTRICT_NAMES) + 1, count + 1)]


def build_units(districts: list[str], total: int, seed: int) -> list[tuple[str, str, str, str]]:
    """(district, 街镇, 类型, code) for ``total`` 街镇 spread as evenly as possible over the districts;
    names from the sample city's generator (unique in the city while its pool lasts)."""
    from toolkit.demo.sample_data import build_city

    widest = -(-total // len(districts))
    units, _ = build_city(seed, districts, (widest, widest), total_households=0)
    wanted = {d: total // len(districts) + (i < total % len(districts)) for i, d in enumerate(districts)}
    rows = []
    for district, group in units.groupby("district", sort=False):
        rows.extend(group.head(wanted[district])[["district", "name", "unit_type", "code"]].itertuples(index=False))
    return [tuple(r) for r in rows]


def register_rows(units: list[tuple[str, str, str, str]], households: int, seed: int) -> list[list]:
    """Register rows (HEADER order): 街镇 of uneven size, fictional people from ``toolkit.demo.qingpu``;
    停保 files get a 停保日期, some before the sampling date (out of the frame) and some after."""
    from toolkit.demo import qingpu

    rng = random.Random(seed)
    weights = [rng.uniform(0.6, 1.4) for _ in units]
    counts = [1 + int(w / sum(weights) * (households - len(units))) for w in weights]
    for i in range(households - sum(counts)):
        counts[i % len(counts)] += 1
    rows = []
    for u, ((district, name, kind, code), count) in enumerate(zip(units, counts)):
        for i, row in enumerate(qingpu.households(count, seed=seed * 1000 + u, units=[(name, kind)], district=district)):
            stopped = ""
            if row[8] == "停保":
                stopped = min(row[7] + timedelta(days=rng.randrange(60, 900)), date(ROUND_YEAR + 1, 6, 30))
            rows.append([f"{code}-{i + 1:04d}", *row[1:], stopped])
    return rows


def build(folder: Path, args: argparse.Namespace) -> tuple[Path, Path, int]:
    """The 区街镇名册 (filled template) and the register (xlsx); returns them and the number of 街镇."""
    from openpyxl import Workbook

    from toolkit.cli import main as jiuzhu_main
    from toolkit.demo import qingpu

    with contextlib.redirect_stdout(io.StringIO()):
        if jiuzhu_main(["org", "template", "--out", str(folder)]) != 0:
            raise SystemExit("jiuzhu org template failed")
    units = build_units(district_names(args.districts), args.units, args.seed)
    org = qingpu.fill(folder / "区街镇名册.xlsx", [[d, u, k, ""] for d, u, k, _ in units])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("低保档案名册")
    ws.append(HEADER)
    for row in register_rows(units, args.households, args.seed):
        ws.append(row)
    register = folder / "低保档案名册.xlsx"
    wb.save(register)
    return org, register, len(units)


def jiuzhu() -> list[str]:
    """The command a user types: the venv's ``jiuzhu`` script, or ``python -m toolkit`` without one."""
    script = Path(sys.executable).parent / "jiuzhu"
    return [str(script)] if script.exists() else [sys.executable, "-m", "toolkit"]


def pad(text: str, width: int = 42) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    return text + " " * max(1, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))


def row(label: str, figures: tuple[float, float, float]) -> str:
    wall, cpu, peak = figures
    return f"{pad(label)}{wall:9.1f}{cpu:9.1f}{peak:10.0f}"


def run(args: list[str], log: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB, largest process) of one child process."""
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args[:4])} …\n"
                         + log.read_text(encoding="utf-8", errors="replace")[-3000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def run_parallel(commands: list[list[str]], folder: Path) -> tuple[float, float, float]:
    """Several child processes at once: wall seconds, summed CPU seconds, largest peak RSS (MiB)."""
    start = time.perf_counter()
    procs = {}
    for n, args in enumerate(commands):
        out = (folder / f"fill-{n}.log").open("w")
        procs[n] = (subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT), out)
    cpu = peak = 0.0
    failed = []
    for n, (proc, out) in procs.items():            # each of ours by its id: nothing else is reaped
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.close()
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
        if proc.returncode:
            failed.append((folder / f"fill-{n}.log").read_text(encoding="utf-8", errors="replace")[-3000:])
    if failed:
        raise SystemExit("filling the forms failed:\n" + "\n".join(failed))
    return time.perf_counter() - start, cpu, peak


def fill(store: Path, round_id: str, forms: list[Path]) -> None:
    """Child process: fill some generated forms as the inspection teams would (toolkit.demo)."""
    from toolkit.demo import qingpu

    qingpu.fill_forms(store, round_id, forms, quality=0.85)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=150_000, help="households in the register (default 150,000)")
    parser.add_argument("--districts", type=int, default=16, help="districts (default 16; 1, or at least 3 for 各区互检)")
    parser.add_argument("--units", type=int, default=215, help="街镇 in the whole city (default 215)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(),
                        help="jiuzhu inspect report --jobs, and processes filling the forms (default: CPUs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the city's folder (default: removed)")
    parser.add_argument("--fill", nargs="+", help=argparse.SUPPRESS)      # child: STORE ROUND FORM…
    args = parser.parse_args(argv)
    if args.fill:
        return fill(Path(args.fill[0]), args.fill[1], [Path(p) for p in args.fill[2:]])
    if args.districts == 2 or args.districts < 1:
        parser.error("--districts: 1 (区级督导) or at least 3 (各区互检)")
    if args.units < args.districts or args.households < args.units:
        parser.error("every district needs a 街镇 and every 街镇 a household")
    folder = Path(tempfile.mkdtemp(prefix="jiuzhu-city-"))
    try:
        measure(args, folder)
    finally:
        if args.keep:
            print(f"\nthe city is kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace, folder: Path) -> None:
    started = time.perf_counter()
    org, register, unit_count = build(folder, args)
    kind = "各区互检" if args.districts >= 3 else "区级督导"
    round_id = f"{ROUND_YEAR}-{kind}"
    store = str(folder / "city.sqlite")
    forms_dir, reports = folder / "表格", folder / "报告"
    print(f"a city of {args.households:,} households, {unit_count} 街镇, {args.districts} "
          f"district{'s' * (args.districts > 1)}; round {round_id} (set-up {time.perf_counter() - started:.1f} s, not timed); {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"{pad('')}{'wall s':>9}{'CPU s':>9}{'peak MiB':>10}")
    figures = {}

    def step(label: str, command: list[str]) -> None:
        figures[label] = run(command, folder / f"step-{len(figures)}.log")
        print(row(label, figures[label]), flush=True)

    jz = jiuzhu()
    step("jiuzhu org import", [*jz, "org", "import", str(org), "--store", store, "--by", "bench",
                               "--city-office", CITY_OFFICE])
    step("jiuzhu register import", [*jz, "register", "import", str(register), "--store", store, "--by", "bench"])
    one_district = ["--district", district_names(1)[0]] if kind == "区级督导" else []
    step(f"jiuzhu inspect plan ({kind})", [*jz, "inspect", "plan", "--round", round_id, "--kind", kind,
                                           "--store", store, "--out", str(folder / "计划"), *one_district])
    step("jiuzhu inspect forms", [*jz, "inspect", "forms", "--round", round_id, "--store", store, "--out", str(forms_dir)])
    forms = sorted(forms_dir.glob("*.xlsx"))
    if len(forms) != unit_count:
        raise SystemExit(f"{len(forms)} forms for {unit_count} 街镇")
    jobs = max(1, min(args.jobs, len(forms)))
    label = f"filling {len(forms)} forms ({jobs} processes)"
    figures[label] = run_parallel([[sys.executable, str(Path(__file__).resolve()), "--fill", store, round_id,
                                    *map(str, forms[n::jobs])] for n in range(jobs)], folder)
    print(row(label, figures[label]) + "   (the teams' part, not a jiuzhu command)", flush=True)
    step(f"jiuzhu inspect import ({len(forms)} forms)",
         [*jz, "inspect", "import", "--round", round_id, "--store", store, "--by", "bench", *map(str, forms)])
    step(f"jiuzhu inspect report (+ pdf, --jobs {args.jobs})",
         [*jz, "inspect", "report", "--round", round_id, "--store", store, "--out", str(reports),
          "--formats", "html,docx,xlsx,pdf", "--jobs", str(args.jobs), "--issue-date", ISSUE_DATE])
    pdfs = sorted((reports / round_id).glob("*/report.pdf"))
    folders = [p for p in (reports / round_id).iterdir() if p.is_dir() and (p / "report.ipynb").exists()]
    print(f"\n{len(folders)} reports ({', '.join(sorted(p.name for p in folders if p.name.endswith('汇总')))} included), "
          f"{len(pdfs)} report.pdf")
    if len(pdfs) != len(folders):
        raise SystemExit(f"{len(folders) - len(pdfs)} reports have no report.pdf")
    manifest = json.loads((reports / round_id / "manifest.json").read_text(encoding="utf-8"))
    timings = [job["timings"] for job in manifest["jobs"].values()]
    slowest = max(manifest["jobs"], key=lambda name: manifest["jobs"][name]["timings"]["total_s"])
    print(f"per report (inside the runner, {len(timings)} notebooks, --jobs {args.jobs}): mean "
          f"{sum(t['total_s'] for t in timings) / len(timings):.1f} s, of which export (html, docx, xlsx, pdf) "
          f"{sum(t.get('export_s', 0) for t in timings) / len(timings):.1f} s; slowest {slowest} "
          f"{manifest['jobs'][slowest]['timings']['total_s']:.1f} s; the runner's wall {manifest['wall_s']:.1f} s")
    jiuzhu_total = sum(wall for key, (wall, _, _) in figures.items() if key.startswith("jiuzhu"))
    print(f"the jiuzhu commands together: {jiuzhu_total:.1f} s wall; load average at the end "
          f"{os.getloadavg()[0]:.1f} (a shared machine's figures are noisy)")
    print("issue 21 keeps: register import ≤ 15 s, every report with PDF ≤ 90 s (150,000 households, 2 cores)")


if __name__ == "__main__":
    main()

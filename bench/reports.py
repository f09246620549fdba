"""Benchmark: `jiuzhu inspect report` vs a sequential shell loop of the `papermill` CLI.

    .venv/bin/python bench/reports.py [--store data/jiuzhu.sqlite] [--round 2019] [--jobs N] [--keep] [--quick]

Runs the full sample round (every district + the city summary) both ways on the same notebooks
and parameters, and prints wall times, the speed-up ratio, each notebook's time in our runner
against a bare kernel start-and-run of the same notebook (nbclient, no papermill, no exports),
and the peak memory (summed RSS of the process tree, sampled every 0.2 s).  Our runner runs
twice, with warm kernels (forked from a template, the default) and cold ones
(JIUZHU_WARM_KERNELS=0): it prints where each notebook's seconds go in both, and checks that
both runs wrote the same reports (timestamps aside).
Without --store the sample data are generated first into a temporary folder (≈ 1 min).
Printed, never asserted: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
ISSUE_DATE = "2019-12-23"      # the working day after the sample round's last inspection
# seconds rather than minutes (tests/test_bench.py): a sample city of 3 districts with 2 街镇 each
TINY_ARGS = ["--sample-districts", "3", "--sample-units", "2", "--quick"]


def tree_rss_mib(root_pid: int) -> float:
    """Summed resident memory of ``root_pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry.name}/statm") as handle:
                rss[int(entry.name)] = int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def timed(command: list[str] | str, shell: bool = False, env: dict | None = None) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak summed RSS MiB of its process tree)."""
    peak = [0.0]
    started = time.perf_counter()
    proc = subprocess.Popen(command, shell=shell, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, executable="/bin/bash" if shell else None,
                            env=None if env is None else {**os.environ, **env})
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mib(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {command}\n{err[-2000:]}")
    return wall, peak[0]


def bare_run_seconds(notebook: Path, parameters: dict, workdir: Path) -> float:
    """Kernel start, run every cell, immediate shutdown: nbclient alone (the floor per notebook)."""
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
    started = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(workdir)}},
                   shutdown_kernel="immediate").execute()
    return time.perf_counter() - started


PHASES = (("kernel_launch_s", "launch (fork or exec)"), ("handshake_s", "until kernel ready"),
          ("kernel_start_s", "kernel start (both)"),
          ("imports_s", "imports cell"), ("cells_s", "other cells"), ("shutdown_s", "shutdown + save"),
          ("export_s", "export html"), ("total_s", "total per notebook"))
_STAGING = re.compile(r"\.staging-\d+-\d+")
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def print_breakdown(runs: dict[str, dict]) -> None:
    """Mean seconds per notebook and phase, one column per run (manifests of our runner)."""
    print(f"\nwhere a notebook's seconds go (mean over notebooks, inside the parallel run)")
    print(f"  {'':24}" + "".join(f"{label:>12}" for label in runs))
    jobs = {label: [j["timings"] for j in m["jobs"].values() if j["ok"]] for label, m in runs.items()}
    for key, label in PHASES:
        cells = "".join(f"{sum(t[key] for t in ts) / len(ts):12.2f}" if ts and all(key in t for t in ts)
                        else f"{'—':>12}" for ts in jobs.values())
        print(f"  {label:24}{cells}")
    print(f"  {'kernels forked warm':24}" + "".join(
        f"{sum(bool(t.get('warm_kernel')) for t in ts):>7}/{len(ts):<4}" for ts in jobs.values()))


def export_again(runs: dict[str, Path], limit: int = 3) -> None:
    """Export html of the executed notebooks of each run again, here, one after another (no
    neighbour, no kernel): what the export itself costs for a warm run's and a cold run's
    notebooks.  The first export in a process also loads nbconvert's templates (shown apart)."""
    import nbformat

    from toolkit.reports.export.export_html import notebook_to_html

    started = time.perf_counter()
    notebook_to_html(nbformat.v4.new_notebook(), title="")
    first = time.perf_counter() - started
    means = {}
    for label, folder in runs.items():
        notebooks = sorted(folder.glob("*/report.ipynb"))[:limit]
        started = time.perf_counter()
        for path in notebooks:
            notebook_to_html(nbformat.read(path, as_version=4), title=path.parent.name)
        means[label] = (time.perf_counter() - started) / max(1, len(notebooks))
    print(f"  export html again, in this process alone ({limit} notebooks of each run): "
          + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in means.items())
          + f" (a process's first export also loads nbconvert's templates: {first:.2f} s)")


def _normalised(path: Path, root: Path):
    """A file's content with what legitimately differs between two runs removed: times, and the
    run's own output folder (the injected ``output_dir`` parameter)."""
    if path.suffix in {".docx", ".xlsx"}:
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n) for n in archive.namelist() if not n.startswith("docProps/")}
    text = path.read_text(encoding="utf-8", errors="replace").replace(str(root), "<out>")
    text = _STAGING.sub(".staging", text)
    if path.suffix == ".ipynb":
        nb = json.loads(text)
        return [(c.get("source"), c.get("outputs")) for c in nb["cells"]]
    return _STAMP.sub("<time>", text)


def differing_outputs(a: Path, b: Path) -> list[str]:
    """Report files that differ between two runs' output folders, timestamps aside."""
    different = []
    for folder in sorted(p for p in a.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            other = b / folder.name / path.name
            if not other.exists() or _normalised(path, a) != _normalised(other, b):
                different.append(f"{folder.name}/{path.name}")
    return different


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--round", default=None)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--sample-districts", type=int, default=None, help="without --store: districts of the sample")
    parser.add_argument("--sample-units", type=int, default=None, help="without --store: 街镇 per sample district")
    parser.add_argument("--quick", action="store_true",
                        help="our runner and one bare run only (no papermill loop, no solo run): the tiny size")
    parser.add_argument("--keep", action="store_true", help="keep the outputs (default: the temporary folder is removed)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        measure(args, scratch)
    finally:
        if args.keep:
            print(f"\noutputs kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def measure(args: argparse.Namespace, scratch: Path) -> None:
    store = Path(args.store) if args.store else None
    if store is None:
        from toolkit.demo.sample_data import DISTRICTS, TARGET_HOUSEHOLDS, generate

        print("generating sample data …", flush=True)
        districts = DISTRICTS[: args.sample_districts or len(DISTRICTS)]
        units = (args.sample_units, args.sample_units) if args.sample_units else (5, 12)
        households = TARGET_HOUSEHOLDS * len(districts) * units[1] // (len(DISTRICTS) * 12)
        store = generate(scratch / "sample", say=lambda _: None, districts=districts, unit_range=units,
                         total_households=max(households, 600 * len(districts) * units[1])).store
    from toolkit.inspections.scores.scores import list_districts, list_rounds

    round_id = args.round or list_rounds(store)[-1]
    districts = list_districts(store, round_id)
    print(f"round {round_id}: {len(districts)} districts + summary, store {store}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")

    # 1. our runner, through the CLI (includes CLI start-up): warm kernels, then cold ones
    def ours(folder: Path, **env) -> tuple[float, float, dict]:
        wall, mem = timed([str(VENV_BIN / "jiuzhu"), "inspect", "report", "--round", round_id,
                           "--store", str(store), "--out", str(folder), "--jobs", str(args.jobs),
                           "--issue-date", ISSUE_DATE], env=env)
        return wall, mem, json.loads((folder / round_id / "manifest.json").read_text(encoding="utf-8"))

    out = scratch / "ours"
    ours_wall, ours_mem, manifest = ours(out)
    print(f"jiuzhu inspect report: {ours_wall:.1f} s, peak {ours_mem:.0f} MiB", flush=True)
    cold_wall, cold_mem, cold_manifest = ours(scratch / "ours-cold", JIUZHU_WARM_KERNELS="0")
    print(f"jiuzhu inspect report, cold kernels: {cold_wall:.1f} s, peak {cold_mem:.0f} MiB", flush=True)
    different = differing_outputs(out / round_id, scratch / "ours-cold" / round_id)

    if args.quick:                                   # the floor for one notebook, then stop
        work = scratch / "bare"
        work.mkdir(parents=True)
        from toolkit.reports.compose.inspection_round import SUMMARY_NOTEBOOK   # package data since feat/org

        seconds = bare_run_seconds(SUMMARY_NOTEBOOK,
                                   {"round_id": round_id, "store": str(store), "issue_date": ISSUE_DATE,
                                    "output_dir": str(work), "formats": "html,docx,xlsx"}, work)
        job = manifest["jobs"]["全市汇总"]["timings"]
        print(f"全市汇总: ours {job['total_s']:.1f} s, bare {seconds:.1f} s, ratio {job['total_s'] / seconds:.2f}× (--quick)")
        export_again({"warm": out / round_id, "cold": scratch / "ours-cold" / round_id})
        return

    # 2. the same notebooks and parameters, one papermill CLI call after another
    lines = []
    common = f"-p round_id {round_id} -p store {shlex.quote(str(store))} -p issue_date {ISSUE_DATE}"
    loop_out = scratch / "papermill"
    for name in districts + ["全市汇总"]:
        folder = loop_out / name
        notebook = "district_report.ipynb" if name != "全市汇总" else "cross_district_summary.ipynb"
        district = f"-p district {shlex.quote(name)}" if name != "全市汇总" else ""
        lines.append(f"mkdir -p {shlex.quote(str(folder))} && {VENV_BIN / 'papermill'} --no-progress-bar "
                     f"inspections/{notebook} {shlex.quote(str(folder / 'report.ipynb'))} {common} "
                     f"{district} -p output_dir {shlex.quote(str(folder))} -p formats html,docx,xlsx")
    loop_wall, loop_mem = timed(" && ".join(lines), shell=True)
    print(f"papermill CLI loop: {loop_wall:.1f} s, peak {loop_mem:.0f} MiB", flush=True)

    # 3. the floor: bare kernel start-and-run of two of the same notebooks, sequentially
    bare = {}
    for name, notebook, extra in ((districts[0], "district_report.ipynb", {"district": districts[0]}),
                                  ("全市汇总", "cross_district_summary.ipynb", {})):
        work = scratch / "bare" / name
        work.mkdir(parents=True)
        bare[name] = bare_run_seconds(ROOT / "inspections" / notebook,
                                      {"round_id": round_id, "store": str(store), "issue_date": ISSUE_DATE,
                                       "output_dir": str(work), "formats": "html,docx,xlsx", **extra}, work)

    print(f"\n{'':28}{'wall s':>9}{'peak MiB':>10}")
    print(f"{'jiuzhu inspect report':28}{ours_wall:9.1f}{ours_mem:10.0f}   (--jobs {args.jobs}; also writes report.html)")
    print(f"{'  same, cold kernels':28}{cold_wall:9.1f}{cold_mem:10.0f}   (JIUZHU_WARM_KERNELS=0)")
    print(f"{'papermill CLI loop':28}{loop_wall:9.1f}{loop_mem:10.0f}")
    print(f"speed-up (loop / ours): {loop_wall / ours_wall:.2f}×   (goal ≥ 3×); "
          f"warm against cold kernels {cold_wall / ours_wall:.2f}×")
    print("warm and cold runs wrote the same reports (timestamps aside): "
          + ("yes" if not different else "NO, differing: " + ", ".join(different)))
    print_breakdown({"warm": manifest, "cold": cold_manifest})
    export_again({"warm": out / round_id, "cold": scratch / "ours-cold" / round_id})
    print("\nper notebook: our runner (execute + export, inside the parallel run) vs bare kernel start-and-run")
    for name, seconds in bare.items():
        job = manifest["jobs"][name]["timings"]
        print(f"  {name:8} ours {job['total_s']:6.1f} s (execute {job['execute_s']:.1f}, export "
              f"{job.get('export_s', 0):.1f})   bare {seconds:6.1f} s   ratio {job['total_s'] / seconds:.2f}×"
              f"   (goal ≤ 1.5×)")
    # 4. one notebook alone through our runner (no parallel neighbour): the runner's own overhead
    solo = scratch / "solo"
    solo_wall, _ = timed([str(VENV_BIN / "jiuzhu"), "inspect", "report", "--round", round_id,
                          "--store", str(store), "--out", str(solo), "--jobs", "1",
                          "--district", districts[0], "--issue-date", ISSUE_DATE])
    solo_job = json.loads((solo / round_id / "manifest.json").read_text(encoding="utf-8"))[
        "jobs"][districts[0]]["timings"]
    print(f"  {districts[0]:8} alone (--jobs 1): ours {solo_job['total_s']:6.1f} s (execute "
          f"{solo_job['execute_s']:.1f}, export {solo_job.get('export_s', 0):.1f})   bare "
          f"{bare[districts[0]]:6.1f} s   ratio {solo_job['total_s'] / bare[districts[0]]:.2f}×;"
          f"  whole command {solo_wall:.1f} s")
    print(f"load average at the end {os.getloadavg()[0]:.1f} (shared machine: figures are noisy)")


if __name__ == "__main__":
    main()

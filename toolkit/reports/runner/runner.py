"""Run many notebooks in parallel and put their outputs in place: the generic report runner.

    summary = run_notebooks(jobs, out_dir, workers=2)          # local worker processes
    summary = run_notebooks(jobs, out_dir, scheduler="tcp://10.0.0.5:8786")   # Dask cluster

Order of work: validate every job's parameters (no kernel yet) → refuse when outputs exist and
``force`` is not set → execute into a hidden staging folder with a progress bar and ETA → move
each finished job's folder into place (old one replaced only with ``force``) → manifest.json.
A failed job's executed notebook is kept as ``<name>.failed.ipynb`` for diagnosis.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.errors import UserError
from toolkit.reports.runner import messages as msg
from toolkit.reports.runner.execute import EXECUTED_NAME, run_job
from toolkit.reports.runner.executors import open_executor
from toolkit.files import replace_dir
from toolkit.reports.runner.jobs import JobFailure, JobResult, NotebookJob
from toolkit.reports.runner.manifest import write_manifest
from toolkit.reports.runner.validate import validate_jobs

FAILED_SUFFIX = ".failed.ipynb"


class OutputExists(UserError):
    """The round's outputs exist and ``--force`` was not given."""


@dataclass
class RunSummary:
    out_dir: Path
    results: list[JobResult]
    manifest: Path
    executor: str
    wall_s: float
    written: list[Path] = field(default_factory=list)

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]


def run_notebooks(jobs: list[NotebookJob], out_dir: Path, *, workers: int | None = None,
                  scheduler: str | None = None, force: bool = False, progress: bool = True,
                  inputs: dict[str, Path] | None = None, manifest_extra: dict | None = None,
                  pre_failed: list[JobResult] | None = None, executor=None) -> RunSummary:
    """Validate, execute and put in place ``jobs``; ``pre_failed`` (jobs refused before any
    kernel, e.g. a district without data) are reported alongside in results and manifest.

    ``executor``: an already open ``(executor, description)`` from :func:`open_executor`
    (the caller started its workers early and closes it); by default one is opened here."""
    out_dir = Path(out_dir)
    declared = validate_jobs(jobs)
    if not jobs:
        raise UserError(msg.NOTHING_TO_RUN.format(
            names="、".join(r.name for r in pre_failed or []) or "—"))
    existing = [job.name for job in jobs if (out_dir / job.name).exists()]
    if existing and not force:
        raise OutputExists(msg.OUTPUT_EXISTS.format(path=out_dir, names="、".join(existing)))
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".staging-{os.getpid()}-{int(time.time())}"
    staged_jobs = [_staged(job, staging, declared.get(Path(job.notebook), {})) for job in jobs]
    try:
        if executor is not None:
            pool, description = executor
            results = _run_all(pool, staged_jobs, progress)
        else:
            with open_executor(min(workers, len(jobs)) or 1, scheduler) as (pool, description):
                results = _run_all(pool, staged_jobs, progress)
        written = _put_in_place(results, staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    wall = time.perf_counter() - started
    results = list(pre_failed or []) + results
    manifest = write_manifest(out_dir, jobs=staged_jobs, results=results, inputs=inputs or {},
                              extra=manifest_extra or {}, executor=description, wall_s=wall)
    return RunSummary(out_dir=out_dir, results=results, manifest=manifest,
                      executor=description, wall_s=wall, written=written + [manifest])


def _staged(job: NotebookJob, staging: Path, declared: dict) -> NotebookJob:
    target = (staging / job.name).resolve()
    params = dict(job.parameters)
    if "output_dir" in declared:
        params["output_dir"] = str(target)
    if "formats" in declared:
        params["formats"] = ",".join(job.formats)
    return replace(job, parameters=params, output_dir=target)


def _run_all(executor, jobs: list[NotebookJob], progress: bool) -> list[JobResult]:
    from tqdm import tqdm

    # Longest first: a long job submitted last would leave the other workers idle at the end.
    ordered = sorted(jobs, key=lambda job: -job.priority)
    futures = {executor.submit(run_job, job): job for job in ordered}
    results: dict[str, JobResult] = {}
    with tqdm(total=len(jobs), desc=msg.PROGRESS, unit="份", disable=not progress,
              file=sys.stderr, dynamic_ncols=True) as bar:
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as err:  # the worker itself died
                result = JobResult(name=job.name, ok=False, output_dir=str(job.output_dir),
                                   failure=JobFailure(kind="worker", message=str(err),
                                                      ename=type(err).__name__))
            results[job.name] = result
            bar.set_postfix_str(job.name + (" ✓" if result.ok else " ✗"))
            bar.update(1)
    return [results[job.name] for job in jobs]


def _put_in_place(results: list[JobResult], staging: Path, out_dir: Path) -> list[Path]:
    written = []
    for result in results:
        staged = staging / result.name
        if result.ok:
            replace_dir(staged, out_dir / result.name)
            written.extend(sorted((out_dir / result.name).iterdir()))
            stale = out_dir / f"{result.name}{FAILED_SUFFIX}"
            if stale.exists():
                stale.unlink()
        elif (staged / EXECUTED_NAME).exists():
            target = out_dir / f"{result.name}{FAILED_SUFFIX}"
            os.replace(staged / EXECUTED_NAME, target)
            result.outputs = [target.name]
    return written

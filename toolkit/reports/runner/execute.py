"""Execute one :class:`NotebookJob` with papermill and export it.  Runs inside a worker.

The worker may be a local process or a Dask worker: :func:`run_job` is a top-level function of
plain picklable data.  It never raises for a notebook's own failure; it returns a
:class:`JobResult` naming the cell and error instead, so one failing district never stops the
others.
"""

from __future__ import annotations

import os
import platform
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from toolkit.reports.runner import messages as msg
from toolkit.reports.runner.jobs import JobFailure, JobResult, NotebookJob

EXECUTED_NAME = "report.ipynb"
HTML_NAME = "report.html"
PDF_NAME = "report.pdf"
# Imported once per worker in the warm-kernel template, with the run's notebooks' own imports;
# openpyxl and python-docx are imported inside the toolkit's writers (≈ 0.4 s per notebook cold).
WARM_PRELOAD = ("pandas", "matplotlib.pyplot", "sqlalchemy", "openpyxl", "docx")
_STARTUP_ATTEMPTS = 2
_RUN_NOTEBOOKS: set[str] = set()   # this worker's run (preload): one template serves them all


def preload(notebooks: tuple = ()) -> None:
    """Import the heavy machinery once per worker process (warm workers start kernels sooner);
    start the one warm-kernel template for ``notebooks`` so its imports overlap the caller's work.

    The local pool calls this as every worker process's initializer (so each worker has its
    template, whichever tasks it gets first)."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from toolkit.kernels import prestart

    _register_readable_translator()
    if notebooks:
        _RUN_NOTEBOOKS.update(str(Path(n)) for n in notebooks)
        prestart(kernel_for(Path(notebooks[0])))


def _register_readable_translator() -> None:
    """Inject Chinese string parameters as readable literals instead of ``\\uXXXX`` escapes."""
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePythonTranslator(PythonTranslator):
        @classmethod
        def translate_str(cls, val):
            return repr(str(val))

    papermill_translators.register("python", ReadablePythonTranslator)


def run_job(job: NotebookJob) -> JobResult:
    """Execute ``job.notebook`` into ``job.output_dir`` and write the requested exports."""
    preload()
    out = Path(job.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    executed = out / EXECUTED_NAME
    result = JobResult(name=job.name, ok=False, output_dir=str(out),
                       worker=f"{socket.gethostname()}:{os.getpid()}")
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    failure, attempts, phases = _execute_with_retry(job, executed)
    result.attempts = attempts
    result.timings["execute_s"] = round(time.perf_counter() - started, 3)
    result.timings.update(phases)
    nb = _write_provenance(executed, job, started_at, attempts, failure) if executed.exists() else None
    if failure is None:
        export_started = time.perf_counter()
        try:
            _export(job, nb, out)
        except Exception as err:  # an exporter bug must not stop the other districts
            failure = JobFailure(kind="export", message=str(err), ename=type(err).__name__)
        result.timings["export_s"] = round(time.perf_counter() - export_started, 3)
    result.timings["total_s"] = round(time.perf_counter() - started, 3)
    result.failure = failure
    result.ok = failure is None
    result.outputs = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    return result


def kernel_for(notebook: Path) -> str:
    """A warm kernel that has imported what ``notebook`` and the other notebooks of this worker's
    run import (``python3`` where unavailable): one template per worker, not one per notebook."""
    from toolkit.kernels import notebook_imports, warm_kernel

    notebooks = sorted({str(Path(notebook)), *_RUN_NOTEBOOKS})
    imports = sorted({name for path in notebooks for name in notebook_imports(Path(path))})
    return warm_kernel("reports", (*WARM_PRELOAD, *imports))


def _execute_with_retry(job: NotebookJob, executed: Path) -> tuple[JobFailure | None, int, dict]:
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from toolkit.kernels import PhaseClock

    deadline = time.monotonic() + job.timeout
    kernel_name = kernel_for(Path(job.notebook))
    attempt = 0
    while True:
        attempt += 1
        running: dict = {}  # the cell being executed (nbclient hook): names a timeout's cell
        clock = PhaseClock()

        def note_cell(cell, cell_index, **_):
            running.update(index=cell_index, source=cell.get("source", ""))

        try:
            # No save per cell (it re-serialises every chart twice per cell); papermill writes
            # the notebook at the end, also when a cell raises.
            pm.execute_notebook(
                str(job.notebook), str(executed), parameters=dict(job.parameters),
                kernel_name=kernel_name, progress_bar=False, log_output=False,
                cwd=str(executed.parent), request_save_on_cell_execute=False,
                shutdown_kernel="immediate", config=_kernel_config(), on_cell_start=note_cell,
                **clock.hooks(),
                start_timeout=max(5, min(60, int(deadline - time.monotonic()))),
                timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
            )
            return None, attempt, clock.phases()
        except PapermillExecutionError as err:
            return JobFailure(kind="cell", message=str(err.evalue), ename=err.ename,
                              cell_index=err.cell_index, cell_source=err.source), attempt, clock.phases()
        except CellTimeoutError:
            return JobFailure(kind="timeout", message=msg.TIMEOUT.format(seconds=job.timeout),
                              cell_index=running.get("index"),
                              cell_source=running.get("source", "")), attempt, clock.phases()
        except Exception as err:  # kernel died or never started
            if not running and attempt < _STARTUP_ATTEMPTS and time.monotonic() < deadline:
                continue
            if not running:
                return JobFailure(kind="kernel", ename=type(err).__name__,
                                  message=msg.KERNEL_START_FAILED.format(error=err)), attempt, {}
            return JobFailure(kind="worker", message=str(err), ename=type(err).__name__,
                              cell_index=running.get("index"),
                              cell_source=running.get("source", "")), attempt, clock.phases()


def _kernel_config():
    """Kernel manager settings: CurveZMQ keys when available (silences ipykernel 7's warning),
    and the client that starts the first cell as soon as the kernel answers."""
    import zmq
    from traitlets.config import Config

    from toolkit.kernels import PROMPT_CLIENT

    policy = "auto" if zmq.has("curve") else "disabled"
    return Config({"KernelManager": {"transport_encryption": policy},
                   "AsyncKernelManager": {"client_class": PROMPT_CLIENT}})


def _write_provenance(executed: Path, job: NotebookJob, started_at: str, attempts: int,
                      failure: JobFailure | None):
    """Add ``metadata.jiuzhu`` (parameters, source hash, times, host) and return the notebook."""
    import nbformat

    from toolkit import __version__
    from toolkit.files import atomic_path, sha256_file

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["jiuzhu"] = {
        "toolkit_version": __version__,
        "job": job.name,
        "source_notebook": str(job.notebook),
        "source_sha256": sha256_file(job.notebook),
        "parameters": dict(job.parameters),
        "started_at": started_at,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "attempts": attempts,
        "host": socket.gethostname(),
        "python": platform.python_version(),
        "sample_data": job.sample,
        "status": "ok" if failure is None else "failed",
    }
    with atomic_path(executed) as tmp:
        nbformat.write(nb, tmp)
    return nb


def _export(job: NotebookJob, nb, out: Path) -> None:
    from toolkit.reports.export.export_html import notebook_to_html
    from toolkit.files import write_text_atomic

    if not ({"html", "pdf"} & set(job.formats)):
        return
    html = notebook_to_html(nb, title=job.title or job.name, sample=job.sample)
    if "html" in job.formats:
        write_text_atomic(out / HTML_NAME, html)
    if "pdf" in job.formats:
        from toolkit.reports.export.export_pdf import html_to_pdf

        html_to_pdf(html, out / PDF_NAME)

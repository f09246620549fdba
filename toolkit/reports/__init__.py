"""Reports in one place: run notebooks in parallel, export documents, compose what a report says.

Public API::

    from toolkit.reports import NotebookJob, run_notebooks                # the parallel runner
    from toolkit.reports.export.document import ReportDocument            # what a notebook builds

Subpackages: ``runner`` (jobs, parameter validation before any kernel, execution in a worker
with papermill, retry and provenance, local or Dask executors, staging, atomic swap, manifest),
``export`` (the ``ReportDocument`` and its HTML, Word, Excel and PDF writers, column widths,
LibreOffice), both generic — they know nothing of policy or inspections; ``compose`` (what a
supervision report says: the body, its data and labels, the round's jobs via the scores API,
the 整改情况通报, the final summary table).
"""

from toolkit.reports.runner.jobs import ALL_FORMATS, DEFAULT_FORMATS, JobFailure, JobResult, NotebookJob

__all__ = ["ALL_FORMATS", "DEFAULT_FORMATS", "JobFailure", "JobResult", "NotebookJob",
           "run_notebooks", "RunSummary"]


def __getattr__(name):  # heavy imports only when used
    if name in ("run_notebooks", "RunSummary"):
        from toolkit.reports.runner import runner

        return getattr(runner, name)
    raise AttributeError(name)

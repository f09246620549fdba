"""Run notebooks in parallel and export documents (HTML, Word, Excel, PDF).

Generic: knows nothing of policy.  Public API::

    from toolkit.reports import NotebookJob, run_notebooks      # the parallel runner
    from toolkit.reports.document import ReportDocument         # what a notebook builds

Modules: ``jobs`` (job/result types), ``validate`` (parameters, before any kernel), ``execute``
(one job in a worker: papermill, retry, provenance, HTML/PDF), ``executors`` (local processes or
Dask), ``runner`` (staging, atomic swap, manifest), ``document``/``export_*`` (HTML, Word,
Excel, PDF), ``fonts`` (CJK font detection), ``inspection_round`` (the supervision round's
jobs, via the scores API), ``demo_stage``, ``summary_text`` (the final table).
"""

from toolkit.reports.jobs import ALL_FORMATS, DEFAULT_FORMATS, JobFailure, JobResult, NotebookJob

__all__ = ["ALL_FORMATS", "DEFAULT_FORMATS", "JobFailure", "JobResult", "NotebookJob",
           "run_notebooks", "RunSummary"]


def __getattr__(name):  # heavy imports only when used
    if name in ("run_notebooks", "RunSummary"):
        from toolkit.reports import runner

        return getattr(runner, name)
    raise AttributeError(name)

"""Run notebooks in parallel and export documents (HTML, Word, Excel, PDF).

Generic: knows nothing of policy.  Public API::

    from toolkit.reports import NotebookJob, run_notebooks, ReportDocument
"""

from toolkit.reports.jobs import ALL_FORMATS, DEFAULT_FORMATS, JobFailure, JobResult, NotebookJob

__all__ = ["ALL_FORMATS", "DEFAULT_FORMATS", "JobFailure", "JobResult", "NotebookJob",
           "run_notebooks", "RunSummary"]


def __getattr__(name):  # heavy imports only when used
    if name in ("run_notebooks", "RunSummary"):
        from toolkit.reports import runner

        return getattr(runner, name)
    raise AttributeError(name)

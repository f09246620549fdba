"""Run notebooks in parallel: jobs and results (``jobs``), parameters checked before any kernel
(``validate``), one job in a worker with papermill, retry and provenance (``execute``), local or Dask
executors (``executors``), staging, atomic swap and manifest (``runner``, ``manifest``), messages
(``messages``).  Knows nothing of policy or inspections.

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.reports.runner.jobs": ("ALL_FORMATS", "DEFAULT_FORMATS", "JobFailure", "JobResult", "NotebookJob"),
    "toolkit.reports.runner.runner": ("RunSummary", "run_notebooks"),
})

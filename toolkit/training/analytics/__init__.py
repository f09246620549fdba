"""Training analytics (trainer side): the gradebook read into per-trainee, per-question statistics
(:mod:`.analytics`), the training ledger workbook (:mod:`.ledger`) and ``jiuzhu course report``
(:mod:`.report`: ledger and charts).

Reads the course's gradebook and roster (``toolkit.training.course``).  The names below load
their modules on first use (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.training.analytics.analytics": ("TrainingStats", "collect", "stats_from"),
    "toolkit.training.analytics.ledger": ("write_ledger",),
    "toolkit.training.analytics.report": ("format_report_paths", "write_training_report"),
})

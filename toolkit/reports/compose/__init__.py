"""What a supervision report says, in one place: the body of the district report and the
summary (``report_body``), its tables and charts (``report_data``), its words (``report_labels``),
training figures (``training_figures``), the 整改情况通报 (``rectification_report``), the round's
notebook jobs (``inspection_round``, ``rectification_round``) and the final table (``summary_text``).
The only part of reports that may read the inspection store.

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.reports.compose.inspection_round": ("run_round_reports",),
    "toolkit.reports.compose.rectification_round": ("run_rectification_report",),
})

"""Filled forms into the store: what a form holds (``submission``), every value checked against
the round (``validation``), the all-or-nothing import with its error list (``importer``).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.intake.importer": ("ImportRecord", "ImportRejected", "import_files"),
    "toolkit.inspections.intake.validation": ("Problem",),
    "toolkit.inspections.intake.submission": ("CaseFileRow", "UnitSubmission"),
})

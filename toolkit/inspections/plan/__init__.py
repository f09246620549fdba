"""The round's plan: which district's team inspects which, and the stratified random sample
of case files (``plan``, 互检计划 and plan.xlsx).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.plan.plan": ("Plan", "SAMPLE_RULE", "make_plan"),
})

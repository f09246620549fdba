"""Problems found and their fixing: findings worded from the results (``findings``), the
整改清单 with working-day deadlines (``rectification``, settings in ``report_settings.yaml``), the
returned lists (``rectification_returns``), their status (``rectification_status``), 反弹
(``recurrence``) and the labels reports repeat (``rectification_labels``).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.rectification.findings": ("load_findings",),
    "toolkit.inspections.rectification.rectification_returns": ("import_returns",),
    "toolkit.inspections.rectification.rectification_status": ("problem_status", "district_summary"),
})

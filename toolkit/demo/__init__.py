"""``jiuzhu demo`` and the sample data, together: every output made here is marked 示例数据.

``run`` (the stages in order), one stage per flow (``inspections_demo``, ``demo_stage`` for the
reports, ``training_demo``, ``loop_demo``), and the fictional data they use: ``sample_data``
(示例市: districts, 街镇, households, filled forms), ``sample_returns`` (returned 整改清单),
``sample_ledger`` (a training roster and ledger).  Nothing is imported until a name is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.demo.run": ("STAGES",),
    "toolkit.demo.sample_data": ("generate",),
    "toolkit.demo.inspections_demo": ("demo_store",),
})

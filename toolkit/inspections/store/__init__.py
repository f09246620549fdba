"""The inspection store and its rounds: schema and migrations (``store``), a round's districts,
街镇, plan, sample and checklists (``rounds``), the three kinds of round (``round_kinds``).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.store.store": ("open_store",),
    "toolkit.inspections.store.rounds": ("RoundContext", "RoundError", "UnitInfo", "load_context", "require_round", "round_checklists"),
    "toolkit.inspections.store.round_kinds": ("KINDS", "resolve_scope"),
})

"""Scores: an item and a case file scored against the checklist and the policy rules
(``scoring``), a round's scores per district and 街镇 (``scores``, what the report notebooks load),
the terminal views of plan, import and scores (``views``).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.scores.scores": ("RoundScores", "list_districts", "list_rounds", "load_round_scores", "previous_round", "wilson_interval"),
})

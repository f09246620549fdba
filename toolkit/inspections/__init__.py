"""Supervision data, one subpackage per stage: ``store`` (store, rounds, round kinds), ``register``
(organisation and register import, templates), ``plan`` (互检计划 and sampling), ``forms`` (Excel forms,
form limits, the data-entry widgets), ``intake`` (validation and all-or-nothing import), ``scores``
(scoring and the round's scores), ``rectification`` (findings, 整改清单, returns, status, 反弹).

The report notebooks use :mod:`toolkit.inspections.scores.scores` (``load_round_scores`` and friends),
also named here.  Nothing is imported until a name is used (PEP 562), so heavy modules (openpyxl,
SQLAlchemy, pandas) load only when needed.
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.scores.scores": ("RoundScores", "list_districts", "list_rounds", "load_round_scores",
                                          "previous_round", "wilson_interval"),
})

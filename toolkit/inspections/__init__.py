"""Supervision data: store, sample data, plan and sampling, Excel forms, import, scores.

The report notebooks use :mod:`toolkit.inspections.scores` (``load_round_scores`` and friends).
Heavy modules (openpyxl, SQLAlchemy, pandas) load only when a submodule is imported.
"""

from toolkit.inspections.scores import (
    RoundScores, list_districts, list_rounds, load_round_scores, previous_round, wilson_interval,
)

__all__ = ["RoundScores", "list_districts", "list_rounds", "load_round_scores", "previous_round",
           "wilson_interval"]

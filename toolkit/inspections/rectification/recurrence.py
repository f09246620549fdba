"""反弹: a problem found again after its 街镇 reported it 已整改 in the previous round.

One computation for every document that shows it: the 整改情况通报 (``rectification_status.recurrences``)
and the round's own reports — district reports, the city summary and their 整改清单 — which call
:func:`mark_recurrences` on their findings.  A finding recurs when the previous round's returned
整改清单 reported the same 区, 街镇 and checklist item 已整改.  No previous round, or no returns for
it, marks nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from toolkit.inspections.store import store as st
from toolkit.inspections.rectification.rectification import STATUS_CHOICES

DONE = STATUS_CHOICES[0]                                       # 已整改
MARK_COLUMNS = ["recurs_from", "fixed_on", "fixed_measures"]   # added to a findings frame


def fixed_problems(store, previous_round: str | None) -> dict[tuple[str, str, str], object]:
    """(区, 街镇, 检查项) → the previous round's return row reported 已整改 (empty without a round)."""
    if not previous_round:
        return {}
    engine = st.open_store(store, create=False)
    t = st.rectification_returns
    with engine.connect() as conn:
        rows = conn.execute(select(t).where((t.c.round_id == str(previous_round)) & (t.c.status == DONE))).all()
    return {(r.district, r.unit or "", r.item_id): r for r in rows}


def fixed_before(fixed: dict, district: str, unit: str | None, item_id: str):
    """The 已整改 return a finding of (区, 街镇, 检查项) repeats, or None: the one matching rule."""
    return fixed.get((district, unit or "", item_id))


def mark_recurrences(findings, store, previous_round: str | None):
    """``findings`` (``findings.load_findings``) with :data:`MARK_COLUMNS`: the previous round's
    问题编号, completion date and measures of a recurring finding; empty for the others."""
    fixed = fixed_problems(store, previous_round)
    before = [fixed_before(fixed, f.district, f.unit, f.item_id) for f in findings.itertuples(index=False)]
    out = findings.copy()
    out["recurs_from"] = [b.problem_id if b is not None else "" for b in before]
    out["fixed_on"] = [b.completed_on if b is not None else None for b in before]
    out["fixed_measures"] = [b.measures if b is not None else "" for b in before]
    return out


def is_marked(findings):
    """Boolean Series: which rows of a (possibly unmarked) findings frame recur."""
    if "recurs_from" not in findings.columns:
        return findings["item_id"] != findings["item_id"]
    return findings["recurs_from"].fillna("") != ""

"""The order 街镇 are listed in: by 行政区划代码 when the organisation file gave codes, else by name.

A bureau's own lists follow the statistical division codes (夏阳街道 310118001, 盈浦街道 310118002 …);
sorting names by code point puts them in an order nobody uses.  Tables that rank 街镇 by score keep
their ranking; every other list of 街镇 uses :func:`sort_key`.
"""

from __future__ import annotations

from sqlalchemy import select

from toolkit.inspections.store import store as st

NO_CODE = "\uffff"            # 街镇 without a code come after the coded ones, by name


def unit_codes(store) -> dict[tuple[str, str], str]:
    """(区, 街镇) → its 行政区划代码 ('' when none was imported)."""
    engine = st.open_store(store, create=False)
    with engine.connect() as conn:
        return {(r.district, r.name): r.code or "" for r in
                conn.execute(select(st.units.c.district, st.units.c.name, st.units.c.code))}


def sort_key(codes: dict[tuple[str, str], str]):
    """Key for (区, 街镇): by district, then code (街镇 without one last), then name."""
    def key(pair):
        district, unit = pair
        return district, codes.get((district, unit)) or NO_CODE, unit
    return key


def sort_frame(frame, codes: dict[tuple[str, str], str], district: str = "district", unit: str = "unit"):
    """``frame`` with its rows in division-code order of (``district``, ``unit``)."""
    if frame.empty:
        return frame
    keys = [sort_key(codes)((d, u)) for d, u in zip(frame[district], frame[unit])]
    order = sorted(range(len(frame)), key=lambda i: keys[i])
    return frame.iloc[order].reset_index(drop=True)

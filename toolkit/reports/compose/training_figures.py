"""The training figures a report cites for its 宣传与培训 items.

When ``jiuzhu inspect forms --training`` pre-filled a form, the proposed result and the measured
figures behind it were recorded (``training_facts``, table ``training_proposals``); after the
import, :func:`proposal_outcomes` tells whether the inspectors kept (采纳) or changed
(修改) it.  :func:`training_figures` turns that into what a district report shows — per 街镇 the
figures, their source, the proposed and the recorded result — and :func:`district_lines` into
the city summary's one line per district.  Nothing recorded: empty frames, and the reports show
nothing.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from toolkit.inspections.store import store as st

KEPT, CHANGED, NOT_IMPORTED = "采纳", "修改", "未导入"

NOTE = re.compile(r"^【建议值，来源：(?P<source>[^】]*)】(?P<figures>.*?)(?:。请[^。]*)?$", re.S)
COLUMNS = ["区", "街镇", "检查项", "培训数字", "来源", "建议值", "检查组评定", "处理"]
LINE_COLUMNS = ["区", "预填街镇数", KEPT, CHANGED, "来源"]


def split_note(note) -> tuple[str, str]:
    """'【建议值，来源：台账.xlsx】学员 12 人，…。请检查组核实后确认或修改' → ('台账.xlsx', '学员 12 人，…')."""
    text = str(note or "").strip()
    match = NOTE.match(text)
    return (match["source"], match["figures"]) if match else ("", text)


def training_figures(store, round_id: str, district: str | None = None):
    """Per imported proposal (:data:`COLUMNS`): the figures and source, proposed and recorded result."""
    import pandas as pd

    outcomes = proposal_outcomes(store, round_id)
    if district:
        outcomes = outcomes[outcomes["区"] == district]
    rows = []
    for o in outcomes[outcomes["处理"] != NOT_IMPORTED].itertuples(index=False):
        source, figures = split_note(o.来源)
        rows.append([o.区, o.街镇, o.检查项, figures, source, o.建议值, o.导入值, o.处理])
    return pd.DataFrame(rows, columns=COLUMNS)


def district_lines(figures):
    """One row per district (:data:`LINE_COLUMNS`): how many 街镇 had a proposal (TS-24 and TS-25 of one
    街镇 count once), how many proposals were kept and changed."""
    import pandas as pd

    rows = [[district, part["街镇"].nunique(), int((part["处理"] == KEPT).sum()), int((part["处理"] == CHANGED).sum()),
             "、".join(dict.fromkeys(part["来源"]))]
            for district, part in figures.groupby("区", sort=True)]
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def proposal_outcomes(store, round_id: str):
    """Per proposal: 区, 街镇, 检查项, 建议值, 导入值, 处理 (采纳 / 修改 / 未导入), 来源."""
    import pandas as pd

    engine = st.open_store(store, create=False)
    t, r, u = st.training_proposals, st.item_results, st.units
    query = (select(u.c.district, u.c.name, t.c.item_id, t.c.proposed, r.c.value, t.c.source)
             .join(u, u.c.id == t.c.unit_id)
             .outerjoin(r, (r.c.round_id == t.c.round_id) & (r.c.unit_id == t.c.unit_id)
                        & (r.c.checklist_id == t.c.checklist_id) & (r.c.item_id == t.c.item_id))
             .where(t.c.round_id == str(round_id)).order_by(u.c.district, u.c.name, t.c.item_id))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([{"区": d, "街镇": n, "检查项": i, "建议值": p, "导入值": v,
                          "处理": NOT_IMPORTED if v is None else (KEPT if v == p else CHANGED), "来源": s}
                         for d, n, i, p, v, s in rows],
                        columns=["区", "街镇", "检查项", "建议值", "导入值", "处理", "来源"])

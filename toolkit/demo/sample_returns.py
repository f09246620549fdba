"""Sample data: 街镇 filling in their 整改清单 (for ``jiuzhu demo`` and tests).

Seeded and deterministic: most problems fixed on time, some late, some still in progress, a
few not reported at all — the mix a 整改情况通报 has to show.  Writes into the workbook the
report wrote, in the columns the 街镇 fill (``rectification.FILL_COLUMNS``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.inspections.rectification.rectification_returns import HEADER_SCAN_ROWS, ID_COLUMN

SHARES = (("on_time", 0.6), ("late", 0.15), ("doing", 0.15), ("silent", 0.1))
MEASURES = ("对照问题逐份补正档案，修订经办流程并组织学习", "修订相关制度，明确责任人和办理时限", "补齐材料并在系统中更正记录")
EVIDENCE = ("补正后的档案清单、制度文本", "整改会议记录、签到表", "更正记录截图、补正材料复印件")


def fill_sample_returns(path: Path, seed: int, *, today: dt.date) -> dict[str, int]:
    """Fill a 整改清单.xlsx in place; returns how many rows got each outcome."""
    import hashlib

    import numpy as np
    import openpyxl

    from toolkit.inspections.register.tables import parse_date
    from toolkit.policy import add_workdays

    digest = hashlib.sha256(f"{seed}|{Path(path).name}|{Path(path).parent.name}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, HEADER_SCAN_ROWS + 1) if any(c.value == ID_COLUMN for c in ws[r]))
    col = {c.value: c.column for c in ws[header]}
    counts = {name: 0 for name, _ in SHARES}
    for row in range(header + 1, ws.max_row + 1):
        if not ws.cell(row, col[ID_COLUMN]).value:
            continue
        deadline = parse_date(ws.cell(row, col["完成时限"]).value)
        outcome = rng.choice([n for n, _ in SHARES], p=[p for _, p in SHARES])
        counts[str(outcome)] += 1
        pick = int(rng.integers(len(MEASURES)))
        if outcome in ("on_time", "late"):
            when = (add_workdays(deadline, -int(rng.integers(1, 8))).date if outcome == "on_time"
                    else add_workdays(deadline, int(rng.integers(1, 10))).date)
            values = {"整改措施": MEASURES[pick], "完成日期": min(when, today), "佐证材料": EVIDENCE[pick],
                      "完成情况": "已整改"}
        elif outcome == "doing":
            values = {"整改措施": MEASURES[pick], "完成情况": "整改中", "说明": "涉及多份档案，正在逐份补正"}
        else:
            values = {}
        for name, value in values.items():
            ws.cell(row, col[name]).value = value
    wb.save(path)
    return counts

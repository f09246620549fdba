"""Where each problem of a round stands: done, in progress, overdue in working days.

Deadlines are the 完成时限 of the returned 整改清单; a problem whose 街镇 returned nothing gets
the deadline the 整改清单 carried (下发日期 + the severity's working days, ``rectification``).
Working days past a deadline come from ``toolkit.policy.workdays_between`` (the Chinese
calendar with its holidays and 调休 days).  :func:`problem_status` is one row per problem,
:func:`unit_summary` one row per 街镇 with district and city roll-ups.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from toolkit.errors import UserError
from toolkit.inspections.store import store as st
from toolkit.inspections.rectification.rectification_returns import CANNOT, DOING, DONE, NOT_REPORTED, round_problems
from toolkit.inspections.rectification.rectification_labels import RECURRENCE_MARK

ON_TIME, LATE, OVERDUE = "按期整改", "逾期整改", "逾期未完成"
PROBLEM_COLUMNS = ["问题编号", "区", "街镇", "检查项", "问题", "严重程度", "完成时限", "完成情况", "完成日期",
                   "状态", "逾期工作日", "整改措施", "佐证材料", "说明"]
SUMMARY_COLUMNS = ["区", "街镇", "问题数", "已整改", "其中按期", "整改中", "无法整改", "未报送", "逾期未完成",
                   "整改完成率"]
CITY, DISTRICT_TOTAL = "全市", "全区合计"
TEXT = {
    "no_issued": "轮次 {round} 还没有导入任何整改清单，无法确定下发日期和完成时限。"
                 "请先用 jiuzhu inspect rectification import 导入，或用 --issued 给出整改清单的下发日期",
    "no_district": "轮次 {round} 中没有“{district}”的问题。请检查 --district（可用：{known}）",
}


def _issued(conn, round_id: str) -> dt.date | None:
    log = st.rectification_imports
    row = conn.execute(select(log.c.issued_on).where(log.c.round_id == round_id).order_by(log.c.id.desc())).first()
    return row[0] if row else None


def problem_status(store, round_id: str, district: str | None = None, as_of: dt.date | None = None,
                   issued: dt.date | None = None):
    """One row per problem of the round (:data:`PROBLEM_COLUMNS`), worst first."""
    import pandas as pd

    from toolkit.inspections.rectification.rectification import load_deadline_rules
    from toolkit.policy import add_workdays

    engine = st.open_store(store, create=False)
    round_id = str(round_id)
    as_of = as_of or dt.date.today()
    problems = round_problems(engine, round_id)
    if district:
        known = sorted({p.district for p in problems.values()})
        if district not in known:
            raise UserError(TEXT["no_district"].format(round=round_id, district=district, known="、".join(known) or "无"))
        problems = {k: p for k, p in problems.items() if p.district == district}
    t = st.rectification_returns
    with engine.connect() as conn:
        stored = {r.problem_id: r for r in conn.execute(select(t).where(t.c.round_id == round_id))}
        issued = issued or _issued(conn, round_id)
    rules = None
    rows = []
    for pid, p in problems.items():
        r = stored.get(pid)
        if r is not None:
            deadline = r.deadline
        else:
            if issued is None:
                raise UserError(TEXT["no_issued"].format(round=round_id))
            rules = rules or load_deadline_rules()
            deadline = add_workdays(issued, rules[p.severity]).date
        status = (r.status if r is not None else None) or NOT_REPORTED
        rows.append({"问题编号": pid, "区": p.district, "街镇": p.unit, "检查项": p.item_id, "问题": p.text,
                     "严重程度": p.severity, "完成时限": deadline, "完成情况": status,
                     "完成日期": r.completed_on if r is not None else None,
                     **_standing(status, deadline, r.completed_on if r is not None else None, as_of),
                     "整改措施": r.measures if r is not None else "", "佐证材料": r.evidence if r is not None else "",
                     "说明": r.note if r is not None else ""})
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    return frame.sort_values(["逾期工作日", "区", "街镇", "检查项"], ascending=[False, True, True, True],
                             kind="stable").reset_index(drop=True)


def _standing(status: str, deadline: dt.date, completed: dt.date | None, as_of: dt.date) -> dict:
    """状态 and 逾期工作日 (working days after the deadline: up to completion, or up to ``as_of``)."""
    from toolkit.policy import workdays_between

    if status == DONE:
        late = max(workdays_between(deadline, completed).days, 0) if completed else 0
        return {"状态": LATE if late else ON_TIME, "逾期工作日": late}
    late = max(workdays_between(deadline, as_of).days, 0) if as_of > deadline else 0
    if status == CANNOT:
        return {"状态": CANNOT, "逾期工作日": 0}
    if late:
        return {"状态": OVERDUE, "逾期工作日": late}
    return {"状态": DOING if status == DOING else NOT_REPORTED, "逾期工作日": 0}


def _counts(part) -> dict:
    done = int((part["完成情况"] == DONE).sum())
    total = len(part)
    return {"问题数": total, "已整改": done, "其中按期": int((part["状态"] == ON_TIME).sum()),
            "整改中": int((part["完成情况"] == DOING).sum()), "无法整改": int((part["完成情况"] == CANNOT).sum()),
            "未报送": int((part["完成情况"] == NOT_REPORTED).sum()),
            "逾期未完成": int((part["状态"] == OVERDUE).sum()),
            "整改完成率": round(done / total, 4) if total else None}


def unit_summary(problems):
    """Per 街镇, then a 全区合计 row per district, then 全市 (:data:`SUMMARY_COLUMNS`)."""
    import pandas as pd

    rows = []
    for district, dpart in problems.groupby("区", sort=True):
        for unit, upart in dpart.groupby("街镇", sort=True):
            rows.append({"区": district, "街镇": unit or f"{district}（区级）", **_counts(upart)})
        rows.append({"区": district, "街镇": DISTRICT_TOTAL, **_counts(dpart)})
    if problems["区"].nunique() > 1:
        rows.append({"区": CITY, "街镇": "", **_counts(problems)})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def district_summary(summary):
    """The 全区合计 rows only (one per district), for charts and the city table."""
    part = summary[summary["街镇"] == DISTRICT_TOTAL].drop(columns="街镇")
    return part.reset_index(drop=True)


RECURRENCE_COLUMNS = ["问题编号", "区", "街镇", "检查项", "问题", "严重程度", "标记", "上轮问题编号", "上轮完成日期",
                      "上轮整改措施"]


def recurrences(store, round_id: str, previous_round: str, district: str | None = None):
    """Problems of ``round_id`` that ``previous_round`` had too and its 街镇 reported 已整改 (反弹).

    Same 区, 街镇 and checklist item; :data:`RECURRENCE_COLUMNS`, one row per recurring problem.
    """
    import pandas as pd

    from toolkit.inspections.rectification.recurrence import fixed_before, fixed_problems

    fixed = fixed_problems(store, previous_round)
    engine = st.open_store(store, create=False)
    rows = []
    for pid, p in round_problems(engine, str(round_id)).items():
        before = fixed_before(fixed, p.district, p.unit, p.item_id)
        if before is None or (district and p.district != district):
            continue
        rows.append({"问题编号": pid, "区": p.district, "街镇": p.unit, "检查项": p.item_id, "问题": p.text,
                     "严重程度": p.severity, "标记": RECURRENCE_MARK, "上轮问题编号": before.problem_id,
                     "上轮完成日期": before.completed_on, "上轮整改措施": before.measures})
    return pd.DataFrame(rows, columns=RECURRENCE_COLUMNS)

"""Rounds as dated records: kind, scope, inspection period, issue date — and which round a round
is compared with.

A round's inspection period is read from the store (the 检查日期 of every imported form, so an
older store needs no migration); its issue date is the date its reports went out (``rounds.issued_on``,
recorded by ``jiuzhu inspect report``; empty for rounds reported before it existed).  The round a
report compares with — for 反弹 and for trends — is the latest round of the same kind and scope whose
inspection ended before this one's began: by dates, never by the names people give rounds
(``2026-区级督导`` sorts before ``2026-自查``).  ``--previous-round`` overrides, and the report
says which round it compares with and why (:class:`Comparison`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update

from toolkit.errors import UserError
from toolkit.inspections.store import store as st
from toolkit.inspections.store.round_kinds import chinese_date, round_title

TEXT = {
    # sentences of official writing (reports, 通报): round titles and Chinese dates, no option names
    "auto": "与上一轮比较的是{prev}：该次检查与本轮同为{scope}{kind}，于{period}进行，是本轮检查开始（{start}）"
            "之前最近结束的一次（按检查日期确定）。",
    "given": "与上一轮比较的是{prev}（按指定）。",
    "none": "本轮之前没有同为{scope}{kind}并已录入检查结果的检查，本报告不作与上一轮的比较。",
    "no_dates": "本轮尚未录入检查结果，无法按检查日期确定上一轮，本报告不作与上一轮的比较。",
    "unknown": "轮次“{round}”不存在。已有轮次：{known}",
    "early": "{option} {day} 早于本轮检查结束的日期：轮次 {round} 最晚的检查日期是 {last}（{district} {unit}）。"
             "下发日期不能早于检查结束，否则整改期限会早于发现问题。请改为 {last} 或之后的日期",
}
CITY = "全市"


class IssueDateError(UserError):
    """An issue date before the round's inspection ended."""


@dataclass(frozen=True)
class RoundDates:
    round_id: str
    kind: str
    scope: str                      # "" for the city (各区互检), else the district(s) covered
    first: dt.date | None           # first 检查日期 imported
    last: dt.date | None            # last 检查日期 imported
    last_where: tuple[str, str]     # (区, 街镇) inspected on ``last``
    issued: dt.date | None          # issue date of its reports (None: not recorded)

    @property
    def scope_name(self) -> str:
        return self.scope or CITY

    def period(self) -> str:
        if self.first is None:
            return "—"
        return self.first.isoformat() if self.first == self.last else f"{self.first.isoformat()}至{self.last.isoformat()}"

    def period_text(self) -> str:
        """The inspection period in official writing: '2018年12月3日至17日'."""
        first, last = self.first, self.last
        if first == last:
            return chinese_date(first)
        if (first.year, first.month) == (last.year, last.month):
            return f"{chinese_date(first)}至{last.day}日"
        if first.year == last.year:
            return f"{chinese_date(first)}至{last.month}月{last.day}日"
        return f"{chinese_date(first)}至{chinese_date(last)}"


@dataclass(frozen=True)
class Comparison:
    """The round compared with (None: no comparison) and the sentence the report prints."""
    round_id: str | None
    reason: str


def round_dates(store) -> dict[str, RoundDates]:
    """Every round of the store with its kind, scope and dates."""
    engine = st.open_store(store, create=False)
    r, u, units = st.rounds, st.unit_results, st.units
    with engine.connect() as conn:
        spans = {row.round_id: (row.first, row.last) for row in conn.execute(
            select(u.c.round_id, func.min(u.c.inspected_on).label("first"), func.max(u.c.inspected_on).label("last"))
            .group_by(u.c.round_id))}
        where = {}
        for row in conn.execute(select(u.c.round_id, u.c.inspected_on, units.c.district, units.c.name)
                                .join(units, units.c.id == u.c.unit_id)
                                .order_by(u.c.inspected_on, units.c.district, units.c.name)):
            where[row.round_id] = (row.district, row.name)      # the last one inspected wins
        rounds = conn.execute(select(r.c.id, r.c.kind, r.c.scope, r.c.issued_on)).all()
    out = {}
    for row in rounds:
        first, last = spans.get(row.id, (None, None))
        out[row.id] = RoundDates(row.id, row.kind or "各区互检", row.scope or "", _day(first), _day(last),
                                 where.get(row.id, ("", "")), _day(row.issued_on))
    return out


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def previous_round(store, round_id: str) -> str | None:
    """The latest round of the same kind and scope whose inspection ended before ``round_id``'s began."""
    return compare_with(store, round_id).round_id


def compare_with(store, round_id: str, given: str = "") -> Comparison:
    """The round ``round_id`` is compared with, and why (``given``: ``--previous-round``)."""
    if given:
        return Comparison(str(given), TEXT["given"].format(prev=_round_name(str(given))))
    dates = round_dates(store)
    this = dates.get(str(round_id))
    if this is None:
        raise UserError(TEXT["unknown"].format(round=round_id, known="、".join(sorted(dates)) or "无"))
    if this.first is None:
        return Comparison(None, TEXT["no_dates"].format(round=round_id))
    earlier = [d for d in dates.values() if d.round_id != this.round_id and d.kind == this.kind
               and d.scope == this.scope and d.last is not None and d.last < this.first]
    if not earlier:
        return Comparison(None, TEXT["none"].format(round=round_id, scope=this.scope_name, kind=this.kind))
    best = max(earlier, key=lambda d: (d.last, d.first, d.round_id))
    return Comparison(best.round_id, TEXT["auto"].format(
        prev=_round_name(best.round_id), scope=this.scope_name, kind=this.kind,
        period=best.period_text(), start=chinese_date(this.first)))


def _round_name(round_id: str) -> str:
    """A round as official writing names it: '2018年度督导检查', or the round's own name ('2025-区级督导')."""
    title = round_title(round_id)
    return f"{title}督导检查" if title.endswith("年度") else title


def check_issue_date(store, round_id: str, day: dt.date, option: str = "--issue-date") -> None:
    """Refuse an issue date before the round's last 检查日期 (naming that date and its 街镇)."""
    this = round_dates(store).get(str(round_id))
    if this is None or this.last is None or day >= this.last:
        return
    district, unit = this.last_where
    raise IssueDateError(TEXT["early"].format(option=option, day=day.isoformat(), round=round_id,
                                              last=this.last.isoformat(), district=district, unit=unit))


def earliest_issue_date(store, round_id: str) -> dt.date | None:
    """The first working day after the round's inspection ended (None without imported forms)."""
    from toolkit.policy import add_workdays

    this = round_dates(store).get(str(round_id))
    if this is None or this.last is None:
        return None
    return add_workdays(this.last, 1).date


def record_issue_date(store, round_id: str, day: dt.date) -> None:
    """Keep the date a round's reports went out (the round's dated record)."""
    engine = st.open_store(store, create=False)
    with st.write_transaction(engine) as conn:
        conn.execute(update(st.rounds).where(st.rounds.c.id == str(round_id)).values(issued_on=day))


ROUND_COLUMNS = ["轮次", "检查类型", "范围", "检查时间", "下发日期", "比较轮次"]


def round_table(store):
    """Every round in the order of its inspection (rounds without forms last): :data:`ROUND_COLUMNS`."""
    import pandas as pd

    dates = round_dates(store)
    ordered = sorted(dates.values(), key=lambda d: (d.first is None, d.first or dt.date.max, d.round_id))
    rows = [[d.round_id, d.kind, d.scope_name, d.period(), d.issued.isoformat() if d.issued else "—",
             compare_with(store, d.round_id).round_id or "—"] for d in ordered]
    return pd.DataFrame(rows, columns=ROUND_COLUMNS)

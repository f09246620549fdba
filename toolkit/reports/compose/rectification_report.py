"""整改情况通报: the report on a round's rectification, composed into a ``ReportDocument``.

The notebook ``inspections/rectification_report.ipynb`` loads the figures
(``rectification_status``) and calls :func:`rectification_report`.  The body is what an office
sends, a few pages: 一、总体情况; 二、完成情况 (one table: the districts, or one district's
街镇); 三、存在的问题 and 四、下一步要求, each paragraph only when the figures behind it are
there; then 附件说明 and the 落款 (署名, 成文日期 in Chinese, ``signing``).  The long lists
(逾期未完成, 反弹) and the table of 街镇 go to the annex workbook :data:`WORKBOOK`, printed readably
(``toolkit.sheets``); every problem's state goes to the data workbook :data:`DETAILS` (for
filtering and look-ups, not sent with the 通报: a city's every problem would print hundreds of pages).  Problems are counted in 处; a rate is computed from the counts and
rounded once, where it is shown.  The Chinese words are in :data:`TEXT`.
"""

from __future__ import annotations

import datetime as dt

from toolkit.inspections.rectification.rectification_status import (
    CITY, DISTRICT_TOTAL, NOT_REPORTED, OVERDUE, district_summary,
)
from toolkit.reports.compose import report_labels as L
from toolkit.reports.compose.signing import addressees, imprint, signing

TITLE = "社会救助管理服务质量整改情况通报"
WORKBOOK = "整改情况.xlsx"
DETAILS = "各问题整改情况.xlsx"
MAX_NAMED = 5                      # 街镇 named in a sentence before "等"
TEXT = {
    "overall": "一、总体情况",
    "table": "二、完成情况",
    "problems": "三、存在的问题",
    "requirements": "四、下一步要求",
    "subtitle": "（{round}督导检查，统计截至{as_of}）",
    "summary": "{round}社会救助督导检查共发现问题 {total} 处。截至{as_of}，已整改 {done} 处，其中按期完成 {on_time} 处，"
               "整改完成率 {rate}。",
    "open": "尚未完成的 {open} 处中，{parts}。",
    "parts": {"整改中": "整改中 {n} 处", "无法整改": "报告无法整改 {n} 处", "未报送": "未报送整改情况 {n} 处"},
    "all_done": "全部问题均已整改。",
    "table_lead": "{level}整改完成情况见下表（完成率为已整改问题数占问题数的比例）。",
    "caption": "{level}整改完成情况",
    "overdue": "（一）逾期未完成。超过完成时限仍未完成的问题 {n} 处，涉及 {units} 个街镇，{most}；"
               "逾期天数按工作日计算，已扣除法定节假日并计入调休上班日。明细见附件1。",
    "most": "较多的是{names}",
    "missing": "（{no}）未报送整改情况。{names}共 {n} 处问题已过完成时限仍未报送整改情况。",
    "not_yet_due": "另有 {n} 处问题尚未报送整改情况，均未超过完成时限（最早的完成时限为{first}）。",
    # past the deadline day but not yet a whole working day late (a weekend or holiday after it)
    "just_past": "另有 {n} 处问题尚未报送整改情况，其中 {past} 处已过完成时限、逾期尚不足 1 个工作日{rest}。",
    "just_past_rest": "，{n} 处未超过完成时限（最早的完成时限为{first}）",
    "cannot": "（{no}）报告无法整改。{n} 处问题报告无法整改，需区民政部门逐项核实原因。",
    "recurring": "（{no}）问题反弹。与{prev}督导检查相比，{n} 处问题在已报告整改后本轮再次发现（反弹），涉及 {units} 个街镇。"
                 "明细见附件{annex}。",
    "no_recurring": "（{no}）问题反弹。与{prev}督导检查相比，没有发现已报告整改后再次出现的问题。",
    "no_problems": "本轮整改没有逾期未完成、逾期未报送或报告无法整改的问题。",
    "require": {
        "overdue": "逾期未完成的问题，责任单位书面说明原因和完成时间，区民政部门跟踪督办。",
        "missing": "未报送整改情况的街镇，尽快在整改清单中填报并附佐证材料。",
        "cannot": "报告无法整改的问题，区民政部门逐项核实，提出处理意见。",
        "recurring": "反弹问题纳入下一轮督导检查重点，相关街镇查明原因、重新整改，并安排相关人员参加针对性培训。",
        "always": "各街镇巩固整改成果，完善制度和工作流程，防止问题反弹。",
    },
    "annex_overdue": "逾期未完成问题清单",
    "annex_recurring": "反弹问题清单",
    "annex_sheet_note": "（{round}督导检查，统计截至{as_of}）",
    "details": "各问题整改情况",
    "details_note": "全部问题的整改情况，供筛选、查询，不随通报印发；整改措施、佐证材料和说明在屏幕上查看，不打印",
}
NUMBERS = "一二三四五六七八九十"
OVERDUE_COLUMNS = ["序号", "问题编号", "区", "街镇", "问题", "严重程度", "完成时限", "完成情况", "逾期工作日"]
RECURRING_COLUMNS = ["序号", "问题编号", "区", "街镇", "检查项", "问题", "严重程度", "上轮问题编号", "上轮完成日期",
                     "上轮整改措施"]
CODES = ("问题编号", "检查项", "上轮问题编号")       # in the workbook for programs, not printed
# the data workbook: short columns at the width of their values (a header wraps), the dates whole,
# the problem wide; the 街镇's own words (its last columns) shown on screen, not printed: a printed
# row of all thirteen columns would not fit one page across at 9 pt
DETAIL_WIDTHS = {"序号": 6, "区": 9, "街镇": 10, "问题": 50, "严重程度": 6, "完成时限": 15, "完成情况": 10,
                 "完成日期": 15, "状态": 12, "逾期工作日": 7, "整改措施": 30, "佐证材料": 24, "说明": 24}
DETAIL_UNPRINTED = ("整改措施", "佐证材料", "说明")
TABLE_COLUMNS = ["问题数", "已整改", "其中按期", "整改中", "无法整改", "未报送", "逾期未完成"]


def rate_text(done: int, total: int) -> str:
    """'78.9%' from the counts, rounded once; '—' when there is nothing to rate."""
    return f"{100 * done / total:.1f}%" if total else "—"


def _totals(summary) -> dict[str, int]:
    totals = district_summary(summary)
    return {c: int(totals[c].sum()) for c in TABLE_COLUMNS}


def summary_paragraphs(summary, round_id: str, as_of) -> list[str]:
    """一、总体情况: the totals, then what is still open (only the kinds there are)."""
    sums = _totals(summary)
    first = TEXT["summary"].format(round=L.round_title(round_id), total=sums["问题数"], as_of=L.chinese_date(as_of),
                                   done=sums["已整改"], on_time=sums["其中按期"],
                                   rate=rate_text(sums["已整改"], sums["问题数"]))
    parts = [TEXT["parts"][k].format(n=sums[k]) for k in ("整改中", "无法整改", "未报送") if sums[k]]
    if not parts:
        return [first + TEXT["all_done"]] if sums["问题数"] else [first]
    open_ = sums["问题数"] - sums["已整改"]
    return [first + TEXT["open"].format(open=open_, parts="，".join(parts))]


def completion_table(summary, district: str | None):
    """二、完成情况: one row per district (city) or per 街镇 (one district), then the total."""
    import pandas as pd

    if district:
        part = summary[summary["区"] == district]
        names = [DISTRICT_TOTAL if u == DISTRICT_TOTAL else u for u in part["街镇"]]
        first = "街镇"
    else:
        part = summary[(summary["街镇"] == DISTRICT_TOTAL) | (summary["区"] == CITY)]
        names = list(part["区"])
        first = "区"
    table = pd.DataFrame({first: names, **{c: [int(v) for v in part[c]] for c in TABLE_COLUMNS}})
    table["完成率"] = [rate_text(d, t) for d, t in zip(table["已整改"], table["问题数"])]
    return table.reset_index(drop=True)


def _named(counts, total: bool = True) -> str:
    """'星鹭街道（5 处）、杏月街道（3 处）等 7 个街镇' from a Series 街镇 → count (largest first);
    without ``total`` the sentence has said how many 街镇 already: '…（3 处）等'."""
    counts = counts.sort_values(ascending=False, kind="stable")
    shown = "、".join(f"{unit}（{n} 处）" for unit, n in counts.head(MAX_NAMED).items())
    if len(counts) <= MAX_NAMED:
        return shown
    return shown + (f"等 {len(counts)} 个街镇" if total else "等")


def _unit_label(problems):
    return [u or f"{d}（区级）" for d, u in zip(problems["区"], problems["街镇"])]


def problem_paragraphs(problems, recurring, prev_id: str | None, as_of=None) -> tuple[list[str], list[str], list[str]]:
    """三、存在的问题 (paragraphs), the 四、下一步要求 they call for, and the annex titles
    (``as_of``: the day the figures are counted to, for problems not reported yet)."""
    import pandas as pd

    paragraphs, needs, annexes = [], [], []
    labelled = problems.assign(单位=_unit_label(problems))
    overdue = labelled[labelled["状态"] == OVERDUE]
    if len(overdue):
        counts = overdue.groupby("单位").size()
        paragraphs.append(TEXT["overdue"].format(n=len(overdue), units=len(counts),
                                                 most=TEXT["most"].format(names=_named(counts, total=False))))
        needs.append("overdue")
        annexes.append(TEXT["annex_overdue"])
    unreported = labelled["完成情况"] == NOT_REPORTED
    missing = labelled[unreported & (labelled["状态"] == OVERDUE)]     # before its deadline it is no problem
    if len(missing):
        counts = missing.groupby("单位").size()
        paragraphs.append(TEXT["missing"].format(no="", names=_named(counts), n=len(missing)))
        needs.append("missing")
    cannot = labelled[labelled["完成情况"] == "无法整改"]
    if len(cannot):
        paragraphs.append(TEXT["cannot"].format(no="", n=len(cannot)))
        needs.append("cannot")
    if prev_id is not None:
        prev = L.round_title(prev_id)
        if recurring is not None and len(recurring):
            annexes.append(TEXT["annex_recurring"])
            units = pd.Series(list(zip(recurring["区"], recurring["街镇"]))).nunique()
            paragraphs.append(TEXT["recurring"].format(no="", prev=prev, n=len(recurring), units=units,
                                                       annex=len(annexes)))
            needs.append("recurring")
        else:
            paragraphs.append(TEXT["no_recurring"].format(no="", prev=prev))
    paragraphs = [_numbered(p, n) for n, p in enumerate(paragraphs)] or [TEXT["no_problems"]]
    pending = labelled[unreported & (labelled["状态"] != OVERDUE)]
    if len(pending):
        paragraphs.append(_pending_sentence(pending["完成时限"], as_of))
    if len(annexes) == 1:                       # a single annex has no number (GB/T 9704 7.3.4)
        paragraphs = [p.replace("附件1", "附件") for p in paragraphs]
    return paragraphs, needs, annexes


def _pending_sentence(deadlines, as_of) -> str:
    """Problems not reported and not (yet) overdue: before their deadline, or past it by less than
    a working day (逾期 counts whole working days, so a weekend after the deadline is not yet 逾期)."""
    days = [d.date() if isinstance(d, dt.datetime) else d for d in deadlines]   # a Timestamp is a datetime
    past = [d for d in days if as_of is not None and d < as_of]
    due = [d for d in days if as_of is None or d >= as_of]
    if not past:
        return TEXT["not_yet_due"].format(n=len(due), first=L.chinese_date(min(due)))
    rest = TEXT["just_past_rest"].format(n=len(due), first=L.chinese_date(min(due))) if due else ""
    return TEXT["just_past"].format(n=len(days), past=len(past), rest=rest)


def _numbered(paragraph: str, n: int) -> str:
    """'（一）…' in order of appearance (the templates carry '（）' or '（一）')."""
    head = f"（{NUMBERS[n]}）"
    if paragraph.startswith("（）"):
        return head + paragraph[2:]
    if paragraph.startswith("（一）"):
        return head + paragraph[3:]
    return paragraph


def _annex_sheet(frame, columns: list[str]):
    shown = frame.reset_index(drop=True).copy()
    shown.insert(0, "序号", range(1, len(shown) + 1))
    return shown[[c for c in columns if c in shown.columns]]


def rectification_report(doc, problems, summary, recurring, *, round_id: str, as_of, prev_id: str | None,
                         district: str | None = None, prev_note: str = "", signer: str = "", dispatch=None) -> None:
    """The 通报's body, 附件说明 and 落款, the annex workbook :data:`WORKBOOK` and the data workbook
    :data:`DETAILS`.

    ``prev_note``: which round the 反弹 are counted against, and why (``round_dates.compare_with``);
    ``signer``: the issuing office (``offices.rectification_signer``), signing with the 成文日期 ``as_of``;
    ``dispatch``: its 主送机关 and 版记 (``offices.dispatch``), each printed when set."""
    level = "各街镇" if district else "各区"
    addressees(doc, dispatch)
    doc.heading(TEXT["overall"])
    for text in summary_paragraphs(summary, round_id, as_of):
        doc.paragraph(text)
    doc.heading(TEXT["table"])
    doc.paragraph(TEXT["table_lead"].format(level=level), keep_with_next=True)
    doc.table(completion_table(summary, district), caption=TEXT["caption"].format(level=level))
    doc.heading(TEXT["problems"])
    paragraphs, needs, annexes = problem_paragraphs(problems, recurring, prev_id, as_of)
    if prev_id is not None and prev_note:
        doc.paragraph(prev_note)
    for text in paragraphs:
        doc.paragraph(text)
    doc.heading(TEXT["requirements"])
    keys = [*needs, "always"]
    for n, key in enumerate(keys):       # the last stays on the page of the 附件说明 and 落款
        doc.paragraph(f"（{NUMBERS[n]}）{TEXT['require'][key]}", keep_with_next=n == len(keys) - 1)
    if annexes:
        doc.annex_note(annexes)
    doc.signature(signing(district, as_of, signer or None).lines())
    imprint(doc, dispatch, as_of)
    _annex_workbook(doc, problems, summary, recurring, round_id=round_id, as_of=as_of)


def _annex_workbook(doc, problems, summary, recurring, *, round_id: str, as_of) -> None:
    note = TEXT["annex_sheet_note"].format(round=L.round_title(round_id), as_of=L.chinese_date(as_of))
    overdue = problems[problems["状态"] == OVERDUE]
    lists = [(TEXT["annex_overdue"], _annex_sheet(overdue, OVERDUE_COLUMNS), "，按逾期工作日从多到少排列")] \
        if len(overdue) else []
    if recurring is not None and len(recurring):
        lists.append((TEXT["annex_recurring"], _annex_sheet(recurring, RECURRING_COLUMNS), ""))
    for number, (title, frame, order) in enumerate(lists, start=1):
        label = f"附件{number}" if len(lists) > 1 else "附件"
        doc.sheet(WORKBOOK, title, frame, hidden=CODES, lines=[f"{label}　{title}", note + order])
    shown = summary.copy()
    shown["整改完成率"] = [rate_text(d, t) for d, t in zip(shown["已整改"], shown["问题数"])]
    doc.sheet(WORKBOOK, "各街镇整改情况", shown, lines=["各街镇整改情况", note])
    doc.sheet(DETAILS, TEXT["details"], _annex_sheet(problems, ["序号", *problems.columns]), hidden=CODES,
              lines=[TEXT["details"], note, TEXT["details_note"]], widths=DETAIL_WIDTHS, unprinted=DETAIL_UNPRINTED)

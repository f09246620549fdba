"""整改情况通报: the report on a round's rectification, composed into a ``ReportDocument``.

The notebook ``inspections/rectification_report.ipynb`` loads the figures
(``rectification_status``) and calls :func:`rectification_report`; the Chinese words are in
:data:`TEXT` and the headings follow the other supervision reports (一、二、三…).
"""

from __future__ import annotations

from toolkit.inspections.rectification.rectification_status import DISTRICT_TOTAL, OVERDUE, district_summary

TITLE = "社会救助管理服务质量整改情况通报"
WORKBOOK = "整改情况.xlsx"
TEXT = {
    "overall": "一、整改总体情况",
    "units": "二、各街镇整改情况",
    "overdue": "三、逾期未完成的问题",
    "recurring": "四、问题反弹情况",
    "requirements": "五、下一步要求",
    "summary": "轮次 {round} 督导检查共发现问题 {total} 处。截至 {as_of}，已整改 {done} 处（其中按期完成 {on_time} 处），"
               "整改中 {doing} 处，无法整改 {cannot} 处，未报送整改情况 {missing} 处；整改完成率 {rate}。"
               "超过完成时限仍未完成的 {overdue} 处（逾期天数按工作日计算，已扣除法定节假日并计入调休上班日）。",
    "no_overdue": "截至 {as_of}，没有超过完成时限仍未完成的问题。",
    "overdue_lead": "以下问题已超过完成时限仍未完成整改，按逾期工作日从多到少排列：",
    "recurring_lead": "以下问题在轮次 {prev} 中已报告“已整改”，本轮检查再次发现，标记为“反弹”，"
                      "请相关街镇查明原因、重新整改并从制度上堵塞漏洞：",
    "no_recurring": "与轮次 {prev} 相比，没有发现已报告整改后再次出现的问题。",
    "no_previous": "没有可比较的上一轮次，本通报不作反弹比较。",
    "requirements_list": [
        "（一）逾期未完成的问题，责任单位书面说明原因和完成时间，区民政部门跟踪督办。",
        "（二）未报送整改情况的街镇，请尽快在整改清单中填报并附佐证材料。",
        "（三）标记为“反弹”的问题，纳入下一轮督导检查重点，并安排相关人员参加针对性培训。",
    ],
    "chart_title": "各{level}整改完成率",
    "chart_axis": "整改完成率",
}
OVERDUE_COLUMNS = ["问题编号", "区", "街镇", "问题", "严重程度", "完成时限", "完成情况", "逾期工作日"]


def _rate(value) -> str:
    return "—" if value is None else f"{value:.1%}"


def summary_sentence(summary, round_id: str, as_of) -> str:
    totals = district_summary(summary)
    sums = {c: int(totals[c].sum()) for c in ("问题数", "已整改", "其中按期", "整改中", "无法整改", "未报送", "逾期未完成")}
    rate = sums["已整改"] / sums["问题数"] if sums["问题数"] else None
    return TEXT["summary"].format(round=round_id, total=sums["问题数"], as_of=as_of.isoformat(), done=sums["已整改"],
                                  on_time=sums["其中按期"], doing=sums["整改中"], cannot=sums["无法整改"],
                                  missing=sums["未报送"], rate=_rate(rate), overdue=sums["逾期未完成"])


def completion_chart(summary, district: str | None = None):
    """Bar chart of the completion rate per district (city report) or per 街镇 (one district)."""
    from matplotlib.figure import Figure

    if district:
        part = summary[(summary["区"] == district) & (summary["街镇"] != DISTRICT_TOTAL)]
        labels, level = list(part["街镇"]), "街镇"
    else:
        part = district_summary(summary)
        labels, level = list(part["区"]), "区"
    rates = [0.0 if v is None else float(v) for v in part["整改完成率"]]
    fig = Figure(figsize=(max(5.0, 0.9 * len(labels) + 2), 3.6), dpi=100)
    ax = fig.add_subplot()
    ax.bar(labels, rates, color="#4a78a8")
    for x, v in zip(labels, rates):
        ax.text(x, v, f"{v:.0%}", ha="center", va="bottom")
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(TEXT["chart_axis"])
    ax.set_title(TEXT["chart_title"].format(level=level))
    fig.tight_layout()
    return fig


def _shown(frame):
    out = frame.copy()
    out["整改完成率"] = [_rate(v) for v in out["整改完成率"]]
    return out


def rectification_report(doc, problems, summary, recurring, *, round_id: str, as_of, prev_id: str | None,
                         district: str | None = None) -> None:
    """Sections 一 to 五 of the 整改情况通报, and the workbook 整改情况.xlsx (all problems)."""
    doc.heading(TEXT["overall"])
    doc.paragraph(summary_sentence(summary, round_id, as_of))
    if not district:
        doc.table(_shown(district_summary(summary)), caption="各区整改情况")
    doc.figure(completion_chart(summary, district), caption=TEXT["chart_title"].format(level="街镇" if district else "区"))
    doc.heading(TEXT["units"])
    doc.table(_shown(summary), caption="各街镇整改情况（含全区合计）")
    doc.heading(TEXT["overdue"])
    overdue = problems[problems["状态"] == OVERDUE][OVERDUE_COLUMNS]
    if len(overdue):
        doc.paragraph(TEXT["overdue_lead"])
        doc.table(overdue.reset_index(drop=True), caption="逾期未完成问题清单")
    else:
        doc.paragraph(TEXT["no_overdue"].format(as_of=as_of.isoformat()))
    doc.heading(TEXT["recurring"])
    if prev_id is None:
        doc.paragraph(TEXT["no_previous"])
    elif len(recurring):
        doc.paragraph(TEXT["recurring_lead"].format(prev=prev_id))
        doc.table(recurring[["标记", "区", "街镇", "问题", "上轮问题编号", "上轮完成日期"]].reset_index(drop=True),
                  caption="反弹问题清单")
    else:
        doc.paragraph(TEXT["no_recurring"].format(prev=prev_id))
    doc.heading(TEXT["requirements"])
    for line in TEXT["requirements_list"]:
        doc.paragraph(line)
    doc.sheet(WORKBOOK, "各街镇整改情况", _shown(summary), lines=[f"各街镇整改情况（{round_id}，截至 {as_of.isoformat()}）"])
    doc.sheet(WORKBOOK, "各问题整改情况", problems, lines=[f"各问题整改情况（{round_id}，截至 {as_of.isoformat()}）"])
    if prev_id is not None and len(recurring):
        doc.sheet(WORKBOOK, "反弹问题", recurring, lines=[f"反弹问题（{round_id} 与 {prev_id} 比较）"])

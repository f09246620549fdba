"""Text views of a checklist for the terminal."""

from __future__ import annotations

from toolkit.checklists.model import Checklist, Item
from toolkit.checklists.text_table import format_table

SCORING_LABELS = {"yes_no": "是/否", "levels": "分档", "proportion": "比例"}


def _condition_text(item: Item) -> str:
    return "；".join(f"{fact}={'/'.join(str(v) for v in values)}" for fact, values in item.applies_when.items())


def checklist_table(checklist: Checklist) -> str:
    rows = []
    for item in checklist.items:
        scoring = SCORING_LABELS[item.scoring]
        if item.levels:
            scoring += "（" + "、".join(f"{lv.label}{lv.points:g}" for lv in item.levels) + "）"
        rows.append([item.section, item.id, item.text, item.method, scoring, f"{item.points:g}",
                     item.severity, item.basis, _condition_text(item)])
    head = (f"{checklist.title}（{checklist.id}，版本 {checklist.version_hash}）\n"
            f"总分 {checklist.total_points:g}；等次："
            + "、".join(f"{b.grade} ≥{b.min_pct:g}%" for b in checklist.grade_bands) + "\n")
    return head + format_table(["部分", "编号", "检查内容", "方法", "评分方式", "分值", "严重程度", "依据", "适用条件"],
                               rows, max_width=36)

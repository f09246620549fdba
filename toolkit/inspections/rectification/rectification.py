"""整改清单: one row per finding with a deadline in working days on the Chinese calendar.

Each row has a stable 问题编号 (round, district, 街镇 and item: the same finding gets the same
number in every rerun, so rectification can be tracked against it) and columns the 街镇 fill
in (:data:`FILL_COLUMNS`: 整改措施, 完成日期, 佐证材料, 完成情况 from a list, 说明).

The number of working days per severity is a supervision setting (``report_settings.yaml``
beside this module, or a report parameter), not a policy fact.  Deadlines come from
``toolkit.policy.add_workdays``; a deadline beyond the official holiday calendar is flagged as
unconfirmed rather than presented as certain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.errors import InputError
from toolkit.inspections.rectification import rectification_labels as L
from toolkit.inspections.store.round_kinds import chinese_date

SETTINGS_FILE = Path(__file__).with_name("report_settings.yaml")
SEVERITY_ORDER = ("严重", "一般", "轻微")

FILL_COLUMNS = ["整改措施", "完成日期", "佐证材料", "完成情况", "说明"]
STATUS_CHOICES = ("已整改", "整改中", "无法整改")
COLUMNS = ["序号", "问题编号", "问题", "涉及档案编号", "区", "街镇", "检查项", "依据", "严重程度", L.RECURRENCE_COLUMN,
           "责任单位",
           "整改期限（工作日）", "完成时限", "日期已按法定节假日核定"] + FILL_COLUMNS
UNCONFIRMED = "否：超出已公布的节假日安排，按周一至周五推算，请届时核对"
FILL_PROMPTS = {
    "整改措施": "填写针对该问题采取的整改措施",
    "完成日期": "整改完成的日期，例如 2020-01-15",
    "佐证材料": "列出可证明整改到位的材料名称（如制度文本、补齐的档案编号、照片）",
    "完成情况": "请选择：已整改 / 整改中 / 无法整改",
    "说明": "整改中或无法整改的，说明原因和下一步安排",
}


def fill_inputs() -> dict[str, dict]:
    """The 街镇's columns: prompt, allowed values, date (``ReportDocument.sheet(inputs=…)``)."""
    return {name: {"prompt": FILL_PROMPTS[name],
                   "choices": STATUS_CHOICES if name == "完成情况" else (),
                   "date": name == "完成日期"} for name in FILL_COLUMNS}


def problem_id(round_id: str, district: str, unit: str, item_id: str) -> str:
    """Stable number of a finding: '2019-TS-03-5F3A09C1' (same inputs, same number)."""
    import hashlib

    digest = hashlib.sha256(f"{round_id}|{district}|{unit}|{item_id}".encode("utf-8")).hexdigest()[:8]
    return f"{round_id}-{item_id}-{digest.upper()}"


def load_deadline_rules(overrides: dict | None = None, settings: Path | None = None) -> dict[str, int]:
    """Working days per severity: ``settings`` YAML (default: the packaged one), then overrides."""
    import yaml

    path = Path(settings) if settings else SETTINGS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as err:
        raise InputError(str(path), str(path), "无法读取", "请检查督导报告设置文件路径") from err
    rules = dict(data.get("rectification_workdays") or {})
    rules.update(overrides or {})
    for severity, days in rules.items():
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise InputError(f"{path} 中 rectification_workdays.{severity}", days,
                             "不是正整数", "请填写整改期限的工作日数，如 10")
    return {str(k): int(v) for k, v in rules.items()}


def describe_rules(rules: dict[str, int]) -> str:
    """'严重问题 10 个工作日，一般问题 20 个工作日，轻微问题 30 个工作日' (printed in reports)."""
    ordered = sorted(rules, key=lambda s: SEVERITY_ORDER.index(s) if s in SEVERITY_ORDER else 99)
    return "，".join(f"{s}问题 {rules[s]} 个工作日" for s in ordered)


def responsible_unit(district: str, unit: str) -> str:
    """The inspected 街镇 answers for its own findings; district-level findings go to the district."""
    unit = str(unit or "").strip()
    return unit if unit else f"{district}民政部门"


def build_rectification(findings, issue_date: dt.date, rules: dict[str, int], round_id: str = ""):
    """Findings → 整改清单 DataFrame with working-day deadlines and the columns to fill in.

    ``findings``: ``toolkit.inspections.rectification.findings.load_findings`` (problems worded as findings,
    with case-file numbers) or the scores API's ``findings`` frame (the item text).
    Sorted by district and 街镇, then severity (严重 first); 序号 counts within each 街镇, so a
    person can say "星鹭街道第 3 项" (the 问题编号 is the stable code programs read back).
    An unknown severity is an error naming the item, never a guessed deadline.
    """
    import pandas as pd

    from toolkit.policy import add_workdays

    rows = []
    for f in findings.itertuples(index=False):
        if f.severity not in rules:
            raise InputError(f"检查项 {f.item_id} 的严重程度", f.severity, "没有设置整改期限",
                             f"请在 {SETTINGS_FILE.name} 的 rectification_workdays 中为它设置工作日数")
        days = rules[f.severity]
        due = add_workdays(issue_date, days)
        rows.append({
            "问题编号": problem_id(round_id, f.district, f.unit or "", f.item_id),
            "问题": _problem_text(f), "涉及档案编号": "、".join(getattr(f, "case_ids", None) or []),
            "区": f.district, "街镇": f.unit or "", "检查项": f.item_id,
            "依据": f.basis, "严重程度": f.severity, L.RECURRENCE_COLUMN: _mark(f), "责任单位": responsible_unit(f.district, f.unit),
            "整改期限（工作日）": days, "完成时限": due.date,
            "日期已按法定节假日核定": "是" if due.confirmed else UNCONFIRMED,
            **{name: None for name in FILL_COLUMNS},
            "_order": SEVERITY_ORDER.index(f.severity) if f.severity in SEVERITY_ORDER else 99,
        })
    frame = pd.DataFrame(rows, columns=COLUMNS[1:] + ["_order"])
    frame = frame.sort_values(["区", "街镇", "_order", "检查项"], kind="stable").drop(columns="_order")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "序号", frame.groupby(["区", "街镇"], sort=False).cumcount() + 1)
    return frame


# The printed 整改清单: what a 街镇 reads and fills.  The codes programs read back (问题编号,
# 检查项) and what is folded into the 问题 cell stay in the file, hidden.
ALWAYS_HIDDEN = ("问题编号", "涉及档案编号", "检查项", "依据", "责任单位", "整改期限（工作日）")
# the dates whole (narrower, they print as ###); the fill-in columns narrow, the rows being as tall as
# their problem: the width goes to the problem, which sets how many lines a row takes
SHEET_WIDTHS = {"序号": 5, "区": 8, "街镇": 10, "问题": 40, "严重程度": 6, L.RECURRENCE_COLUMN: 6, "完成时限": 15,
                "整改措施": 14, "完成日期": 15, "佐证材料": 12, "完成情况": 9, "说明": 10,
                "日期已按法定节假日核定": 14}


# the list of several districts (the city's, an annex of its summary) is an overview to read: each
# 街镇 fills its own list, so the fill-in columns are hidden, and 依据 stands in a column of its own
OVERVIEW_WIDTHS = {"问题": 56, "依据": 34}


def fill_sheet(plan) -> dict:
    """``ReportDocument.sheet`` arguments for the 整改清单 a 街镇 prints and fills: the problem
    cell carries its case files and its basis, columns that say nothing here (one district, no
    反弹, every date confirmed) and the codes are hidden, the fill-in columns are unlocked.  A list
    of several districts (the city's) is read, not filled (:data:`OVERVIEW_WIDTHS`)."""
    frame = plan.copy()
    overview = frame["区"].nunique() > 1
    frame["问题"] = [_problem_cell(r, basis=not overview) for r in frame.to_dict("records")]
    hidden = list(ALWAYS_HIDDEN)
    if overview:
        hidden = [c for c in hidden if c != "依据"] + FILL_COLUMNS
    else:
        hidden.append("区")
    if not frame[L.RECURRENCE_COLUMN].astype(bool).any():
        hidden.append(L.RECURRENCE_COLUMN)
    if (frame["日期已按法定节假日核定"] == "是").all():
        hidden.append("日期已按法定节假日核定")
    widths = {**SHEET_WIDTHS, **OVERVIEW_WIDTHS} if overview else SHEET_WIDTHS
    return {"frame": frame, "inputs": fill_inputs(), "hidden": tuple(hidden), "widths": widths}


def _problem_cell(row: dict, basis: bool = True) -> str:
    parts = [str(row.get("问题") or "")]
    cases = row.get("涉及档案编号")
    if cases:
        parts.append(f"涉及档案：{cases}")
    if basis and row.get("依据"):
        parts.append(f"依据：{row['依据']}")
    return "\n".join(parts)


def _problem_text(f) -> str:
    """The finding with the recorded result ('…（评定为“未开展”）'), the inspectors' remark and, for
    a 反弹, the previous round's problem it repeats."""
    text = str(getattr(f, "finding", None) or f.item_text)
    result = getattr(f, "result", "")
    if getattr(f, "kind", "") == "unit" and result and result != "否":
        text += f"（{result}）"
    if isinstance(f.remarks, str) and f.remarks.strip():
        text += f"。检查组备注：{f.remarks.strip()}"
    if _mark(f):
        day = f"{chinese_date(f.fixed_on)}完成" if hasattr(f.fixed_on, "isoformat") else "完成日期不详"
        text += "。" + L.RECURRENCE["previous"].format(day=day)
    return text


def _mark(f) -> str:
    """'反弹' for a finding ``recurrence.mark_recurrences`` marked, else ''."""
    return L.RECURRENCE_MARK if getattr(f, "recurs_from", "") else ""


def summarize(plan):
    """Problems per severity with their working-day limit and latest deadline (for the report text)."""
    import pandas as pd

    rows = []
    for severity, part in plan.groupby("严重程度", sort=False):
        rows.append({"严重程度": severity, "问题数": len(part),
                     "整改期限（工作日）": int(part["整改期限（工作日）"].iloc[0]),
                     "完成时限": max(part["完成时限"])})
    return pd.DataFrame(rows, columns=["严重程度", "问题数", "整改期限（工作日）", "完成时限"])

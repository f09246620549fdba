"""整改清单: one row per finding with a deadline in working days on the Chinese calendar.

The number of working days per severity is a supervision setting (``report_settings.yaml``
beside this module, or a report parameter), not a policy fact.  Deadlines come from
``toolkit.policy.add_workdays``; a deadline beyond the official holiday calendar is flagged as
unconfirmed rather than presented as certain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.errors import InputError

SETTINGS_FILE = Path(__file__).with_name("report_settings.yaml")
SEVERITY_ORDER = ("严重", "一般", "轻微")

COLUMNS = ["序号", "问题", "区", "街镇", "检查项", "依据", "严重程度", "责任单位",
           "整改期限（工作日）", "整改截止日期", "日期已按法定节假日核定"]
UNCONFIRMED = "否：超出已公布的节假日安排，按周一至周五推算，请届时核对"


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


def build_rectification(findings, issue_date: dt.date, rules: dict[str, int]):
    """Findings (scores API ``findings`` frame) → 整改清单 DataFrame with working-day deadlines.

    Sorted by severity (严重 first), then district and 街镇.  An unknown severity is an error
    naming the item, never a guessed deadline.
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
        problem = str(f.item_text)
        if isinstance(f.remarks, str) and f.remarks.strip():
            problem += f"（{f.remarks.strip()}）"
        rows.append({
            "问题": problem, "区": f.district, "街镇": f.unit or "", "检查项": f.item_id,
            "依据": f.basis, "严重程度": f.severity, "责任单位": responsible_unit(f.district, f.unit),
            "整改期限（工作日）": days, "整改截止日期": due.date,
            "日期已按法定节假日核定": "是" if due.confirmed else UNCONFIRMED,
            "_order": SEVERITY_ORDER.index(f.severity) if f.severity in SEVERITY_ORDER else 99,
        })
    frame = pd.DataFrame(rows, columns=COLUMNS[1:] + ["_order"])
    frame = frame.sort_values(["_order", "区", "街镇", "检查项"], kind="stable").drop(columns="_order")
    frame.insert(0, "序号", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)


def summarize(plan):
    """Problems per severity with their working-day limit and latest deadline (for the report text)."""
    import pandas as pd

    rows = []
    for severity, part in plan.groupby("严重程度", sort=False):
        rows.append({"严重程度": severity, "问题数": len(part),
                     "整改期限（工作日）": int(part["整改期限（工作日）"].iloc[0]),
                     "整改截止日期": max(part["整改截止日期"])})
    return pd.DataFrame(rows, columns=["严重程度", "问题数", "整改期限（工作日）", "整改截止日期"])

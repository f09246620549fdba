"""The training ledger workbook 培训台账.xlsx: evidence of who was trained, plus the statistics.

Sheet 培训台账 is the evidence inspectors ask for: one row per trainee and assignment with 学员编号,
masked name, 街镇, 村居, training content, submission time, score and pass.  Names are masked
(张*) in every output; the 学员编号 identifies the person in the trainer's roster, which keeps the
full name (see README: 培训台账与隐私).  Further sheets hold the per-town, per-village,
per-question and per-rule tables, the lists of who has not submitted or passed, and the charts.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from toolkit import SAMPLE_MARK
from toolkit.training.analytics.analytics import TrainingStats
from toolkit.cells import safe_cell
from toolkit.files import save_workbook
from toolkit.training.course.roster import shown_student_id

PERCENT_COLUMNS = {"得分率", "完成率", "通过率", "答错比例"}
WIDTHS = {"学员编号": 12, "姓名": 8, "街镇": 12, "村居": 14, "岗位": 14, "培训对象": 12, "练习": 16, "培训内容": 26, "提交时间": 19,
          "题目": 44, "依据": 48, "规则": 24, "规则名称": 26, "涉及题目": 30, "备注": 22}


def write_ledger(stats: TrainingStats, path: Path, charts: list[Path] = ()) -> Path:
    """Write the workbook atomically (temporary file, then rename) and return its path."""
    stats = with_shown_ids(stats)
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    mark = f"（{SAMPLE_MARK}）" if stats.sample else ""
    at = stats.generated_at
    stamp = (f"生成时间：{at.year}年{at.month}月{at.day}日 {at:%H:%M}　通过线：得分率 ≥ {stats.pass_rate:.0%}"
             f"　姓名已脱敏，凭学员编号对应花名册")
    sheets = [
        ("培训台账", f"培训台账{mark}", stats.ledger.drop(columns=["练习"])),
        ("街镇统计", f"各街镇完成率与通过率{mark}", stats.towns),
        ("村居统计", f"各村居完成率与通过率{mark}", stats.villages),
        ("题目答错比例", f"各题答错比例{mark}", chinese_rules(stats.questions).drop(columns=["练习"], errors="ignore")),   # ids not printed
        ("规则答错比例", f"各规则答错比例（从高到低）{mark}", chinese_rules(stats.rules)),
        ("未提交名单", f"未提交名单{mark}", stats.not_submitted),
        ("未通过名单", f"未通过名单{mark}", stats.not_passed),
    ]
    for name, title, frame in sheets:
        _add_table(workbook, name, title, stamp, frame)
    if charts:
        _add_charts(workbook, f"图表{mark}", charts)
    return save_workbook(workbook, Path(path))


def chinese_rules(frame: pd.DataFrame) -> pd.DataFrame:
    """The 规则 column in Chinese: the rule's title from the catalogue (``toolkit.cases.rules``),
    never its English id (income_excluded); a 规则名称 column already there takes its place."""
    from toolkit.cases.rules import rule_title

    if "规则" not in frame.columns:
        return frame
    if "规则名称" in frame.columns:
        return frame.drop(columns="规则").rename(columns={"规则名称": "规则"})
    shown = frame.copy()
    shown["规则"] = [rule_title(r) or ("（未标注）" if r == "（未标注）" else "（未命名规则）") for r in frame["规则"]]
    return shown


def _add_table(workbook, name: str, title: str, stamp: str, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([stamp])
    sheet["A2"].font = Font(color="666666", size=10)   # ≥ 9 pt on paper at the zoom the table needs
    header_row = 3
    sheet.append(list(frame.columns))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for record in frame.itertuples(index=False):
        sheet.append([_plain(v) if column != "提交时间" else _time(v) for column, v in zip(frame.columns, record)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.alignment = wrap
            elif hasattr(cell.value, "hour"):
                cell.number_format = TIME_FORMAT
    if frame.empty:
        sheet.append(["（无）"])
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 11)
        if column in PERCENT_COLUMNS:
            for cell in sheet[letter][header_row:]:
                cell.number_format = "0.0%"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if not frame.empty:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(frame.columns))}{sheet.max_row}"
    sheet.print_title_rows = f"{header_row}:{header_row}"  # page set-up: toolkit.sheets, on save


TIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'


def _time(value):
    """提交时间 ('2019-04-19 10:23', Beijing time) as a date-time cell that prints in Chinese."""
    from datetime import datetime

    if not value:
        return None
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M")
    except ValueError:
        return _plain(value)


def _plain(value):
    """A cell value: numpy scalars as Python numbers, text never a formula (:func:`safe_cell`)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):          # numpy scalars → Python numbers
        return value.item()
    return safe_cell(value)


def _add_charts(workbook, title: str, charts: list[Path]) -> None:
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    sheet = workbook.create_sheet("图表")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    row = 3
    for chart in charts:
        image = Image(str(chart))
        image.width, image.height = image.width * 0.6, image.height * 0.6
        sheet.add_image(image, f"A{row}")
        row += int(image.height / 20) + 3


def with_shown_ids(stats: TrainingStats) -> TrainingStats:
    """``stats`` with every 学员编号 as shown (:func:`toolkit.training.course.roster.shown_student_id`):
    a submission folder not on the roster may be named after the person (张三, a phone number)."""
    def shown(frame: pd.DataFrame) -> pd.DataFrame:
        if "学员编号" not in frame.columns:
            return frame
        return frame.assign(学员编号=[shown_student_id(v) if isinstance(v, str) else v for v in frame["学员编号"]])

    return replace(stats, ledger=shown(stats.ledger), not_submitted=shown(stats.not_submitted),
                   not_passed=shown(stats.not_passed))

"""``jiuzhu org template``: the two Excel templates a bureau fills in (organisation, register).

Each has a 填写说明 sheet, a comment on every header and data validation (drop-down lists for
类型 and 状态, a whole number for 家庭人数) on the data sheet.  Columns come from the one
catalogue in :mod:`toolkit.inspections.register.register_labels`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.cells import safe_row
from toolkit.files import save_workbook
from toolkit.inspections.register.register_labels import (
    INSTRUCTIONS_SHEET, ORG_COLUMNS, ORG_FILE, ORG_WHAT, REGISTER_COLUMNS, REGISTER_FILE, REGISTER_WHAT,
    STATUSES, UNIT_TYPES, alias_help,
)
from toolkit.errors import UserError

VALIDATED_ROWS = 100_000
INTRO = {
    ORG_WHAT: ["区街镇名册：每行一个街道或镇。", "先导入本名册（jiuzhu org import 区街镇名册.xlsx --store 数据库），"
               "再导入低保档案名册。", "重新导入时：新增的街镇加入，已有街镇的类型和代码按本表更新，本表未列出的街镇保留。"],
    REGISTER_WHAT: ["低保档案名册：每行一户低保家庭（或一份申请）。", "导入：jiuzhu register import 低保档案名册.xlsx --store 数据库",
                    "任何一处有误则整份不导入，错误清单逐条列出行、列、取值和处理办法。",
                    "重新导入时：新档案加入，已有档案（按档案编号）更新变化的字段，本表未列出的档案保留；每处变化记入导入记录。",
                    "户主姓名、身份证号、联系电话为个人信息：入库保存，任何显示和报告中均遮挡。",
                    "也可以另存为 CSV（UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK 均可）后导入。"],
}


def _sheet(wb: Workbook, what: str, columns, lists: dict[str, tuple[str, ...]]) -> None:
    ws = wb.active
    ws.title = what
    ws.append(safe_row([c.header for c in columns]))
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="000000" if column.required else "555555")
        cell.fill = header_fill
        cell.comment = Comment(("必填。" if column.required else "可选。") + column.note, "救助质量工具箱")
        ws.column_dimensions[get_column_letter(index)].width = max(12, 2.2 * len(column.header) + 6)
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{VALIDATED_ROWS}"
        if column.key in lists:
            rule = DataValidation(type="list", formula1='"' + ",".join(lists[column.key]) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle=column.header,
                                  error=f"请从下拉列表中选择：{'、'.join(lists[column.key])}")
        elif column.key == "size":
            rule = DataValidation(type="whole", operator="between", formula1="1", formula2="99", allow_blank=True,
                                  showErrorMessage=True, errorTitle=column.header, error="家庭人数为 1 至 99 的整数")
        else:
            rule = DataValidation(allow_blank=True)
        rule.promptTitle, rule.prompt, rule.showInputMessage = column.header, column.note[:250], True
        rule.add(cells)
        ws.add_data_validation(rule)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 110
    for line in INTRO[what] + ["", "各列说明（表头也可用括号后的写法）："] + alias_help(columns).splitlines() + \
            ["", *[f"  {c.header}：{c.note}" for c in columns]]:
        guide.append(safe_row([line]))
        guide.cell(row=guide.max_row, column=1).alignment = Alignment(wrap_text=True)
    guide.cell(row=1, column=1).font = Font(bold=True, size=13)


def write_templates(out_dir: Path | str) -> list[Path]:
    """Write 区街镇名册.xlsx and 低保档案名册.xlsx into ``out_dir``; never overwrite a filled one."""
    out_dir = Path(out_dir)
    targets = [out_dir / ORG_FILE, out_dir / REGISTER_FILE]
    existing = [p.name for p in targets if p.exists()]
    if existing:
        raise UserError(f"{out_dir} 中已有 {'、'.join(existing)}，不会覆盖（可能已填写）。请换一个目录，或先把原文件移走。")
    written = []
    for target, what, columns, lists in ((targets[0], ORG_WHAT, ORG_COLUMNS, {"unit_type": UNIT_TYPES}),
                                         (targets[1], REGISTER_WHAT, REGISTER_COLUMNS, {"status": STATUSES})):
        wb = Workbook()
        _sheet(wb, what, columns, lists)
        written.append(save_workbook(wb, target))
    return written

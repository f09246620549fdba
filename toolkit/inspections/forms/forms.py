"""Excel forms for one inspected 街镇: generated from the checklists, filled by inspectors, read back.

Layout (the reader relies on it, the import checks it):
- ``说明``: how to fill in the form.
- ``基本信息``: round, district, 街镇, inspecting team (locked); inspectors and date (to fill);
  the checklist versions the form was made from (locked, in a hidden row: read back, never
  printed); the signature lines (检查人员签字, 被检查单位负责人签字, 日期).
- one sheet per unit checklist (sheet name = checklist title): one row per item, the result
  column has a dropdown or a number rule.
- the case-file sheet: one row per sampled case file (id prefilled), dates, staff, documents.
- below the table of every checklist and case-file sheet, and on 基本信息: the signature lines,
  each label merged over the columns it needs and a merged box to sign in (the only merges the
  import accepts; their rows hold no input).
Sheets are protected (only input cells unlocked) and the workbook structure is locked.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit import SAMPLE_MARK
from toolkit.cells import safe_cell
from toolkit.sheets import DATE_FORMAT
from toolkit.checklists.model import NO, NOT_APPLICABLE, YES, Checklist
from toolkit.inspections.store.round_kinds import round_title, team_label
from toolkit.files import save_workbook
from toolkit.inspections.store.rounds import RoundContext, UnitInfo
from toolkit.inspections.intake.submission import UnitSubmission, case_columns
from toolkit.inspections.intake.validation import (
    BadValue, Location, Problem, check_submission, clean_text, control_character_problems, mask_problems,
    parse_case_row, parse_item_value, parse_names, parse_past_date,
)
from toolkit.inspections.forms.workbook_values import SheetTooLarge, WorkbookValues

INFO_SHEET = "基本信息"
HELP_SHEET = "说明"
FIRST_ROW = 4            # first data row on the item and case-file sheets (rows 1–3: title, note, header)
INFO_ROWS = {"round": 2, "district": 3, "unit": 4, "team": 5, "inspectors": 6, "inspected_on": 7, "versions": 8}
INFO_LABELS = {"round": "检查轮次", "district": "被检查区", "unit": "被检查街镇", "team": "检查组（派出区）",
               "inspectors": "检查人员（多人用、分隔）", "inspected_on": "检查日期", "versions": "检查表版本（请勿修改）"}
ITEM_HEADERS = ["编号", "部分", "检查内容", "查看材料", "检查方法", "评分标准", "分值", "检查结果", "备注", "依据"]
RESULT_COL, REMARK_COL = 8, 9
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_SIGN_LINE = Border(bottom=Side(style="thin"))
HEADER_FONT = Font(bold=True)
SCORING_HELP = {"yes_no": "是 / 否", "proportion": "比例：0–1 的小数或百分数"}

HELP_TEXT = [
    "填写说明",
    "1. 本表格按本轮检查表生成，每个被检查街镇一份。请勿增删、重命名工作表，请勿合并单元格。",
    "2. 只能在黄色单元格中填写；“检查结果”列请从下拉列表中选择，比例类项目填写 0 到 1 的小数或百分数（如 80%）。",
    "3. “基本信息”页填写检查人员和检查日期（如 2019年12月10日，也可输入 2019/12/10）。",
    "4. “低保档案材料核查表”页每行一份抽查档案，档案编号已列出，户主姓名、身份证号、受理日期已按低保档案名册预填，请对照档案核对；"
    "请填写联系电话、各环节日期和经办人，材料一栏填 是 / 否 / 不适用。多名人员用“、”分隔。"
    "档案与名册不符的，如实填写档案中的内容，并在备注中写明“档案与名册不一致”（否则导入时按录入错误退回）。",
    "5. 填好后交回组织检查的民政部门导入。有任何问题时整批不导入，并生成错误清单，请按清单修改后重新交回。",
    "6. 表格含个人信息（姓名、身份证号、电话），请妥善保管，不得外传；报告中这些信息一律脱敏显示。",
]


# A blank case-file cell holds a no-break space: LibreOffice leaves out a printed page without
# content, so the pages of a blank form's right-hand columns (rows 21–60) would not print; the
# import reads it as empty (str.strip), typing replaces it.
BLANK = "\u00a0"
SIGNATURE_ROW = 10        # first of the signature lines on 基本信息 (below the rows the import reads)
SIGNATURES = ["检查人员签字", "被检查单位负责人签字", "日期"]
CASE_WIDTHS = {"case_id": 11, "head_name": 8, "id_number": 20, "phone": 12, "decision": 8, "near_relative": 8,
               "participants": 7, "representatives": 7, "remarks": 14}


def _case_width(key: str) -> float:
    """Print width of a case-file column: dates 14 (2019年12月31日), names 8, 是/否 columns 7 (their
    header wraps)."""
    if key.startswith("date:"):
        return 14
    if key.startswith("staff:"):
        return 8
    if key.startswith("doc:"):
        return 7
    return CASE_WIDTHS.get(key, 10)


def form_filename(ctx: RoundContext, unit: UnitInfo) -> str:
    return f"{ctx.round_id}_{unit.district}_{unit.name}_检查表.xlsx"


def _document_items(checklist: Checklist):
    return [item for item in checklist.items if "document" in item.check]


def _unit_checklists(ctx: RoundContext) -> list[Checklist]:
    return [c for c in ctx.checklists.values() if c.kind == "unit"]


def _case_checklist(ctx: RoundContext) -> Checklist | None:
    return next((c for c in ctx.checklists.values() if c.kind == "case_file"), None)


def _versions_text(ctx: RoundContext) -> str:
    return "; ".join(f"{cid}={c.version_hash}" for cid, c in sorted(ctx.checklists.items()))


INPUT_STYLE = "填写单元格"
DATE_STYLE = "填写日期"


def _input_styles() -> list[NamedStyle]:
    styles = []
    for name, number_format in ((INPUT_STYLE, "General"), (DATE_STYLE, DATE_FORMAT)):
        style = NamedStyle(name=name, number_format=number_format)
        style.protection = Protection(locked=False)
        style.fill = INPUT_FILL
        style.alignment = Alignment(wrap_text=True, vertical="top")
        styles.append(style)
    return styles


def _input(cell, style: str = INPUT_STYLE) -> None:
    """Unlocked, yellow: where inspectors write (named styles: fast for thousands of cells)."""
    cell.style = style


def _header(ws, title: str, note: str, headers: list[str], widths: list[int]) -> None:
    ws["A1"] = safe_cell(title)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = safe_cell(note)
    for col, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=3, column=col, value=text)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)


def _prompted(rule: DataValidation, title: str, prompt: str) -> DataValidation:
    """Show ``prompt`` when the cell is selected (Excel, WPS and LibreOffice all show it)."""
    rule.showInputMessage = True
    rule.promptTitle = title[:32]
    rule.prompt = prompt[:255]
    return rule


def _prompt(ws, ref: str, title: str, prompt: str) -> None:
    """An input prompt on a free-text cell (a validation that allows anything)."""
    rule = _prompted(DataValidation(allow_blank=True), title, prompt)
    ws.add_data_validation(rule)
    rule.add(ref)


def _list_validation(ws, choices: tuple[str, ...], ref: str, title: str = "", prompt: str = "") -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="取值无效", error="请从下拉列表中选择")
    _prompted(dv, title or "请选择", prompt or "请从下拉列表中选择：" + "、".join(choices))
    ws.add_data_validation(dv)
    dv.add(ref)


def _date_validation(ws, ref: str, title: str, example: str = "2019-05-01") -> None:
    rule = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                          formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                          errorTitle="日期无效", error=f"请填写日期，例如 {example}")
    _prompted(rule, title, f"请填写日期，例如 {example}；不能晚于今天")
    ws.add_data_validation(rule)
    rule.add(ref)


def _case_prompt(key: str, label: str) -> str:
    """What to enter in a case-file column (shown when a cell of the column is selected)."""
    if key == "head_name":
        return "填写户主姓名（报告中脱敏显示）"
    if key == "id_number":
        return "填写户主 18 位身份证号（报告中脱敏显示）"
    if key == "phone":
        return "填写联系电话（报告中脱敏显示）"
    if key.startswith("staff:"):
        return f"填写{label}姓名，多人用“、”分隔"
    if key in ("participants", "representatives"):
        return f"填写{label}（整数）"
    if key == "remarks":
        return "可选：填写本档案发现的其他问题"
    return f"填写{label}"


SIGN_SPACE = 48           # column units (≈ characters) left after a signature label to sign in


def _signature_rows(ws, first: int, column: int = 1) -> None:
    """检查人员签字 / 被检查单位负责人签字 / 日期 from row ``first`` (below a sheet's table, printed on its
    last page): each label merged over as many columns from ``column`` as it needs to print on one
    line, then a box of about :data:`SIGN_SPACE` units with a line to sign on, 36 pt high; both in
    the first printed columns (``column`` 2 on a sheet whose column A repeats on every page across:
    LibreOffice cuts a merge over a repeated column at its edge).  The import reads past these rows
    (no input cells) and accepts these merges (:func:`_signature_merge`)."""
    from toolkit.sheets import text_width

    for offset, label in enumerate(SIGNATURES):
        row = first + offset
        text = f"{label}："
        end = _columns_spanning(ws, column, text_width(text) + 2)
        box = _columns_spanning(ws, end + 1, SIGN_SPACE)
        cell = ws.cell(row=row, column=column, value=text)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(vertical="bottom", wrap_text=False)
        for col in range(end + 1, box + 1):
            ws.cell(row=row, column=col).border = _SIGN_LINE
        for start, stop in ((column, end), (end + 1, box)):
            if stop > start:
                ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=stop)
        ws.row_dimensions[row].height = 36


def _columns_spanning(ws, start: int, width: float) -> int:
    """The last column of the fewest columns from ``start`` that together are ``width`` units wide."""
    from toolkit.sheets import column_width

    col, total = start, column_width(ws, start)
    while total < width:
        col += 1
        total += column_width(ws, col)
    return col


def _signature_row(values) -> bool:
    """A row holding a signature label and nothing else (the lines below the case-file table)."""
    filled = {clean_text(v) for v in values} - {""}
    return bool(filled) and filled <= {f"{label}：" for label in SIGNATURES}


def _signature_merge(sheet, merged: str) -> bool:
    """Whether a merged range of a returned form is one of its own signature lines (one row holding a
    signature label in its first or second column): nothing is read there."""
    from openpyxl.utils.cell import range_boundaries

    _c0, top, _c1, bottom = range_boundaries(merged)
    return top == bottom and _signature_row([sheet.value(top, 1), sheet.value(top, 2)])


def build_form(ctx: RoundContext, unit: UnitInfo) -> Workbook:
    """The blank workbook for one 街镇 of the round."""
    wb = Workbook()
    for style in _input_styles():
        wb.add_named_style(style)
    mark = f"【{SAMPLE_MARK}】" if ctx.is_sample else ""
    help_ws = wb.active
    help_ws.title = HELP_SHEET
    title = mark + f"{round_title(ctx.round_id)}社会救助督导检查表格：{unit.district}{unit.name}"
    for row, line in enumerate([title] + HELP_TEXT, 1):
        help_ws.cell(row=row, column=1, value=safe_cell(line))
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.column_dimensions["A"].width = 90

    info = wb.create_sheet(INFO_SHEET)
    info["A1"] = mark + "基本信息"
    info["A1"].font = Font(bold=True, size=14)
    values = {"round": ctx.round_id, "district": unit.district, "unit": unit.name,
              "team": ctx.team_for(unit.district, unit.name), "inspectors": None, "inspected_on": None,
              "versions": _versions_text(ctx)}
    for key, row in INFO_ROWS.items():
        label = team_label(ctx.kind) if key == "team" else INFO_LABELS[key]
        info.cell(row=row, column=1, value=label).font = HEADER_FONT
        cell = info.cell(row=row, column=2, value=safe_cell(values[key]))
        if key in ("inspectors", "inspected_on"):
            _input(cell, DATE_STYLE if key == "inspected_on" else INPUT_STYLE)
    info.row_dimensions[INFO_ROWS["versions"]].hidden = True     # read back by the import, never printed
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 60
    _signature_rows(info, SIGNATURE_ROW)
    _date_validation(info, f"B{INFO_ROWS['inspected_on']}", "检查日期", "2019-12-10")
    _prompt(info, f"B{INFO_ROWS['inspectors']}", "检查人员", "填写本组检查人员全名，多人用“、”分隔，如 张伟、李娜")

    for checklist in _unit_checklists(ctx):
        ws = wb.create_sheet(checklist.title[:31])
        _header(ws, mark + checklist.title, checklist.description,
                ITEM_HEADERS, [8, 12, 34, 20, 9, 24, 6, 16, 22, 28])
        proportion = _prompted(DataValidation(
            type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True,
            showErrorMessage=True, errorTitle="比例无效", error="请填写 0 到 1 之间的小数，例如 0.8"),
            "检查结果", "填写达标比例：0 到 1 的小数，如 0.8（即 80%）")
        ws.add_data_validation(proportion)
        _prompt(ws, f"{get_column_letter(REMARK_COL)}{FIRST_ROW}:{get_column_letter(REMARK_COL)}"
                    f"{FIRST_ROW + len(checklist.items) - 1}",
                "备注", "可选：写明发现的具体问题（如缺哪些材料、涉及哪些档案），报告中列为问题说明")
        for row, item in enumerate(checklist.items, start=FIRST_ROW):
            standard = SCORING_HELP.get(item.scoring) or "；".join(f"{lv.label} {lv.points:g} 分" for lv in item.levels)
            if item.applies_when:
                standard += "（不适用时填“不适用”）"
            values = [item.id, item.section, item.text, item.evidence, item.method, standard, item.points,
                      None, None, item.basis]
            for col, value in enumerate(values, start=1):
                ws.cell(row=row, column=col, value=safe_cell(value)).alignment = Alignment(wrap_text=True, vertical="top")
            _input(ws.cell(row=row, column=RESULT_COL))
            _input(ws.cell(row=row, column=REMARK_COL))
            ref = f"{get_column_letter(RESULT_COL)}{row}"
            if item.scoring == "proportion":
                proportion.add(ref)
            else:
                choices = item.choices() + ((NOT_APPLICABLE,) if item.applies_when else ())
                _list_validation(ws, choices, ref, "检查结果", f"{item.id}：请选择 " + "、".join(choices))
        _signature_rows(ws, FIRST_ROW + len(checklist.items) + 1)
        ws.protection.sheet = True

    case_checklist = _case_checklist(ctx)
    if case_checklist is not None:
        ws = wb.create_sheet(case_checklist.title[:31])
        columns = case_columns(_document_items(case_checklist))
        sampled = ctx.sample.get(unit.id, [])
        _header(ws, mark + case_checklist.title,
                f"本街镇抽取 {len(sampled)} 份档案。日期如 2019年5月1日（也可输入 2019/5/1）；多人用、分隔。",
                [label for _, label in columns], [_case_width(key) for key, _l in columns])
        last = FIRST_ROW + max(len(sampled), 1) - 1
        for offset, case_id in enumerate(sampled):
            ws.cell(row=FIRST_ROW + offset, column=1, value=safe_cell(case_id))
        _prefill_from_register(ws, columns, sampled, ctx)
        for col, (key, label) in enumerate(columns, start=1):
            letter = get_column_letter(col)
            ref = f"{letter}{FIRST_ROW}:{letter}{last}"
            if key == "case_id":
                continue
            style = DATE_STYLE if key.startswith("date:") else INPUT_STYLE
            for row in range(FIRST_ROW, last + 1):
                cell = ws.cell(row=row, column=col)
                _input(cell, style)
                if cell.value is None:
                    cell.value = BLANK
            if key == "decision":
                _list_validation(ws, ("批准", "不批准"), ref, label, "请选择审批结论：批准 或 不批准")
            elif key == "near_relative":
                _list_validation(ws, (YES, NO), ref, label, "是否为经办人员或村（居）干部的近亲属申请：是 / 否")
            elif key.startswith("doc:"):
                _list_validation(ws, (YES, NO, NOT_APPLICABLE), ref, label.split(" ")[0],
                                 "档案中有该材料且符合要求填“是”，没有或不符合填“否”，该档案不需要填“不适用”")
            elif key.startswith("date:"):
                _date_validation(ws, ref, label)
            else:
                _prompt(ws, ref, label, _case_prompt(key, label))
        _signature_rows(ws, last + 2, column=2)     # column A (档案编号) repeats on every page across
        ws.protection.sheet = True
    info.protection.sheet = True
    help_ws.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _prefill_from_register(ws, columns, sampled: list[str], ctx: RoundContext) -> None:
    """户主姓名, 身份证号, 受理日期 from the register (``register_check``): still input cells, checked
    against the paper file; the import compares what is there with the register."""
    from toolkit.inspections.intake.register_check import FIELDS

    where = {key: col for col, (key, _label) in enumerate(columns, start=1)}
    for offset, case_id in enumerate(sampled):
        registered = ctx.registered.get(case_id)
        if registered is None:
            continue
        for key, _label in FIELDS:
            value = registered.value(key)
            if key in where and value not in (None, ""):
                ws.cell(row=FIRST_ROW + offset, column=where[key], value=safe_cell(value) if isinstance(value, str)
                        else value)


def fill_form(path: Path, sub: UnitSubmission, ctx: RoundContext) -> None:
    """Write a submission's values into the input cells of a generated form file."""
    wb = load_workbook(path)
    fill_workbook(wb, sub, ctx)
    save_workbook(wb, Path(path))  # atomic, and print set-up / row heights for the new values


def fill_workbook(wb: Workbook, sub: UnitSubmission, ctx: RoundContext) -> Workbook:
    """Write a submission's values into the input cells of a form (sample data, tests)."""
    info = wb[INFO_SHEET]
    info.cell(row=INFO_ROWS["inspectors"], column=2, value=safe_cell("、".join(sub.inspectors)))
    info.cell(row=INFO_ROWS["inspected_on"], column=2, value=sub.inspected_on)
    for checklist in _unit_checklists(ctx):
        ws = wb[checklist.title[:31]]
        for row, item in enumerate(checklist.items, start=FIRST_ROW):
            value, remarks = sub.items.get((checklist.id, item.id), (None, ""))
            if item.scoring == "proportion" and value not in (None, NOT_APPLICABLE):
                value = float(value)
            ws.cell(row=row, column=RESULT_COL, value=safe_cell(value))
            ws.cell(row=row, column=REMARK_COL, value=safe_cell(remarks or None))
    case_checklist = _case_checklist(ctx)
    if case_checklist is not None:
        ws = wb[case_checklist.title[:31]]
        columns = case_columns(_document_items(case_checklist))
        by_id = {row.case_id: row for row in sub.case_files}
        for r in range(FIRST_ROW, ws.max_row + 1):
            row = by_id.get(clean_text(ws.cell(row=r, column=1).value))
            if row is None:
                continue
            for col, (key, _label) in enumerate(columns, start=1):
                ws.cell(row=r, column=col, value=safe_cell(row.field_value(key)))
    return wb


def read_form(path: Path, ctx: RoundContext) -> tuple[UnitSubmission | None, list[Problem]]:
    """Read a filled form; every problem found is returned with file, sheet, row and column."""
    path = Path(path)
    name = path.name
    problems: list[Problem] = []

    def at(sheet="", row=None, column="", field=""):
        return Location(name, sheet, row, column, field)

    if not path.exists():
        return None, [Problem(at(), str(path), "文件不存在，请检查路径")]
    if path.stat().st_size == 0:
        return None, [Problem(at(), name, "是空文件（0 字节），请重新保存或重新导出该表格")]
    if not zipfile.is_zipfile(path):
        return None, [Problem(at(), name, "不是 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 格式")]
    def unreadable(err: Exception) -> list[Problem]:
        return [Problem(at(), name, f"无法作为 .xlsx 打开（{err.__class__.__name__}），请用 Excel 另存为 .xlsx 后重试")]

    try:
        wb = WorkbookValues(path)
    except SheetTooLarge as err:
        return None, [Problem(at(sheet=err.sheet), "", err.message)]
    except Exception as err:  # calamine raises many types for damaged or foreign zip files
        return None, unreadable(err)

    expected = [HELP_SHEET, INFO_SHEET] + [c.title[:31] for c in _unit_checklists(ctx)]
    case_checklist = _case_checklist(ctx)
    if case_checklist is not None:
        expected.append(case_checklist.title[:31])
    missing = [s for s in expected if s not in wb.sheetnames]
    if missing:
        wb.close()
        return None, [Problem(at(sheet=s), "、".join(wb.sheetnames),
                              "工作表缺失或被重命名（表中现有工作表见左），请使用下发的原表格，"
                              "勿删除或重命名工作表") for s in missing]
    try:
        for sheet in expected:      # reads each sheet once; the reads below use what is in memory
            for merged in (m for m in wb[sheet].merged if not _signature_merge(wb[sheet], m)):
                problems.append(Problem(at(sheet=sheet, column=merged), merged,
                                        "是合并单元格，导入无法确定其取值；请取消合并并在每个单元格中分别填写"))
            problems.extend(control_character_problems(at, sheet, wb[sheet]))
    except SheetTooLarge as err:
        return None, [Problem(at(sheet=err.sheet, column=err.cell), "", err.message)]
    except Exception as err:  # a damaged sheet part
        return None, unreadable(err)
    finally:
        wb.close()
    if problems:
        return None, problems

    info = wb[INFO_SHEET]

    def info_value(key):
        return info.value(INFO_ROWS[key], 2)

    def info_at(key):
        return at(INFO_SHEET, INFO_ROWS[key], "B", INFO_LABELS[key])

    versions = {}
    for part in clean_text(info_value("versions")).split(";"):
        cid, _, digest = part.strip().partition("=")
        if cid:
            versions[cid] = digest
    inspected_on = None
    try:
        if clean_text(info_value("inspected_on")) == "":
            raise BadValue("", "缺失：请填写检查日期，例如 2019-12-10")
        inspected_on = parse_past_date(info_value("inspected_on"), ctx.today)
    except BadValue as err:
        problems.append(Problem(info_at("inspected_on"), err.value, err.message))

    sub = UnitSubmission(
        round_id=clean_text(info_value("round")), district=clean_text(info_value("district")),
        unit=clean_text(info_value("unit")), team_district=clean_text(info_value("team")),
        inspectors=parse_names(info_value("inspectors")), inspected_on=inspected_on or ctx.today,
        checklist_versions=versions, source=name)

    item_rows: dict[tuple[str, str], int] = {}
    for checklist in _unit_checklists(ctx):
        sheet = checklist.title[:31]
        ws = wb[sheet]
        rows = {clean_text(ws.value(r, 1)): r for r in range(FIRST_ROW, ws.max_row + 1)
                if clean_text(ws.value(r, 1))}
        for item in checklist.items:
            r = rows.get(item.id)
            if r is None:
                problems.append(Problem(at(sheet, None, "A", item.id), item.id,
                                        "检查项所在行缺失（被删除或编号被修改），请使用原表格"))
                continue
            item_rows[(checklist.id, item.id)] = r
            raw = ws.value(r, RESULT_COL)
            remarks = clean_text(ws.value(r, REMARK_COL))
            try:
                sub.items[(checklist.id, item.id)] = (parse_item_value(item, raw), remarks)
            except BadValue as err:
                problems.append(Problem(at(sheet, r, get_column_letter(RESULT_COL), f"检查项 {item.id}"),
                                        err.value, err.message))

    case_rows: list[int] = []
    names: set[str] = set()         # the households' names: masked wherever a problem echoes them
    reported: set[str] = set()      # case files whose row has a bad cell: reported there, not as missing
    if case_checklist is not None:
        sheet = case_checklist.title[:31]
        ws = wb[sheet]
        documents = _document_items(case_checklist)
        columns = case_columns(documents)
        headers = [clean_text(ws.value(3, c)) for c in range(1, len(columns) + 1)]
        if headers != [label for _, label in columns]:
            problems.append(Problem(at(sheet, 3), "、".join(h for h in headers if h),
                                    "表头与本轮检查表不符（列被增删或改名，或表格由旧版工具箱生成）。请使用本轮下发的表格；"
                                    "旧版生成的表格须由组织检查的民政部门重新生成，把已填内容誊入新表格后再交回"))
        else:
            keys = [key for key, _label in columns]
            for r in range(FIRST_ROW, ws.max_row + 1):
                raw = dict(zip(keys, ws.row_values(r, len(keys))))
                if all(k == "case_id" or clean_text(v) == "" for k, v in raw.items()) or _signature_row(raw.values()):
                    continue        # an empty row, or a listed case file not yet filled: reported as missing below
                names.add(clean_text(raw.get("head_name")))
                row, errors = parse_case_row(raw, documents, ctx.today)
                if errors:
                    reported.add(clean_text(raw.get("case_id")))
                for key, err in errors:
                    col = next(i for i, (k, _l) in enumerate(columns, start=1) if k == key)
                    problems.append(Problem(at(sheet, r, get_column_letter(col), dict(columns)[key]),
                                            err.value, err.message))
                if row is not None:
                    sub.case_files.append(row)
                    case_rows.append(r)

    def locate(key) -> Location:
        if isinstance(key, tuple) and key[0] == "item":
            r = item_rows.get((key[1], key[2]))
            return at(ctx.checklists[key[1]].title[:31], r, get_column_letter(RESULT_COL), f"检查项 {key[2]}")
        if isinstance(key, tuple) and key[0] == "case":        # ("case", index[, field key])
            field = key[2] if len(key) > 2 and key[2] in dict(columns) else "case_id"
            col = next(i for i, (k, _l) in enumerate(columns, start=1) if k == field)
            return at(case_checklist.title[:31], case_rows[key[1]], get_column_letter(col), dict(columns)[field])
        if key == "cases":
            return at(case_checklist.title[:31], None, "A", "档案编号")
        return info_at(key)

    sub.where = {("case", i): locate(("case", i)) for i in range(len(sub.case_files))}
    problems.extend(check_submission(sub, ctx, locate, check_items=False, reported=frozenset(reported)))
    return (None if problems else sub), mask_problems(problems, frozenset(names))

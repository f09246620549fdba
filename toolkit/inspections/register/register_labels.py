"""The one catalogue of the organisation and register files: columns, header aliases, values, texts.

``jiuzhu org template`` writes these columns, ``jiuzhu org import`` / ``jiuzhu register import``
accept them under any of their aliases, ``--help`` and docs/real-data.md show :func:`alias_help`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str                      # field name in code
    header: str                   # header written by the template
    aliases: tuple[str, ...]      # other headers accepted on import
    required: bool
    note: str                     # 填写说明 and header comment
    personal: bool = False        # masked wherever shown


ORG_COLUMNS = (
    Column("district", "区", ("区县", "区名称", "所属区", "区（县）"), True, "区的名称，如 青浦区。"),
    Column("unit", "街镇", ("街道/镇", "街道镇", "乡镇街道", "街镇名称", "乡镇（街道）"), True,
           "街道或镇的名称，如 夏阳街道、朱家角镇。同一区内不得重复。"),
    Column("unit_type", "类型", ("街镇类型", "街道或镇"), True, "填 街道 或 镇。"),
    Column("code", "行政区划代码", ("区划代码", "统计用区划代码"), False, "可选：12 位统计用区划代码。"),
)

REGISTER_COLUMNS = (
    Column("case_id", "档案编号", ("案卷编号", "档案号", "编号"), True, "本区唯一的档案编号，重新导入时按它对应到已有档案。"),
    Column("district", "区", ("区县", "所属区"), True, "须与区街镇名册一致。"),
    Column("unit", "街镇", ("街道/镇", "街道镇", "乡镇街道", "所属街镇", "乡镇（街道）"), True, "须与区街镇名册一致。"),
    Column("head_name", "户主姓名", ("户主", "申请人", "申请人姓名"), True, "户主或申请人姓名（入库后显示时遮挡）。",
           personal=True),
    Column("id_number", "身份证号", ("证件号码", "公民身份号码", "身份证号码", "户主身份证号"), True,
           "18 位身份证号，按 GB 11643 校验位核对（入库后显示时遮挡）。", personal=True),
    Column("size", "家庭人数", ("保障人数", "家庭人口", "家庭成员数"), True, "正整数，至少 1。"),
    Column("accepted_on", "受理日期", ("申请日期", "受理时间"), True,
           "如 2019-03-01、2019/3/1、2019年3月1日、20190301；不得晚于今天。"),
    Column("approved_on", "审批日期", ("审核确认日期", "批准日期", "审批时间"), True, "格式同受理日期，不得早于受理日期。"),
    Column("status", "状态", ("保障状态", "救助状态"), True, "在保、不予批准、停保 或 终止。"),
    Column("phone", "联系电话", ("电话", "手机号", "联系方式"), False, "可选（入库后显示时遮挡）。", personal=True),
    Column("remarks", "备注", ("说明",), False, "可选。"),
)

UNIT_TYPES = ("街道", "镇")
STATUSES = ("在保", "不予批准", "停保", "终止")
ORG_FILE = "区街镇名册.xlsx"
REGISTER_FILE = "低保档案名册.xlsx"
ORG_WHAT = "区街镇名册"
REGISTER_WHAT = "低保档案名册"
INSTRUCTIONS_SHEET = "填写说明"

TEXT = {
    "missing_column": "缺少必填列“{header}”（也可写作：{aliases}）。请按模板补上这一列",
    "duplicate_column": "列“{header}”出现了不止一次（第 {columns} 列）。请只保留一列",
    "required": "不能为空。请填写{header}",
    "duplicate_case": "档案编号与第 {first} 行重复。每个档案编号只能出现一次",
    "duplicate_unit": "与第 {first} 行是同一个街镇。请删去重复的一行",
    "unknown_unit": "不在区街镇名册中。请核对名称，或先在区街镇名册中添加该街镇并运行 jiuzhu org import",
    "bad_type": "不是 街道 或 镇。请填 街道 或 镇",
    "bad_status": "不是有效状态。请填 在保、不予批准、停保 或 终止",
    "bad_id": "不是有效的 18 位身份证号（位数不对或 GB 11643 校验位不符）。请对照身份证逐位核对",
    "bad_size": "不是正整数。家庭人数至少为 1，请核对",
    "bad_date": "不是有效日期。请写成 2019-03-01、2019/3/1、2019年3月1日 或 20190301",
    "future_date": "晚于今天（{today}）。请核对日期",
    "before_accepted": "早于受理日期 {accepted}。请核对审批日期",
    "bad_phone": "不像电话号码。请只填数字（可含 - ），7 至 15 位",
    "bad_code": "不是 12 位数字的行政区划代码。请核对，或留空",
    "empty_file": "文件中没有数据行。请在表头下逐行填写",
    "no_header": "找不到表头（“{first}”等列）。请使用 jiuzhu org template 生成的模板，表头写在第一行",
    "encoding": "无法识别文件编码（不是 UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK）。请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
    "utf16": "是 UTF-16 编码的文本。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx",
    "file_type": "不是 .xlsx 或 .csv 文件。请另存为 .xlsx 或 CSV 后再导入",
    "unreadable": "无法读取（{problem}）。请确认它是 Excel .xlsx 或 CSV 文件",
    "not_found": "文件不存在。请检查路径",
    "too_many": "……另有 {n} 处问题未在屏幕上列出，见错误清单",
    "rejected": "导入失败：{what} {file} 中发现 {n} 处问题，未导入任何数据（数据库保持不变）。错误清单已保存到 {report}",
}


def find_column(columns, header: str) -> Column | None:
    text = "".join(str(header or "").split())
    for column in columns:
        if text == column.header or text in column.aliases:
            return column
    return None


def alias_help(columns) -> str:
    """One line per column: header (required/optional) and its accepted alternates."""
    return "\n".join(f"  {c.header}{'' if c.required else '（可选）'}：也可写作 {'、'.join(c.aliases)}"
                     for c in columns)

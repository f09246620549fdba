"""Checks shared by the Excel import and the data-entry widget: one value, one submission.

Value parsers accept what people type (full-width digits, trailing spaces, ``80%``) and raise
:class:`BadValue` with a Chinese message; :func:`check_submission` checks a whole submission
against its round and returns every :class:`Problem` found (an empty list means it may be written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Callable

from toolkit.cells import CONTROL_CHARACTERS as CONTROL_CHARACTER
from toolkit.checklists.model import NO, NOT_APPLICABLE, YES, Item
from toolkit.errors import InputError
from toolkit.inspections.forms.form_limits import limit
from toolkit.inspections.store.rounds import RoundContext
from toolkit.inspections.intake.submission import (
    CASE_STEPS, DECISIONS, REQUIRED_CASE_FIELDS, CaseFileRow, UnitSubmission,
)
from toolkit.policy.inputs import normalize_text, parse_count, parse_date
from toolkit.privacy import is_valid_id_number, mask_name, mask_personal


class BadValue(ValueError):
    """One entered value is wrong; ``message`` says what is wrong and what to do (Chinese)."""

    def __init__(self, value: object, message: str):
        super().__init__(message)
        self.value = value
        self.message = message


@dataclass(frozen=True)
class Location:
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    field: str = ""

    def __str__(self) -> str:
        parts = [self.file and f"文件 {self.file}", self.sheet and f"工作表“{self.sheet}”",
                 self.row and f"第 {self.row} 行", self.column and f"{self.column} 列",
                 self.field and f"（{self.field}）"]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Problem:
    location: Location
    value: object
    message: str

    def __str__(self) -> str:
        shown = "（空）" if self.value in (None, "") else f"“{self.value}”"
        return f"{self.location}：{shown} {self.message}"

    def masked(self, names=frozenset()) -> "Problem":
        """The same problem with what looks personal masked in its value and message
        (:func:`toolkit.privacy.mask_personal`); any value of a personal field is masked."""
        value = None if self.value is None else mask_personal(_shortened(self.value), names)
        if self.location.field in PERSONAL_FIELDS and value and not _ALREADY_MASKED.search(value):
            value = mask_name(value)
        return Problem(self.location, value, mask_personal(self.message, names, guess_names=False))


ECHO_CHARACTERS = 200
"""Characters of a value echoed in a message or an error list at most (a cell may hold 32,767)."""


_SHORTENED = re.compile(r"…（共 \d+ 字）$")


def _shortened(value: object) -> object:
    text = value if isinstance(value, str) else None
    if text is None or len(text) <= ECHO_CHARACTERS or _SHORTENED.search(text):
        return value
    return f"{text[:ECHO_CHARACTERS]}…（共 {len(text)} 字）"


PERSONAL_FIELDS = frozenset({"户主姓名", "身份证号", "联系电话"})
"""Case-file fields whose every value is personal, whatever it looks like."""
_ALREADY_MASKED = re.compile(r"[*…]")     # e.g. the parsers' “110105…” and mask_personal's “138****5678”


def mask_problems(problems: list[Problem], names=frozenset()) -> list[Problem]:
    """:meth:`Problem.masked` of each; ``names``: known names (the form's households, the register)."""
    names = names if isinstance(names, frozenset) else frozenset(names)
    return [p.masked(names) for p in problems]


def control_character_problems(at: Callable[..., Location], sheet: str, values) -> list[Problem]:
    """A problem for every cell of ``values`` (a sheet's cells) holding a control character."""
    return [Problem(at(sheet, row, column), CONTROL_CHARACTER.sub("\ufffd", text),
                    f"含有不可见的控制字符（U+{ord(CONTROL_CHARACTER.search(text).group()):04X}，显示为 \ufffd），"
                    "多为从其他系统复制粘贴带入；请删除该单元格内容后重新输入，另存后重新导入")
            for row, column, text in values.control_cells()]


Locate = Callable[[object], Location]
"""Where a submission value came from: a key such as "round" or ("item", checklist, item id)."""


def clean_text(value: object) -> str:
    """Cell text with surrounding spaces (half- or full-width) removed; None becomes ""."""
    if value is None:
        return ""
    return (value if type(value) is str else str(value)).strip()     # str.strip() also removes U+3000


def parse_choice(value: object, choices: tuple[str, ...]) -> str:
    text = clean_text(value)
    if text not in choices:
        raise BadValue(text, f"不是可选的取值，请从下拉列表中选择：{'、'.join(choices)}")
    return text


_PROPORTION_HELP = "请填写 0 到 1 之间的小数（如 0.8）或百分数（如 80%）"


def parse_proportion(value: object) -> str:
    """A proportion as text of a decimal in [0, 1]: accepts 0.8, ０.８, 80%, ８０％."""
    if isinstance(value, bool):
        raise BadValue(value, f"不是比例，{_PROPORTION_HELP}")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadValue(str(value), f"不是比例，{_PROPORTION_HELP}")
        number = Decimal(repr(value))
    else:
        text = normalize_text(clean_text(value))
        try:
            number = Decimal(text.rstrip("%"))
        except InvalidOperation:
            raise BadValue(value, f"不是比例，{_PROPORTION_HELP}") from None
        if not number.is_finite():
            raise BadValue(value, f"不是比例，{_PROPORTION_HELP}")
        if text.endswith("%"):
            number /= 100
    if number < 0 or number > 1:
        raise BadValue(value, f"超出 0 到 1 的范围（比例不能大于 1），{_PROPORTION_HELP}")
    return format(number.normalize(), "f")


def parse_item_value(item: Item, value: object) -> str:
    """The normalised result of one unit-checklist item (是/否, a level label, or a proportion)."""
    if clean_text(value) == "":
        raise BadValue("", f"缺失：检查项 {item.id} 必须填写结果")
    if clean_text(value) == NOT_APPLICABLE and item.applies_when:
        return NOT_APPLICABLE
    if item.scoring == "proportion":
        return parse_proportion(value)
    return parse_choice(value, item.choices())


def parse_names(value: object) -> list[str]:
    """Names separated by 、 , ， ; ； / or spaces."""
    return [n for n in re.split(r"[、,，;；/\s]+", clean_text(value)) if n]


_NOT_A_NAME = re.compile(r"\d")


def staff_name_problem(names: list[str]) -> str:
    """Why ``names`` (of staff or inspectors) are not names of people, or "" when they may be."""
    if any(_NOT_A_NAME.search(n) for n in names):
        return "不是人员姓名（含数字，像电话号码、身份证号或编号）；请填写经办人员的姓名，多人用、分隔"
    longest = limit("max_staff_name_characters")
    if any(len(n) > longest for n in names):
        return f"不是人员姓名（一个姓名超过 {longest} 个字，像多人连写或填错了内容）；多人请用、分隔"
    return ""


def parse_staff_names(value: object) -> list[str]:
    """Staff names (:func:`parse_names`) that hold names, not numbers or phone numbers."""
    names = parse_names(value)
    problem = staff_name_problem(names)
    if problem:
        raise BadValue(clean_text(value), problem)
    return names


def parse_past_date(value: object, today: date) -> date:
    try:
        day = parse_date(clean_text(value) if isinstance(value, str) else value)
    except InputError:
        raise BadValue(value, "不是有效的日期，请写成 2019-05-01 或 2019年5月1日") from None
    if day > today:
        raise BadValue(day.isoformat(), f"晚于今天（{today.isoformat()}），日期不能在将来，请核对年份和月份")
    return day


def parse_id_number(value: object) -> str:
    text = normalize_text(clean_text(value)).upper()
    if not is_valid_id_number(text):
        shown = text[:6] + "…" if len(text) > 6 else text
        raise BadValue(shown, "不是有效的 18 位身份证号（位数不对或 GB 11643 校验位不符），请对照身份证逐位核对")
    return text


def parse_phone(value: object) -> str:
    text = normalize_text(clean_text(value)).replace("-", "")
    if text and not re.fullmatch(r"1\d{10}|0\d{9,11}|\d{8}", text):
        raise BadValue(text[:3] + "…", "不是有效的电话号码，请填写 11 位手机号或带区号的固定电话")
    return text


def parse_optional_count(value: object, most: int | None = None) -> int | None:
    """A whole number of people (empty: None); above ``most`` it is taken for a typing error."""
    if clean_text(value) == "":
        return None
    try:
        number = parse_count(clean_text(value) if isinstance(value, str) else value, "")
    except InputError:
        raise BadValue(value, "不是整数，请填写 0 或正整数") from None
    if most is not None and number > most:
        raise BadValue(value if number < 10 ** 15 else "（过大的数字）",
                       f"超过合理上限 {most} 人（form_limits.yaml），请核对是否多输了数字")
    return number


def require(value: object, what: str) -> object:
    if clean_text(value) == "":
        raise BadValue("", f"缺失：必须填写{what}")
    return value


def check_submission(sub: UnitSubmission, ctx: RoundContext, locate: Locate,
                     check_items: bool = True) -> list[Problem]:
    """Every problem of a submission measured against its round (empty: may be written).

    ``check_items=False`` when the caller already parsed every item value (the form reader).
    """
    problems: list[Problem] = []

    def add(key, value, message):
        problems.append(Problem(locate(key), value, message))

    if sub.round_id != ctx.round_id:
        add("round", sub.round_id, f"与导入的轮次“{ctx.round_id}”不符，请确认表格属于本轮检查或改用 --round {sub.round_id}")
    if (sub.district, sub.unit) not in ctx.units:          # the district list is built only when needed
        if sub.district not in ctx.districts:
            add("district", sub.district, f"不是已登记的区，可选：{'、'.join(ctx.districts)}")
        else:
            add("unit", sub.unit, f"不是{sub.district}的街镇，可选：{'、'.join(ctx.units_of(sub.district))}")
    team = ctx.team_for(sub.district, sub.unit)
    if team and sub.team_district != team:
        add("team", sub.team_district, f"与互检计划不符：本轮{sub.district}由{team}检查组检查")
    for checklist_id, checklist in ctx.checklists.items():
        got = sub.checklist_versions.get(checklist_id)
        if got != checklist.version_hash:
            add("versions", got or "（无）",
                f"是检查表“{checklist.title}”的旧版本或未知版本，本轮使用版本 {checklist.version_hash}；"
                "请用 jiuzhu inspect forms 重新生成表格并转录结果")
        if checklist.kind != "unit" or not check_items:
            continue
        for item in checklist.items:
            value = sub.items.get((checklist_id, item.id), ("", ""))[0]
            try:
                parse_item_value(item, value)
            except BadValue as err:
                add(("item", checklist_id, item.id), err.value, err.message)
    if not sub.inspectors:
        add("inspectors", "", "缺失：请填写检查人员姓名（多人用、分隔）")
    elif staff_name_problem(sub.inspectors):
        add("inspectors", "、".join(sub.inspectors), staff_name_problem(sub.inspectors))
    if sub.inspected_on > ctx.today:
        add("inspected_on", sub.inspected_on.isoformat(), f"晚于今天（{ctx.today.isoformat()}），日期不能在将来")
    unit = ctx.units.get((sub.district, sub.unit))
    if unit is not None:
        sampled = set(ctx.sample.get(unit.id, []))
        seen: dict[str, int] = {}
        for index, row in enumerate(sub.case_files):
            if row.case_id in seen:
                add(("case", index, "case_id"), row.case_id,
                    f"档案编号重复（与第 {seen[row.case_id] + 1} 份相同），每份抽查档案只填一行")
                continue
            seen[row.case_id] = index
            if row.case_id not in sampled:
                add(("case", index, "case_id"), row.case_id, "不在本轮为该街镇抽取的档案名单中，请核对档案编号")
        missing = sorted(sampled - set(seen))
        if missing:
            add("cases", "、".join(missing[:5]) + ("等" if len(missing) > 5 else ""),
                f"共 {len(missing)} 份抽取的档案没有核查结果，请补齐")
    return problems


def parse_case_row(raw: dict[str, object], document_items, today: date
                   ) -> tuple[CaseFileRow | None, list[tuple[str, BadValue]]]:
    """A case-file row from raw cell values keyed as in :func:`case_columns`; errors by key."""
    errors: list[tuple[str, BadValue]] = []

    def field(key, parser, *args):
        try:
            if key in REQUIRED_CASE_FIELDS:
                require(raw.get(key), REQUIRED_CASE_FIELDS[key])
            return parser(raw.get(key), *args)
        except BadValue as err:
            errors.append((key, err))
            return None

    row = CaseFileRow(
        case_id=field("case_id", lambda v: normalize_text(clean_text(v))),
        head_name=field("head_name", clean_text),
        id_number=field("id_number", parse_id_number),
        phone=field("phone", parse_phone),
        decision=field("decision", parse_choice, tuple(DECISIONS)),
        near_relative=field("near_relative", parse_choice, (YES, NO)) == YES,
        remarks=clean_text(raw.get("remarks")),
    )
    for key, _label, has_staff in CASE_STEPS:
        if clean_text(raw.get(f"date:{key}")) or f"date:{key}" in REQUIRED_CASE_FIELDS:
            day = field(f"date:{key}", parse_past_date, today)
            if day is not None:
                row.dates[key] = day
        if has_staff:
            names = field(f"staff:{key}", parse_staff_names)
            if names:
                row.staff[key] = names
    most = limit("max_appraisal_participants")
    row.participants = field("participants", parse_optional_count, most)
    row.representatives = field("representatives", parse_optional_count, most)
    if row.participants is not None and row.representatives is not None and row.representatives > row.participants:
        errors.append(("representatives", BadValue(
            row.representatives, f"多于评议参加人数 {row.participants} 人（代表是参加人员中的一部分），请核对两个人数")))
    for item in document_items:
        key = f"doc:{item.check['document']}"
        value = field(key, lambda v: parse_choice(require(v, item.text), (YES, NO, NOT_APPLICABLE)))
        if value is not None:
            row.documents[item.check["document"]] = value
    return (None if errors else row), errors

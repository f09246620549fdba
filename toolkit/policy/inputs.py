"""Forgiving parsing of amounts and dates typed by people.

Cadres type ``１５００元``, ``1,500``, ``2018年10月8日``; all of these are accepted.  Anything
else raises :class:`toolkit.errors.InputError` naming where the value came from.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from toolkit.errors import InputError

_AMOUNT_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def normalize_text(value: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), Chinese comma to comma, no spaces."""
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("，", ",").replace("。", ".")
    return re.sub(r"\s+", "", text)


def parse_amount(value: object, where: str = "金额") -> Decimal:
    """An amount in yuan as Decimal: numbers, or text like ``１５００元``, ``1,500.50``, ``800 元``."""
    if isinstance(value, bool):
        raise InputError(where, value, "不是金额", "请填写数字，例如 1500 或 1500.50")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = normalize_text(value or "")
    for suffix in ("元", "圆", "块"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if text.startswith(("¥", "￥")):
        text = text[1:]
    if not text or not _AMOUNT_RE.match(text):
        raise InputError(where, value, "不是有效的金额", "请填写数字，例如 1500 或 1500.50（可带“元”）")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        raise InputError(where, value, "不是有效的金额", "请填写数字，例如 1500") from None


def parse_date(value: object, where: str = "日期") -> date:
    """A date from ``2019-05-01``, ``2019/5/1``, ``2019.5.1`` or ``2019年5月1日`` (full-width allowed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalize_text(value or "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise InputError(where, value, "不是存在的日期", "请检查年、月、日，例如 2019-05-01") from None
    raise InputError(where, value, "不是有效的日期", "请写成 2019-05-01 或 2019年5月1日 这样的格式")


def parse_count(value: object, where: str) -> int:
    """A non-negative whole number (vehicles, homes, people); full-width digits accepted."""
    if isinstance(value, bool):
        raise InputError(where, value, "不是整数", "请填写 0 或正整数")
    if isinstance(value, int):
        number = value
    else:
        text = normalize_text(value if value is not None else "")
        if not re.fullmatch(r"\d+", text):
            raise InputError(where, value, "不是整数", "请填写 0 或正整数")
        number = int(text)
    if number < 0:
        raise InputError(where, value, "不能为负数", "请填写 0 或正整数")
    return number


def check_object(data: object, where: str, allowed: set[str], example: str, label: str = "字段") -> dict:
    """``data`` must be a JSON object whose keys are all in ``allowed``; errors name the path."""
    if not isinstance(data, dict):
        shown = type(data).__name__ if where == "（根）" else data
        raise InputError(where, shown, "不是 JSON 对象", f"应写成 {example} 形式")
    unknown = sorted(set(data) - allowed)
    if unknown:
        key = unknown[0]
        path = key if where == "（根）" else f"{where}.{key}"
        raise InputError(path, data[key], "是未知字段", f"可用{label}：{'、'.join(sorted(allowed))}")
    return data

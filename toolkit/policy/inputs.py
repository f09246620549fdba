"""Forgiving parsing of amounts, counts and dates typed by people.

Cadres type ``１５００元``, ``1,500``, ``1500。`` (a Chinese IME's full stop), ``2018年10月8号``,
``2018年10月08日（星期一）`` (as a case table shows it), ``20181008``; all of these are accepted.
Anything else raises :class:`toolkit.errors.InputError` naming where the value came from and
echoing the value as typed (only 身份证号-like and phone-like values are masked).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from toolkit.errors import InputError
from toolkit.privacy import is_valid_id_number, mask_id_number, mask_name, mask_phone

# Plausibility bounds of typed values (input checks, not policy limits).
MAX_AMOUNT = Decimal(100_000_000)     # yuan: larger amounts are typing errors, and Decimal stays exact
MAX_STAFF_NAME = 20                   # characters of one staff member's name
ECHO_CHARS = 40                       # at most this much of a refused value is shown

_AMOUNT_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),                 # 20181008
)
_WEEKDAY_RE = re.compile(r"\(?(?:星期|周|礼拜)([一二三四五六日天])\)?$")
_WEEKDAYS = "一二三四五六日"
_TRAILING = ".,;:!?、"              # after normalize_text: 。，；：！？ typed at the end of an answer
_AMOUNT_PREFIXES = ("人民币", "¥", "￥")
_AMOUNT_SUFFIXES = ("元整", "块钱", "元", "圆", "块")
# Looks like a date (possible or not): echoed as typed, never masked as a phone number.
_DATE_LIKE = re.compile(r"^\d{4}[-/.年]\d{1,3}[-/.月]\d{1,3}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|^(19|20|21)\d{2}(0\d|1[0-2])\d{2}$")
_DIGIT_RUN = re.compile(r"(?<![\d-])(?:\d[\s-]?){6,}\d(?!\d)")       # 7+ digits, maybe grouped: a phone number?


def normalize_text(value: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), Chinese comma to comma, no spaces."""
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("，", ",").replace("。", ".")
    return re.sub(r"\s+", "", text)


def _trimmed(text: str) -> str:
    """``text`` without the punctuation people type after an answer (``1500。``, ``2018年10月8日，``)."""
    return text.rstrip(_TRAILING)


def parse_amount(value: object, where: str = "金额") -> Decimal:
    """An amount in yuan as Decimal: numbers, or text like ``１５００元``, ``1,500.50``, ``800 元``."""
    if isinstance(value, bool):
        raise InputError(where, value, "不是金额", "请填写数字，例如 1500 或 1500.50")
    if isinstance(value, (int, float, Decimal)):
        return _bounded(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), value, where)
    if not isinstance(value, str):
        raise InputError(where, echo(value), "不是有效的金额", "请填写数字，例如 1500 或 1500.50（可带“元”）")
    if re.search(r"\d\s+\d", unicodedata.normalize("NFKC", value)):
        raise InputError(where, echo(value), "的数字中间有空格", "请只填写一个数字，例如 1500 或 1,500")
    text = _trimmed(normalize_text(value))
    for prefix in _AMOUNT_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    for suffix in _AMOUNT_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if not text or not _AMOUNT_RE.match(text):
        raise InputError(where, echo(value), "不是有效的金额", "请填写数字，例如 1500 或 1500.50（可带“元”）")
    try:
        return _bounded(Decimal(text.replace(",", "")), value, where)
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        raise InputError(where, value, "不是有效的金额", "请填写数字，例如 1500") from None


def _bounded(amount: Decimal, value: object, where: str) -> Decimal:
    """``amount`` when finite and within ±MAX_AMOUNT (NaN, Infinity, 1e30 are refused)."""
    if not amount.is_finite():
        raise InputError(where, echo(value), "不是有限的数值", "请填写数字金额，例如 1500（不能是 NaN 或 Infinity）")
    if abs(amount) > MAX_AMOUNT:
        raise InputError(where, echo(value), f"超过合理金额上限 {MAX_AMOUNT:,} 元",
                         "请检查是否多输了位数；金额按元填写，例如 1500")
    return amount


def echo(value: object) -> str:
    """A value as it may be shown in a message: objects summarised, personal-looking text masked.

    Objects and lists are never echoed whole (they hold names and other members' data, and may
    be nested without bound); 身份证号 and phone-like digit runs are masked; long text is cut.
    """
    if isinstance(value, dict):
        return f"（JSON 对象，{len(value)} 个字段）"
    if isinstance(value, (list, tuple)):
        return f"（列表，{len(value)} 项）"
    if isinstance(value, str):
        text = value.strip()
        if is_valid_id_number(text) or re.fullmatch(r"\d{15,18}[\dXx]?", text):
            text = mask_id_number(text)
        elif not _DATE_LIKE.match(_trimmed(normalize_text(text))):   # a date is echoed as typed
            text = _DIGIT_RUN.sub(lambda run: run.group(0) if _DATE_LIKE.match(run.group(0)) else mask_phone(run.group(0)),
                                  text)
    else:
        text = repr(value)
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def parse_staff(value: object, where: str) -> tuple[str, ...]:
    """Staff names of a step: a name or a list of names; numbers and phone numbers are refused."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError(where, echo(value), "不是人员姓名列表", "写成 [\"王芳\", \"李强\"]")
    cleaned = []
    for index, name in enumerate(names):
        text = name.strip()
        if not text:
            continue
        if re.search(r"\d", normalize_text(text)) or len(text) > MAX_STAFF_NAME:
            shown = echo(text) if re.search(r"\d{7,}", normalize_text(text)) else mask_name(text)
            raise InputError(f"{where}[{index}]", shown, "不是人员姓名（像是电话号码、编号或多人连写）",
                             "请只填写经办人员的姓名，每人一项，例如 [\"王芳\", \"李强\"]")
        cleaned.append(text)
    return tuple(cleaned)


def parse_date(value: object, where: str = "日期") -> date:
    """A date from ``2019-05-01``, ``2019/5/1``, ``2019.5.1``, ``2019年5月1日``/``号``, ``20190501``
    (full-width allowed), optionally followed by its weekday (``（星期三）``, ``周三``), which must match."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InputError(where, echo(value), "不是有效的日期", "请写成 2019-05-01 或 2019年5月1日 这样的格式")
    text = _trimmed(normalize_text(value))
    weekday = _WEEKDAY_RE.search(text)
    if weekday and weekday.start() > 0:
        text = _trimmed(text[: weekday.start()])
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                found = date(year, month, day)
            except ValueError:
                raise InputError(where, echo(value), "不是存在的日期", "请检查年、月、日，例如 2019-05-01") from None
            if weekday and weekday.start() > 0 and _WEEKDAYS[found.weekday()] != weekday.group(1).replace("天", "日"):
                raise InputError(where, echo(value), f"的星期与日期不符（{found.year}年{found.month}月{found.day}日是"
                                 f"星期{_WEEKDAYS[found.weekday()]}）", "请核对日期；星期可以不写")
            return found
    raise InputError(where, echo(value), "不是有效的日期", "请写成 2019-05-01 或 2019年5月1日 这样的格式")


def parse_count(value: object, where: str) -> int:
    """A non-negative whole number (vehicles, homes, people); full-width digits accepted."""
    if isinstance(value, bool):
        raise InputError(where, value, "不是整数", "请填写 0 或正整数")
    if isinstance(value, int):
        number = value
    elif not isinstance(value, str):
        raise InputError(where, echo(value), "不是整数", "请填写 0 或正整数")
    else:
        text = normalize_text(value)
        if not re.fullmatch(r"\d+", text):
            raise InputError(where, echo(value), "不是整数", "请填写 0 或正整数")
        if len(text) > 12:
            raise InputError(where, echo(value), "数值过大", "请填写实际的数量")
        number = int(text)
    if number < 0:
        raise InputError(where, value, "不能为负数", "请填写 0 或正整数")
    return number


def check_object(data: object, where: str, allowed: set[str], example: str, label: str = "字段") -> dict:
    """``data`` must be a JSON object whose keys are all in ``allowed``; errors name the path."""
    if not isinstance(data, dict):
        shown = type(data).__name__ if where == "（根）" else echo(data)
        raise InputError(where, shown, "不是 JSON 对象", f"应写成 {example} 形式")
    unknown = sorted(str(k) for k in set(data) - allowed)
    if unknown:
        key = unknown[0]
        path = key if where == "（根）" else f"{where}.{key}"
        raise InputError(path, echo(data[key]), "是未知字段", f"可用{label}：{'、'.join(sorted(allowed))}")
    return data

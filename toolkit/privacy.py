"""Personal-data helpers: masking for every printed or exported view, and GB 11643 ID checks.

Leaf module: imports nothing of ours.  Names, 身份证号 and phone numbers never appear unmasked
in a report, a log or a feedback file; call these functions at the edge where data leaves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_digit(first17: str) -> str:
    """Return the GB 11643-1999 check character for the first 17 digits of a 身份证号."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """True when ``value`` is an 18-character 身份证号 with a correct GB 11643 check digit.

    Only the structure and check digit are verified, plus a plausible birth date.
    """
    text = str(value).strip().upper()
    if not _ID_RE.match(text):
        return False
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    return id_check_digit(text[:17]) == text[17]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***; an empty value stays empty."""
    text = str(name or "").strip()
    if len(text) <= 1:
        return text
    return text[0] + "*" * (len(text) - 1)


def mask_id_number(value: str) -> str:
    """310101199001011234 → 310101********1234 (region code and last four kept)."""
    text = str(value or "").strip()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678."""
    text = re.sub(r"\s+", "", str(value or ""))
    if len(text) < 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


# --------------------------------------------------------------------------- "looks personal"

COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎"
    "甄丛仲虞敖巩明佘池查麻苑迟邝"
)
"""About 300 frequent single-character surnames, for guessing that a short text is a person's name;
compound surnames below.  A guess, not a register: :func:`mask_personal` also takes known names."""
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "呼延")

_DATE = r"(?:19|20)\d\d(?:[-/.年]\d{1,2}[-/.月]\d{1,2}日?|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
_NUMBER = r"\d(?:[\s\-–—()（）]{0,2}\d){6,}[XxＸｘ]?"
_PERSONAL_TEXT = re.compile(rf"(?<![A-Za-z\d])(?<!\d\.)(?:(?P<date>{_DATE})|(?P<number>{_NUMBER}))(?![A-Za-z\d])")
_NAME_LIKE = re.compile(r"[\u4e00-\u9fff·]{2,5}")
PLACE_ENDINGS = tuple("村区镇乡县市省街道路巷组队社委会局办所站院校")
"""Last characters of place and office names (王家村, 金山区, 李庄镇): such text is not guessed to be a name."""


def _mask_number(text: str) -> str:
    """A 身份证号, phone or other long number: a few leading and trailing digits kept."""
    digits = re.sub(r"[^\dXx]", "", unicodedata.normalize("NFKC", text))
    keep_head, keep_tail = (6, 4) if len(digits) >= 15 else (3, 4) if len(digits) >= 11 else (2, 2)
    return digits[:keep_head] + "*" * (len(digits) - keep_head - keep_tail) + digits[-keep_tail:]


def _looks_like_name(text: str) -> bool:
    if not _NAME_LIKE.fullmatch(text) or text.endswith(PLACE_ENDINGS):
        return False
    if text[:2] in COMPOUND_SURNAMES:
        return len(text) <= 5
    return text[0] in COMMON_SURNAMES and len(text) <= 4


@lru_cache(maxsize=16)
def _names_pattern(names: frozenset) -> re.Pattern | None:
    usable = sorted((n for n in names if len(n) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, usable))) if usable else None


def mask_personal(value: object, names=(), guess_names: bool = True) -> str:
    """``value`` as text that may be echoed in a message or an error list: what looks personal masked.

    Looks personal:
    - a run of 7 or more digits (spaces, hyphens and brackets between them allowed), with or without
      a final X: 身份证号 (kept: region code and last four), mobile and landline numbers (first three
      and last four), anything else that long (first and last two).  Dates such as 20190501 or
      2019-05-01 are not personal and stay;
    - any of ``names`` (2 characters or more) inside the text: household names from the same form,
      names from the register (pass a ``frozenset`` when calling often: its pattern is cached);
    - with ``guess_names``, a whole value of 2–4 Chinese characters starting with a common surname
      (``张三``, ``欧阳小明``), e.g. a name typed into the wrong column.  Pass ``guess_names=False``
      for fields that hold place names (区、街镇).
    Masked names keep their first character (:func:`mask_name`).
    """
    text = "" if value is None else str(value)
    text = _PERSONAL_TEXT.sub(lambda m: m.group() if m.group("date") else _mask_number(m.group()), text)
    pattern = _names_pattern(names if isinstance(names, frozenset) else frozenset(names or ()))
    if pattern is not None:
        text = pattern.sub(lambda m: mask_name(m.group()), text)
    if guess_names and _looks_like_name(text.strip()):
        text = mask_name(text)
    return text


def looks_personal(value: object, names=()) -> bool:
    """True when :func:`mask_personal` would change ``value``."""
    text = "" if value is None else str(value)
    return mask_personal(text, names) != text

"""Personal-data helpers: masking for every printed or exported view, and GB 11643 ID checks.

Leaf module: imports nothing of ours.  Names, 身份证号 and phone numbers never appear unmasked
in a report, a log or a feedback file; call these functions at the edge where data leaves.
"""

from __future__ import annotations

import re

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

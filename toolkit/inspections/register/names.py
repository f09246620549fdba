"""Identifiers and names as the store keeps them: one spelling for what people type many ways.

Every import runs the 档案编号, 身份证号, district and 街镇 names through these functions, so
``A001`` and ``Ａ００１`` (full width), ``云岭区`` and ``云岭\u200b区`` (a zero-width space) or
``AB镇`` and ``ＡＢ镇`` are one household, one district, one 街镇:

- :func:`name`: Unicode NFKC (full-width letters and digits to ASCII, the ideographic space to a
  space), invisible characters removed (zero-width spaces and joiners, the BOM, soft hyphens,
  direction marks), surrounding whitespace removed;
- :func:`identifier`: the same, and no whitespace at all inside (a 档案编号 or 身份证号 has none).

Two rows whose values differ only in this way are duplicates; :func:`lookalike_note` says so in a
message, naming both spellings.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
"""Characters that show as nothing (Unicode Default_Ignorable code points people paste by accident)."""
NOTE = "（两处写法“{a}”与“{b}”只是全角/半角、空格或不可见字符不同，视为同一个）"


def name(value: object) -> str:
    """A district, 街镇 or other name: NFKC, invisible characters and surrounding whitespace removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value))
    return INVISIBLE.sub("", text).strip()


def identifier(value: object) -> str:
    """A 档案编号 or 身份证号: :func:`name` without any whitespace inside."""
    return re.sub(r"\s+", "", name(value))


def lookalike_note(a: object, b: object) -> str:
    """The note for a duplicate message when two spellings differ only invisibly, else ''."""
    a, b = ("" if v is None else str(v).strip() for v in (a, b))
    if a == b:
        return ""
    shown = (INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", v) for v in (a, b))
    return NOTE.format(a=next(shown), b=next(shown))

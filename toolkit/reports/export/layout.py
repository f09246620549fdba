"""Column widths from a table's content, shared by the Word and the HTML/PDF output.

Widths are in em (the width of one Chinese character at the table's font size).  Short cells
(a 街镇 name, a grade, a number) never wrap: their column gets at least its longest cell.  Long
text columns share what is left in proportion to how much text they hold, but never less than
:data:`MIN_TEXT_EM`, so no column is squeezed to one character per line.
"""

from __future__ import annotations

import re

MIN_TEXT_EM = 5.0        # a wrapping text column is at least five characters wide
SHORT_EM = 9.0           # a cell up to this wide is kept on one line when the page allows
PADDING_EM = 1.5         # cell margins (Word: 0.19 cm each side ≈ 1 em at 10.5 pt) and rounding
_LATIN_WORD = re.compile(r"[0-9A-Za-z.%\-/:_（）()]+")


def text_em(text: str) -> float:
    """Width of ``text`` in em: CJK and full-width characters 1, others about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def longest_word_em(text: str) -> float:
    """The widest piece of ``text`` that cannot be broken: a Latin word, number or case id."""
    words = _LATIN_WORD.findall(text)
    widest = max((text_em(w) for w in words), default=0.0)
    return max(widest, 1.0 if any(ord(ch) > 0x2E80 for ch in text) else 0.0)


def column_widths(header: list[str], rows: list[list[str]], total_em: float) -> list[float]:
    """Widths (em, padding included) of each column, summing to at most ``total_em``."""
    n = len(header)
    if n == 0:
        return []
    natural, minimum = [], []
    for col in range(n):
        cells = [str(r[col]) for r in rows] if rows else []
        body = max((max(text_em(line) for line in c.split("\n")) for c in cells), default=0.0)
        head = text_em(str(header[col]))
        word = max([longest_word_em(c) for c in cells] + [longest_word_em(str(header[col]))])
        wide = max(body, head)
        natural.append(wide + PADDING_EM)
        # short cells stay on one line; headers may wrap onto two lines
        floor = body if body <= SHORT_EM else MIN_TEXT_EM
        floor = max(floor, min(head, max(MIN_TEXT_EM, head / 2 + 0.5)), word)
        minimum.append(min(wide, floor) + PADDING_EM)
    if sum(natural) <= total_em:
        return natural
    if sum(minimum) >= total_em:            # even the minimum does not fit: shrink evenly
        scale = total_em / sum(minimum)
        return [w * scale for w in minimum]
    spare = total_em - sum(minimum)
    extra = [nat - low for nat, low in zip(natural, minimum)]
    share = sum(extra) or 1.0
    return [low + spare * e / share for low, e in zip(minimum, extra)]

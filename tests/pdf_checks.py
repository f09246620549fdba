"""Measurements of a rendered PDF with poppler-utils: pages, words with positions, page text.

``pdftotext -bbox`` gives every word with its box; a table column squeezed to one character
per line shows as a stack of single Chinese characters at the same x, one line pitch apart.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r"<page[^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_CJK = re.compile(r"^[\u4e00-\u9fff]$")


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words_by_page(pdf: Path) -> list[list[Word]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[Word(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(page)]
            for page in _PAGE.findall(out)]


def page_texts(pdf: Path, layout: bool = True) -> list[str]:
    """Text of each page; ``layout`` keeps columns side by side, otherwise text blocks in
    reading order (a wrapped table cell's lines stay together)."""
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def _alone(word: Word, words: list[Word]) -> bool:
    """No other word follows on the same line within a space's width (so the character is the
    whole line of its cell, not the start of '镇 10 份')."""
    width = word.x1 - word.x0
    return not any(abs(o.y0 - word.y0) < 1.0 and word.x1 - 0.5 <= o.x0 <= word.x1 + 0.6 * width
                   for o in words if o is not word)


def one_char_stacks(words: list[Word], run: int = 3) -> list[str]:
    """Stacks of ``run`` or more lines that are a single Chinese character each, at the same x,
    one line pitch apart: a table column squeezed to one character per line."""
    singles = sorted((w for w in words if _CJK.match(w.text) and _alone(w, words)),
                     key=lambda w: (round(w.x0), w.y0))
    stacks, current = [], []
    for word in singles:
        if current:
            last = current[-1]
            pitch = word.y0 - last.y0
            height = last.y1 - last.y0
            if abs(word.x0 - last.x0) < 0.8 and 0 < pitch <= 1.6 * height:
                current.append(word)
                continue
        if len(current) >= run:
            stacks.append("".join(w.text for w in current))
        current = [word]
    if len(current) >= run:
        stacks.append("".join(w.text for w in current))
    return stacks


def printed_in_full(text: str, words: list[Word], flat: str) -> bool:
    """True when ``text`` is in the page text ``flat`` (whitespace removed), or when its lines
    stand one under the other at the same x (a wrapped, left-aligned table cell)."""
    target = re.sub(r"\s+", "", text)
    if target in flat:
        return True
    for start in words:
        if not target.startswith(start.text):
            continue
        joined, last = start.text, start
        for word in sorted((w for w in words if abs(w.x0 - start.x0) < 1.0 and w.y0 > start.y0),
                           key=lambda w: w.y0):
            if word.y0 - last.y0 > 1.6 * (last.y1 - last.y0) or len(joined) >= len(target):
                break
            joined, last = joined + word.text, word
        if joined == target:
            return True
    return False


def narrow_docx_columns(docx_path: Path) -> list[tuple]:
    """Table columns of a 报告.docx narrower than their longest unbreakable word:
    (first cell, usable em, needed em) each; empty when every column fits."""
    from docx import Document

    from toolkit.reports.export.layout import longest_word_em, text_em

    narrow = []
    for table in Document(str(docx_path)).tables:
        widths = [int(c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
                  for c in table._tbl.tblGrid.iterchildren()]
        for col, width in enumerate(widths):
            texts = [row.cells[col].text for row in table.rows]
            usable_em = (width - 216) / 20 / 10.5          # twips, minus Word's cell margins
            needed = max(max(longest_word_em(t) for t in texts), 2.0 if any(text_em(t) >= 2 for t in texts) else 0)
            if usable_em < needed - 0.05:
                narrow.append((texts[0], usable_em, needed))
    return narrow

"""A document as printed: measurements of a PDF (LibreOffice's rendering) with poppler-utils.

``pdftotext -bbox`` gives every word with its box, ``pdfinfo`` the page sizes.  The size of
printed Chinese text is read from the words themselves: a CJK character is one em wide, so a
word of n CJK characters (and nothing else) that is w points wide is set in w / n points —
independent of the font's ascent and descent.  Used by the print conformance check
(``toolkit.reports.export.conformance``) and the tests.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_ALL_CJK = re.compile(r"^[\u4e00-\u9fff]{2,}$")
MM = 72 / 25.4                                  # points per millimetre


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def cjk_pt(self) -> float | None:
        """The font size of a word of two or more CJK characters only (else None)."""
        if not _ALL_CJK.match(self.text):
            return None
        return (self.x1 - self.x0) / len(self.text)


@dataclass(frozen=True)
class Page:
    width: float                                # points
    height: float
    words: list[Word]


def _bbox(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages(pdf: Path) -> list[Page]:
    """Every page with its size and words."""
    return [Page(float(w), float(h), [Word(float(a), float(b), float(c), float(d), html.unescape(t))
                                      for a, b, c, d, t in _WORD.findall(body)])
            for w, h, body in _PAGE.findall(_bbox(pdf))]


def words_by_page(pdf: Path) -> list[list[Word]]:
    return [page.words for page in pages(pdf)]


def page_texts(pdf: Path, layout: bool = True) -> list[str]:
    """Text of each page; ``layout`` keeps columns side by side, otherwise text blocks in
    reading order (a wrapped table cell's lines stay together)."""
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def smallest_cjk_pt(page_list: list[Page]) -> float | None:
    """The smallest size (points) of printed Chinese text over all pages (None: no Chinese)."""
    sizes = [w.cjk_pt for p in page_list for w in p.words if w.cjk_pt]
    return round(min(sizes), 1) if sizes else None


def is_a4(page: Page) -> bool:
    short, long = sorted((page.width, page.height))
    return abs(short - 210 * MM) < 3 and abs(long - 297 * MM) < 3


def text_block(page: Page) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of everything printed on the page, in points."""
    if not page.words:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(w.x0 for w in page.words), min(w.y0 for w in page.words),
            max(w.x1 for w in page.words), max(w.y1 for w in page.words))

"""What the toolkit writes into an xlsx cell: always a value, never a formula.

Leaf module: imports nothing of ours.  Every xlsx writer in the package passes each cell value
through :func:`safe_cell` (``tests/test_xlsx_safety.py`` finds the writers and checks each).

Formula injection (OWASP "CSV Injection"): text a user typed (a roster name, a refused value in an
error list) that starts with ``=``, ``+``, ``-``, ``@`` — or with a tab, carriage return or line
feed before one of those, the tricks that hide the formula from a reviewer — becomes a live formula
when a spreadsheet program reads or re-enters it.  openpyxl stores every ``str`` starting with
``=`` as a formula.  :func:`safe_cell` prefixes such text with an apostrophe (OWASP's advice), so
the cell holds plain text and shows what was typed.  Numbers, dates and booleans are returned as
they are (a negative amount stays a number).

Control characters (U+0000–U+001F except tab, LF, CR) cannot be stored in an xlsx at all
(openpyxl raises ``IllegalCharacterError``, so an error list about such a cell was never written):
each is replaced by U+FFFD so the rest of the text still reaches the reader.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
"""Leading characters a spreadsheet program may read as the start of a formula (full-width forms
included: some input methods turn them into the ASCII ones on re-entry)."""

_HIDING = "\t\r\n "
"""Characters OWASP lists as hiding a trigger behind them (tab, CR); LF and space likewise."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an xlsx cannot hold (the ones openpyxl's ``ILLEGAL_CHARACTERS_RE`` refuses)."""

REPLACEMENT = "\ufffd"


def safe_cell(value):
    """``value`` as it may be written into a cell: text neutralised, anything else unchanged."""
    if not isinstance(value, str):
        return value
    text = CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    if text.lstrip(_HIDING).startswith(FORMULA_TRIGGERS) or text.startswith(("\t", "\r")):
        return "'" + text
    return text


def safe_row(values) -> list:
    """:func:`safe_cell` of each value, for ``worksheet.append``."""
    return [safe_cell(v) for v in values]

"""Filled forms opened and saved by an office suite still import with the same results.

The real LibreOffice (installed by package name: Makefile ``office-deps``) re-saves filled
forms (``soffice --headless --convert-to xlsx``); importing the re-saved files into a copy of
the store that already holds the originals finds every 街镇 "未变化" (the normalised
submission has the same hash), and the parsed submissions are equal field by field.
The forms' wrapped text is shown in full when LibreOffice prints them.
"""

from __future__ import annotations

import re
import shutil

import pytest

from toolkit.reports.export.office import convert_all

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def resaved(small_store, tmp_path_factory):
    forms = sorted((small_store.parent / "forms" / "2019").glob("*.xlsx"))
    assert len(forms) >= 4
    out = tmp_path_factory.mktemp("libreoffice")
    return list(zip(forms, convert_all(forms, "xlsx", out)))


def test_forms_resaved_by_libreoffice_import_unchanged(small_store, resaved, tmp_path):
    import datetime as dt

    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import read_form
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.store.rounds import load_context

    ctx = load_context(st.open_store(small_store), "2019", today=dt.date(2019, 12, 20))
    for original, copy in resaved:
        assert copy.read_bytes() != original.read_bytes()      # LibreOffice really rewrote it
        before, problems_before = read_form(original, ctx)
        after, problems_after = read_form(copy, ctx)
        assert problems_before == [] and problems_after == [], problems_after[:3]
        before.source = after.source = ""
        before.where = after.where = {}
        assert after == before, original.name
    store = tmp_path / "copy.sqlite"
    shutil.copyfile(small_store, store)
    records = import_files(str(store), "2019", [c for _, c in resaved], imported_by="测试",
                           today=dt.date(2019, 12, 20))
    assert [r.action for r in records] == ["未变化"] * len(resaved)


def test_forms_print_their_wrapped_text_in_full(resaved, tmp_path):
    """LibreOffice prints the item sheets with every 检查内容 and 评分标准 complete (rows tall
    enough for their wrapped text; a cut row would lose the end of its text)."""
    from openpyxl import load_workbook

    from pdf_checks import page_texts, printed_in_full, words_by_page
    from toolkit.inspections.forms.forms import FIRST_ROW, ITEM_HEADERS

    original = resaved[0][0]
    (pdf,) = convert_all([original], "pdf", tmp_path)
    printed = re.sub(r"\s+", "", "".join(page_texts(pdf, layout=False)))
    book = load_workbook(original)
    columns = [ITEM_HEADERS.index("检查内容") + 1, ITEM_HEADERS.index("评分标准") + 1]
    texts = [str(ws.cell(r, c).value) for ws in book.worksheets if ws.cell(3, 1).value == ITEM_HEADERS[0]
             for r in range(FIRST_ROW, ws.max_row + 1) for c in columns if ws.cell(r, c).value]
    assert len(texts) > 30 and any(len(t) > 30 for t in texts)
    pages = words_by_page(pdf)
    missing = [t for t in texts if not any(printed_in_full(t, words, printed) for words in pages)]
    assert not missing, missing[:5]

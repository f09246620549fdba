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


@pytest.fixture(scope="module")
def printed(resaved, tmp_path_factory):
    """The first blank form as LibreOffice prints it (PDF)."""
    original = resaved[0][0]
    (pdf,) = convert_all([original], "pdf", tmp_path_factory.mktemp("printed"))
    return original, pdf


def test_every_signature_line_prints_on_one_line_with_room_to_sign(printed):
    """检查人员签字 / 被检查单位负责人签字 / 日期 on every sheet that carries them: each label whole on one
    printed line (not wrapped in the narrow first column, not cut at a repeated column), with a box
    beside it that prints at least 6 cm wide to sign in."""
    from openpyxl import load_workbook

    from pdf_checks import words_by_page
    from toolkit.inspections.forms.forms import SIGNATURES
    from toolkit.sheets import column_width, print_scale, width_mm

    original, pdf = printed
    book = load_workbook(original)
    labels = [f"{label}：" for label in SIGNATURES]
    signed = [ws for ws in book.worksheets if any(c.value == labels[0] for row in ws.iter_rows() for c in row)]
    assert len(signed) == len(book.sheetnames) - 1           # every sheet but 说明
    for ws in signed:
        for cell in (c for row in ws.iter_rows() for c in row if c.value in labels):
            after = _merged_to(ws, cell.row, cell.column) + 1
            last = _merged_to(ws, cell.row, after)
            box_mm = width_mm(sum(column_width(ws, c) for c in range(after, last + 1))) * print_scale(ws)
            assert box_mm >= 60, (ws.title, cell.value, box_mm)
    lines = []
    for words in words_by_page(pdf):
        rows: dict[int, list] = {}
        for word in words:
            rows.setdefault(round(word.y0), []).append(word)
        lines += ["".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows.values()]
    for label in labels:
        assert sum(label in line for line in lines) == len(signed), (label, [ln for ln in lines if label[:2] in ln])


def _merged_to(ws, row: int, column: int) -> int:
    """The last column of the merged range that starts at (row, column), or column itself."""
    return next((r.max_col for r in ws.merged_cells.ranges if (r.min_row, r.min_col) == (row, column)), column)


def test_forms_print_their_wrapped_text_in_full(resaved, printed):
    """LibreOffice prints the item sheets with every 检查内容 and 评分标准 complete (rows tall
    enough for their wrapped text; a cut row would lose the end of its text)."""
    from openpyxl import load_workbook

    from pdf_checks import page_texts, printed_in_full, words_by_page
    from toolkit.inspections.forms.forms import FIRST_ROW, ITEM_HEADERS

    original, pdf = printed
    flat = re.sub(r"\s+", "", "".join(page_texts(pdf, layout=False)))
    book = load_workbook(original)
    columns = [ITEM_HEADERS.index("检查内容") + 1, ITEM_HEADERS.index("评分标准") + 1]
    texts = [str(ws.cell(r, c).value) for ws in book.worksheets if ws.cell(3, 1).value == ITEM_HEADERS[0]
             for r in range(FIRST_ROW, ws.max_row + 1) for c in columns if ws.cell(r, c).value]
    assert len(texts) > 30 and any(len(t) > 30 for t in texts)
    pages = words_by_page(pdf)
    missing = [t for t in texts if not any(printed_in_full(t, words, flat) for words in pages)]
    assert not missing, missing[:5]

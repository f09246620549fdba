"""The fast form reader sees the same values openpyxl does, so messages do not depend on the reader."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from toolkit.inspections.forms.workbook_values import WorkbookValues


def test_values_and_merged_ranges_match_openpyxl(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "低保档案材料核查表"
    ws["B2"], ws["C2"], ws["D2"], ws["E2"], ws["F2"] = 8, 0.8, date(2019, 5, 1), " 是　", True
    ws["C4"] = datetime(2019, 5, 1, 10, 30)
    ws.merge_cells("H4:H5")
    path = tmp_path / "form.xlsx"
    wb.save(path)

    values = WorkbookValues(path)
    sheet = values["低保档案材料核查表"]
    values.close()
    reference = load_workbook(path, data_only=True)["低保档案材料核查表"]
    for row in range(1, 7):
        for column in range(1, 10):
            expected = reference.cell(row=row, column=column).value
            got = sheet.value(row, column)
            assert got == expected and type(got) is type(expected), (row, column, got, expected)
    assert values.sheetnames == ["低保档案材料核查表"]
    assert sheet.merged == ["H4:H5"]


def test_used_extent_ignores_empty_styled_cells_and_follows_cells_without_references():
    from toolkit.inspections.forms.workbook_values import used_extent

    stop = (1000, 64)
    plain = b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="AE40" s="2"/></row></sheetData>'
    assert used_extent(plain, stop) == (40, 31)                     # fast path: every reference counted
    far_empty = plain.replace(b"AE40", b"XFD1048576")
    assert used_extent(far_empty, stop) == (1, 1)                   # an empty styled cell holds nothing
    unreferenced = b'<row r="2000"><c><v>1</v></c></row>'
    assert used_extent(unreferenced, stop) == (2000, 1)
    prefixed = b'<x:row r="3"><x:c r="B3"><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>'
    assert used_extent(prefixed, stop) == (3, 3)
    four_letters = b'<row r="1"><c r="AAAA1"><v>1</v></c></row>'
    assert used_extent(four_letters, stop)[1] > 16384


def test_a_sheet_the_workbook_does_not_locate_is_checked_in_every_worksheet_part(tmp_path):
    import zipfile

    from toolkit.inspections.forms.workbook_values import SheetTooLarge, check_used_range, sheet_parts

    wb = Workbook()
    wb.active.title = "表一"
    wb.create_sheet("表二")["XFD2000"] = "x"
    path = tmp_path / "two.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        assert list(parts) == ["表一", "表二"]
        check_used_range(archive, parts, "表一")                      # located: only its own part
        with pytest.raises(SheetTooLarge, match="XFD2000"):
            check_used_range(archive, {}, "表一")                     # not located: every part checked
        with pytest.raises(SheetTooLarge, match="XFD2000"):
            check_used_range(archive, {"表一": parts["表一"] + parts["表二"]}, "表一")   # named twice

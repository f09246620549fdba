"""The reports as an official prints them: every district 报告.docx of the sample city and the
city summary, rendered by the real LibreOffice to PDF, measured page by page.

- the body (before 附件1) is at most 10 pages;
- no table column is squeezed to one character per line (PDF text positions, and the docx
  column widths against the longest unbreakable word of each column);
- every table that runs onto another page repeats its header row there;
- East Asian text is tagged zh-CN and the fonts are 公文 fonts that fall back to Noto CJK SC.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pdf_checks import narrow_docx_columns, one_char_stacks, page_texts, words_by_page
from toolkit.reports.export.office import ALIASES, convert_all, fontconfig_file

pytestmark = pytest.mark.slow
MAX_BODY_PAGES = 10
ANNEX = re.compile(r"^\s*附件\s*1\s*$", re.M)


@pytest.fixture(scope="module")
def sample_city(tmp_path_factory):
    """The sample city of ``jiuzhu demo`` (8 districts, 7–11 街镇 each), its reports and PDFs."""
    from toolkit.cli import main
    from toolkit.reports.compose.inspection_round import run_round_reports

    base = tmp_path_factory.mktemp("sample-city")
    assert main(["sample-data", "--out", str(base / "data"), "--seed", "1"]) == 0  # as README says
    store = base / "data" / "jiuzhu.sqlite"
    summary = run_round_reports(str(store), "2019", out=base / "reports", workers=2, formats=("docx", "xlsx", "pdf"),
                                issue_date="2019-12-23", progress=False)
    assert not summary.failures, [r.failure.describe() for r in summary.failures]
    docs = sorted((base / "reports" / "2019").glob("*/报告.docx"))
    pdfs = convert_all(docs, "pdf", base / "pdf")
    return list(zip(docs, pdfs))


def _body_pages(texts: list[str]) -> int:
    annex = next(i for i, page in enumerate(texts) if ANNEX.search(page))
    return annex  # pages before the one where 附件1 starts


def test_every_report_body_fits_ten_pages_before_the_annex(sample_city):
    assert len(sample_city) == 9  # 8 districts and the summary
    for docx, pdf in sample_city:
        texts = page_texts(pdf)
        body = _body_pages(texts)
        assert 2 <= body <= MAX_BODY_PAGES, f"{docx.parent.name}: {body} body pages"
        body_text = "".join(texts[:body])
        assert "四、整改要求" in body_text and "三、存在问题" in body_text
        assert re.search(r"督导检查组\s*\n(.*\n)*?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", body_text), docx.parent.name


def test_no_table_column_wraps_one_character_per_line(sample_city):
    for docx, pdf in sample_city:
        for number, words in enumerate(words_by_page(pdf), start=1):
            stacks = one_char_stacks(words)
            assert not stacks, f"{docx.parent.name} page {number}: {stacks[:3]}"


def test_report_pdf_is_the_word_document_as_printed(sample_city):
    """report.pdf is LibreOffice's print of 报告.docx: the same pages, text and page numbers, fonts embedded."""
    for docx, pdf in sample_city:
        filed = docx.parent / "report.pdf"
        assert page_texts(filed) == page_texts(pdf), docx.parent.name
        assert re.search(r"—\s*1\s*—", page_texts(filed)[0])
        fonts = subprocess.run(["pdffonts", str(filed)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), fonts     # every font embedded


def test_docx_columns_are_wide_enough_for_their_longest_word(sample_city):
    for docx, _pdf in sample_city:
        assert not narrow_docx_columns(docx), (docx.parent.name, narrow_docx_columns(docx))


def test_tables_repeat_their_header_row_on_every_page(sample_city):
    from docx import Document

    for docx, pdf in sample_city:
        tables = Document(str(docx)).tables
        for table in tables:
            assert table.rows[0]._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
        headers = [[c.text for c in t.rows[0].cells] for t in tables]
        continued = 0
        for number, text in enumerate(page_texts(pdf)[1:], start=2):
            lines = [ln for ln in text.splitlines() if ln.strip() and ln.strip() != "示例数据"
                     and not re.match(r"\s*[表图]\s*\d+\s", ln)]      # a caption starts a table
            first = lines[0] if lines else ""
            if not re.search(r"\S\s{2,}\S", first):       # the page starts with text, not a table
                continue
            continued += 1
            cells = first.split()
            assert any(cells[0] == h[0] and h[1][:2] in first for h in headers), \
                f"{docx.parent.name} page {number} starts a table without its header: {first.strip()[:60]}"
        assert continued, f"{docx.parent.name}: no table ran onto a second page (nothing was checked)"


def test_the_checker_finds_a_column_squeezed_to_one_character(tmp_path):
    """The measurement above can fail: a 0.6 cm column of Chinese text is caught."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Cm(0.6), Cm(10)
    for row in table.rows:
        row.cells[0].text, row.cells[1].text = "街道名称很长", "说明"
        row.cells[0].width, row.cells[1].width = Cm(0.6), Cm(10)
    source = tmp_path / "窄列.docx"
    document.save(str(source))
    (pdf,) = convert_all([source], "pdf", tmp_path)
    assert any(one_char_stacks(words) for words in words_by_page(pdf))


def test_east_asian_text_is_chinese_and_office_font_names_fall_back_to_noto_sc(sample_city, tmp_path):
    from docx import Document

    docx = Document(str(sample_city[0][0]))
    styles = docx.styles.element.xml
    assert 'w:eastAsia="zh-CN"' in styles and 'w:eastAsia="en-US"' not in styles
    body = docx.element.xml
    for font in ("方正小标宋简体", "黑体", "楷体", "仿宋", "宋体"):
        assert f'w:eastAsia="{font}"' in body + styles, font
    conf = fontconfig_file(tmp_path)
    for target, names in ALIASES.items():
        for name in names:
            pattern = re.sub(r"([-:,\\])", r"\\\1", name)          # fontconfig pattern syntax
            found = subprocess.run(["fc-match", "-f", "%{family[0]}", pattern], capture_output=True, text=True,
                                   env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}).stdout
            assert found == target, (name, found)  # Noto ... CJK SC, never the JP face


def test_the_inspection_team_signs_in_full(sample_city):
    from docx import Document

    for docx, _pdf in sample_city:
        if docx.parent.name == "全市汇总":
            continue
        paragraphs = [p.text for p in Document(str(docx)).paragraphs]
        members = next(p for p in paragraphs if p.startswith("检查组成员："))
        assert "*" not in members and len(members) > len("检查组成员：") + 1


def test_every_report_and_its_rectification_list_print_conformant(sample_city, tmp_path):
    """The conformance check (page size and margins, smallest text, page numbers, body pages,
    落款, no program text) on each 报告.docx, its report.pdf and its 整改清单 as printed."""
    from toolkit.reports.export.conformance import check

    books = [docx.parent / "整改清单.xlsx" for docx, _pdf in sample_city]
    printed = dict(zip(books, convert_all(books, "pdf", tmp_path)))
    for docx, pdf in sample_city:
        name = docx.parent.name
        for result in (check(pdf, f"{name} 报告.docx", "docx", MAX_BODY_PAGES),
                       check(docx.parent / "report.pdf", f"{name} report.pdf", "docx", MAX_BODY_PAGES),
                       check(printed[docx.parent / "整改清单.xlsx"], f"{name} 整改清单", "xlsx")):
            assert result.problems == [], (result.document, result.problems)


def test_every_town_list_form_plan_and_error_list_of_the_sample_city_prints_conformant(sample_city, tmp_path):
    """The rest of what `make demo`'s supervision and report stages write, printed by LibreOffice in
    one run: each 街镇's own 整改清单 (all of them), the 互检计划 of both rounds, the filled forms of
    one district and the form with the most case files, a blank form, and the demo's import error list.
    A blank form prints every block of its case-file sheet (every row on each block's pages)."""
    from toolkit.demo.inspections_demo import rejected_form
    from toolkit.inspections.forms.commands import write_forms
    from toolkit.reports.export.conformance import check

    base = sample_city[0][0].parents[3]
    store = base / "data" / "jiuzhu.sqlite"
    towns = sorted((base / "reports" / "2019").glob("*/整改清单（*）.xlsx"))
    forms = sorted((base / "data" / "forms" / "2019").glob("*.xlsx"))
    district = forms[0].name.split("_")[1]
    largest = max(forms, key=lambda p: p.stat().st_size)
    chosen = sorted({*(p for p in forms if f"_{district}_" in p.name), largest})
    blank = write_forms(store, "2019", tmp_path / "blank", [district])[0]
    errors = rejected_form(store, forms[0], tmp_path / "returned", print)      # as `make demo` shows it
    books = [*towns, *sorted((base / "data" / "plans").glob("*/plan.xlsx")), *chosen, blank, errors]
    assert len(towns) == 74 and len(chosen) >= 5
    printed = dict(zip(books, convert_all(books, "pdf", tmp_path / "pdf")))
    failed = {str(p.relative_to(base) if base in p.parents else p.name): r.problems
              for p, r in ((p, check(pdf, p.name, "xlsx", file_names=p == errors)) for p, pdf in printed.items())
              if r.problems}
    assert not failed, failed
    texts = page_texts(printed[blank])
    cases = [t for t in texts if "档案编号" in t and "检查项目" not in t]
    from openpyxl import load_workbook

    sheet = load_workbook(blank).worksheets[-1]
    ids = [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1) if str(sheet.cell(r, 1).value or "").startswith("A")]
    blocks = sum(ids[0] in t for t in cases)
    assert blocks >= 2 and sum(ids[-1] in t for t in cases) == blocks, (blocks, ids[-1])

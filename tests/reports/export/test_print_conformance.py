"""The print conformance check (``toolkit.reports.export.conformance``) on documents rendered by the real
LibreOffice: what our exporters write passes; a document that breaks each rule is caught.

The demo's own documents are checked where they are made: the district reports and report.pdf
in test_office_render.py, the 整改情况通报 in test_rectification_report.py; the table in
docs/print-conformance.md comes from ``tools/print_conformance.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from toolkit.reports.export.conformance import check
from toolkit.reports.export.office import convert_all

pytestmark = pytest.mark.slow
LONG = "抽查 50 份档案中 2 份公示不足 7 天，公示照片未存档，" * 3


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Our Word document and workbook, and a bad one of each, printed in one LibreOffice run."""
    from docx import Document
    from docx.shared import Pt
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from toolkit.reports.export.document import ReportDocument

    folder = tmp_path_factory.mktemp("conformance")
    doc = ReportDocument("东湖区社会救助管理服务质量整改情况通报", subtitle="（2019年度督导检查）")
    doc.addressees("各街道办事处、镇人民政府")
    for n in range(15):                      # three pages: odd and even page numbers
        doc.paragraph(f"第 {n + 1} 段。" + LONG)
    doc.table(pd.DataFrame({"街镇": ["甲街道", "乙街道"], "问题": [LONG, "无"],
                            "整改期限": [dt.date(2019, 1, 21), dt.date(2019, 12, 2)]}), caption="各街镇问题")
    doc.annex_note(["逾期未完成问题清单", "反弹问题清单"])
    doc.signature(["东湖区民政局", "2019年12月13日"])
    doc.imprint("市民政局社会救助处，区人民政府办公室，区纪委监委驻区民政局纪检监察组，区审计局", "东湖区民政局办公室",
                "2019年12月13日")
    frame = pd.DataFrame({f"列{n}": [LONG, "是", dt.date(2019, 12, 2)] for n in range(20)})
    doc.sheet("宽表.xlsx", "宽表", frame, lines=["二十列长文字的表格"])
    good_docx, good_xlsx = doc.save(folder, "docx,xlsx")

    bad = Document()
    for n in range(3):
        run = bad.add_paragraph().add_run("请运行 jiuzhu course release m01_means_test，于 2019-01-21 前完成；" + LONG)
        run.font.size = Pt(7)
    bad_docx = folder / "不合格.docx"
    bad.save(str(bad_docx))
    book = Workbook()
    ws = book.active
    for col in range(1, 31):
        ws.cell(1, col, "表头").font = Font(bold=True)
        ws.cell(2, col, LONG)
    ws.cell(3, 1, dt.date(2019, 12, 10)).number_format = 'yyyy"年"m"月"d"日"'
    ws.column_dimensions["A"].width = 6      # a date in a column too narrow for it prints as ###
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    bad_xlsx = folder / "一页宽.xlsx"
    book.save(bad_xlsx)                      # openpyxl directly: none of toolkit.sheets' set-up
    pdfs = convert_all([good_docx, good_xlsx, bad_docx, bad_xlsx], "pdf", folder / "pdf")
    return dict(zip(["good_docx", "good_xlsx", "bad_docx", "bad_xlsx"], pdfs))


def test_our_word_document_conforms(printed):
    from pdf_checks import page_texts

    result = check(printed["good_docx"], "通报", "docx", max_body_pages=4)
    assert result.problems == [] and 3 <= result.pages <= 4 and result.smallest_pt >= 10
    texts = [text.replace(" ", "") for text in page_texts(printed["good_docx"])]
    first = [ln.strip() for ln in texts[0].splitlines() if ln.strip()]
    # 主送机关 under the title, flush left, before the body; dates in a table in Chinese
    assert first[first.index("（2019年度督导检查）") + 1] == "各街道办事处、镇人民政府："
    table = re.sub(r"\s", "", "".join(texts))
    assert "2019年12月2日" in table and "2019-" not in table
    # 版记 after the 落款 on the last page: 抄送 (ending 。) and 印发机关 with 印发日期
    last = [ln.strip() for ln in texts[-1].splitlines() if ln.strip()]
    signed = last.index("东湖区民政局")
    assert last[signed + 2].startswith("抄送：市民政局社会救助处")
    imprint = next(ln for ln in last[signed:] if ln.endswith("印发"))
    assert imprint.startswith("东湖区民政局办公室") and imprint.endswith("2019年12月13日印发")
    assert check(printed["good_docx"], "通报", "docx", max_body_pages=2).problems == [f"正文 {result.pages} 页，超过 2 页"]


def test_our_wide_workbook_prints_at_nine_points_or_more(printed):
    result = check(printed["good_xlsx"], "宽表", "xlsx")
    assert result.problems == [] and result.smallest_pt >= 9


def test_a_bad_word_document_is_caught_on_every_rule(printed):
    problems = "\n".join(check(printed["bad_docx"], "bad", "docx").problems)
    assert "纸张不是 A4" in problems and "最小文字 7 磅" in problems
    assert "jiuzhu" in problems and "m01_means_test" in problems and "2019-01-21" in problems
    assert "页码格式或位置不符" in problems and "没有落款" in problems


def test_a_workbook_fit_to_one_page_wide_is_caught_unreadable(printed):
    problems = check(printed["bad_xlsx"], "bad", "xlsx").problems
    assert any(p.startswith("最小文字") for p in problems) and any("页码" in p for p in problems)
    assert any("印成 ###" in p for p in problems)


def test_the_tool_writes_the_table(printed, tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools"))
    import print_conformance

    root = tmp_path / "demo"
    (root / "2019" / "东湖区").mkdir(parents=True)
    for source, name in ((printed["good_docx"], "report.pdf"),):
        (root / "2019" / "东湖区" / name).write_bytes(Path(source).read_bytes())
    out = tmp_path / "table.md"
    assert print_conformance.main([str(root), "--out", str(out), "--check"]) == 0
    table = out.read_text(encoding="utf-8")
    assert "| 2019/东湖区/report.pdf | " in table and table.rstrip().endswith("| 无 |")

"""HTML, Word and Excel exports, inspected the way a reader would (no kernel needed)."""

from __future__ import annotations

import datetime as dt
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from toolkit import SAMPLE_MARK  # noqa: E402
from toolkit import fonts  # noqa: E402
from toolkit.reports.export.document import DOCX_NAME, ReportDocument  # noqa: E402
from toolkit.reports.export.export_html import external_references, notebook_to_html  # noqa: E402


def _executed_notebook():
    nb = new_notebook()
    params = new_code_cell('district = "东湖区"  # 秘密参数')
    params.metadata["tags"] = ["parameters"]
    code = new_code_cell("print('检查结果')\nSECRET_CODE = 1")
    code.outputs = [new_output("stream", name="stdout", text="检查结果\n"),
                    new_output("stream", name="stderr", text="UserWarning: 内部警告\n"),
                    new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                     "text/plain": "<Figure>"})]
    nb.cells = [params, new_markdown_cell("## 一、基本情况"), code]
    return nb


def test_html_has_outputs_but_no_code_stderr_or_external_urls():
    page = notebook_to_html(_executed_notebook(), title="东湖区报告", sample=True)
    assert "一、基本情况" in page and "检查结果" in page
    assert "SECRET_CODE" not in page and "秘密参数" not in page
    assert "内部警告" not in page
    assert SAMPLE_MARK in page
    assert "data:image/png;base64" in page
    assert external_references(page) == []
    assert "require.js" not in page and "mathjax" not in page.lower()


def test_external_reference_detector_finds_cdn_scripts_and_fonts():
    page = ('<script src="https://cdn.example.org/require.js"></script>'
            '<style>@font-face{src:url(https://fonts.example.org/a.woff)}</style>'
            '<a href="#top">上</a><img src="data:image/png;base64,AAAA">')
    assert external_references(page) == ["https://cdn.example.org/require.js",
                                          "https://fonts.example.org/a.woff"]


def _sample_document():
    fonts.use_cjk_font(warn=False)
    doc = ReportDocument("东湖区社会救助督导检查报告", subtitle="示例轮次", sample=True)
    doc.heading("一、基本情况")
    doc.paragraph("本轮检查 2 个街镇。")
    doc.table(pd.DataFrame({"街镇": ["甲街道", "乙镇"], "得分率": [91.24, float("nan")]}),
              caption="各街镇得分")
    fig, ax = plt.subplots()
    ax.bar(["甲街道", "乙镇"], [91, 80])
    doc.figure(fig, caption="各街镇得分率")
    doc.heading("二、主要做法和成效")
    doc.bullets(["受理及时"])
    doc.sheet("整改清单.xlsx", "整改清单",
              pd.DataFrame({"问题": ["缺少签字"], "截止日期": [dt.date(2025, 3, 14)],
                            "期限（工作日）": [10]}),
              lines=["东湖区整改清单", "期限：严重 10 个工作日"])
    return doc


def test_docx_has_official_headings_real_tables_pictures_and_mark(tmp_path):
    from docx import Document

    written = _sample_document().save(tmp_path, "docx,xlsx")
    assert sorted(p.name for p in written) == sorted([DOCX_NAME, "整改清单.xlsx"])
    docx = Document(str(tmp_path / DOCX_NAME))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、基本情况", "二、主要做法和成效"]
    assert docx.paragraphs[0].text == "东湖区社会救助督导检查报告"
    assert any(SAMPLE_MARK in p.text for p in docx.paragraphs)
    assert SAMPLE_MARK in docx.sections[0].header.paragraphs[0].text
    assert len(docx.tables) == 1
    rows = [[c.text for c in row.cells] for row in docx.tables[0].rows]
    assert rows == [["街镇", "得分率"], ["甲街道", "91.2"], ["乙镇", "—"]]
    assert len(docx.inline_shapes) == 1
    captions = [p.text for p in docx.paragraphs if p.text.startswith(("表", "图"))]
    assert captions == ["表1　各街镇得分", "图1　各街镇得分率"]


def test_xlsx_has_title_mark_header_and_typed_cells(tmp_path):
    from openpyxl import load_workbook

    _sample_document().save(tmp_path, "xlsx")
    assert not (tmp_path / DOCX_NAME).exists()
    book = load_workbook(tmp_path / "整改清单.xlsx")
    assert book.sheetnames == ["整改清单"]
    ws = book["整改清单"]
    column_a = [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert column_a == ["东湖区整改清单", SAMPLE_MARK, "期限：严重 10 个工作日", "问题", "缺少签字"]
    assert ws.cell(row=4, column=2).value == "截止日期"
    assert ws.cell(row=5, column=2).value == dt.datetime(2025, 3, 14)
    assert ws.cell(row=5, column=3).value == 10
    assert ws.freeze_panes == "A5"


def test_cjk_font_configured_when_installed():
    name = fonts.find_cjk_font()
    if name is None:
        pytest.skip("no CJK font installed on this machine")
    assert fonts.use_cjk_font() == name
    assert matplotlib.rcParams["font.sans-serif"][0] == name


def test_missing_cjk_font_gives_clear_warning(monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fonts.use_cjk_font() is None
    assert any("fonts-noto-cjk" in str(w.message) for w in caught)


TABLE_CASES = [   # rows of the frame, as written; each row after the first is a copy of the first
    ("none", []),
    ("one", [["甲镇", "1.5", "有问题"]]),
    ("many", [["甲镇", "1.5", "第一行\n第二行"], ["乙镇", "", "有\t制表"], ["丙镇", "—", " 前后空格 "]]),
]


@pytest.mark.parametrize("rows", [c[1] for c in TABLE_CASES], ids=[c[0] for c in TABLE_CASES])
def test_docx_table_rows_keep_their_text_font_and_layout(tmp_path, rows):
    import docx
    from docx.oxml.ns import qn

    from toolkit.reports.export.export_docx import TABLE_FONT, write_docx

    frame = pd.DataFrame(rows, columns=["街镇", "得分", "问题"]) if rows else pd.DataFrame(columns=["街镇", "得分", "问题"])
    path = write_docx(tmp_path / "t.docx", [{"kind": "table", "frame": frame}], title="表")
    table = docx.Document(str(path)).tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [["街镇", "得分", "问题"], *rows]
    for index, row in enumerate(table.rows):
        props = row._tr.trPr
        assert props.find(qn("w:cantSplit")) is not None
        assert (props.find(qn("w:tblHeader")) is not None) == (index == 0)
        assert [c.width for c in row.cells] == [c.width for c in table.columns]
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                assert run.font.bold == (index == 0)
                assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == TABLE_FONT

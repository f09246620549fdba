"""整改情况通报: the real 2018 整改清单 filled in and imported, 2019's report marks 反弹.

``loop_store`` (conftest): round 2018's district report writes 东湖区's 整改清单.xlsx (a real
kernel), every problem is filled in as 已整改 except one that 2019 finds again (整改中), and it is
imported; the tests run the 整改情况通报 for 2019.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from toolkit import SAMPLE_MARK

DISTRICT = "东湖区"     # conftest.LOOP_DISTRICT: the district whose 2018 整改清单 was returned
ISSUED_2019 = "2019-12-23"
pytestmark = pytest.mark.slow     # a kernel writes the 2018 整改清单

HEADINGS = ["一、总体情况", "二、完成情况", "三、存在的问题", "四、下一步要求"]


def test_recurrence_marked_for_every_problem_fixed_in_2018_and_found_again_in_2019(loop_store):
    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.rectification.rectification_status import problem_status, recurrences

    before = problem_status(loop_store, "2018", DISTRICT, as_of=dt.date(2019, 3, 1))
    fixed = {(r.街镇, r.检查项) for r in before.itertuples() if r.完成情况 == "已整改"}
    again = {(r.unit, r.item_id) for r in load_findings(loop_store, "2019", DISTRICT).itertuples()}
    expected = fixed & again
    assert expected, "the fixture's two rounds share findings in 东湖区"
    marked = recurrences(loop_store, "2019", "2018")
    assert {(r.街镇, r.检查项) for r in marked.itertuples()} == expected
    assert set(marked["标记"]) == {"反弹"}
    in_progress = {(r.街镇, r.检查项) for r in before.itertuples() if r.完成情况 == "整改中"}
    assert in_progress & again, "the fixture leaves a problem that 2019 finds again 整改中"
    assert not in_progress & {(r.街镇, r.检查项) for r in marked.itertuples()}   # only 已整改 can 反弹


@pytest.fixture(scope="module")
def report_run(loop_store, tmp_path_factory):
    from toolkit.reports.compose.rectification_round import run_rectification_report

    out = tmp_path_factory.mktemp("rect-report")
    return run_rectification_report(str(loop_store), "2019", out=out, as_of="2020-03-02", issued=ISSUED_2019,
                                    previous_round="2018", progress=False)


def test_report_renders_html_docx_xlsx_with_structure_signature_and_annexes(report_run):
    from docx import Document
    from openpyxl import load_workbook

    from toolkit.reports.export.export_html import external_references

    assert not report_run.failures, [r.failure.describe() for r in report_run.failures]
    folder = report_run.out_dir / "全市"
    assert {p.name for p in folder.iterdir()} >= {"report.ipynb", "report.html", "报告.docx", "整改情况.xlsx",
                                                  "各问题整改情况.xlsx"}
    docx = Document(str(folder / "报告.docx"))
    assert [p.text for p in docx.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    assert docx.paragraphs[0].text == "社会救助管理服务质量整改情况通报"
    assert docx.paragraphs[1].text == "（2019年度督导检查，统计截至2020年3月2日）"
    assert SAMPLE_MARK in docx.sections[0].header.paragraphs[0].text
    # one table in the body (the districts), the long lists in the annex workbook
    assert len(docx.tables) == 1 and [c.text for c in docx.tables[0].rows[-1].cells][0] == "全市"
    body = "\n".join(p.text for p in docx.paragraphs)
    # nothing of 2019 was returned: on 2020-03-02 every problem is past its deadline and counted
    total = int(re.search(r"共发现问题 (\d+) 处", body).group(1))
    assert f"超过完成时限仍未完成的问题 {total} 处" in body and f"共 {total} 处问题已过完成时限仍未报送整改情况" in body
    assert "整改完成率 0.0%" in body and "反弹" in body and "见附件2" in body
    # 附件说明 and 落款: the city's 民政局, the date in Chinese, after the body
    texts = [p.text for p in docx.paragraphs]
    assert texts[-4:] == ["附件：1. 逾期未完成问题清单", "2. 反弹问题清单", "市民政局", "2020年3月2日"] or \
        [t for t in texts if t][-4:] == ["附件：1. 逾期未完成问题清单", "2. 反弹问题清单", "市民政局", "2020年3月2日"]
    assert not re.search(r"轮次|\d{4}-\d{2}-\d{2}|[A-Z]{2}-\d{2}|\.xlsx|jiuzhu", body)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert external_references(page) == [] and "<script" not in page and "import " not in page
    assert SAMPLE_MARK in page and "反弹问题清单" in page and "逾期未完成问题清单" in page
    assert not re.search(r"\d{17}[\dX]", page)
    wb = load_workbook(folder / "整改情况.xlsx")
    assert wb.sheetnames == ["逾期未完成问题清单", "反弹问题清单", "各街镇整改情况"]
    assert load_workbook(folder / "各问题整改情况.xlsx").sheetnames == ["各问题整改情况"]
    overdue = wb["逾期未完成问题清单"]
    assert overdue["A1"].value == "附件1　逾期未完成问题清单" and overdue.max_row - 4 == total
    header = {c.value: c.column_letter for c in overdue[4]}
    assert overdue.column_dimensions[header["问题编号"]].hidden


def test_unknown_district_and_missing_issue_date_fail_before_any_kernel(loop_store, tmp_path, capsys):
    from toolkit.cli import main

    args = ["inspect", "rectification", "report", "--round", "2019", "--store", str(loop_store),
            "--out", str(tmp_path)]
    assert main(args + ["--issued", ISSUED_2019, "--district", "西山区"]) == 2
    assert "没有“西山区”的问题" in capsys.readouterr().err
    assert main(args) == 2
    assert "还没有导入任何整改清单" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_the_notice_and_its_annex_workbook_print_as_an_office_sends_them(report_run, tmp_path):
    """Printed by LibreOffice: the body within four pages with its 落款 and page numbers, the
    annex workbook readable (toolkit.reports.export.conformance)."""
    from toolkit.reports.export.conformance import check
    from toolkit.reports.export.office import convert_all

    folder = report_run.out_dir / "全市"
    notice, annex = convert_all([folder / "报告.docx", folder / "整改情况.xlsx"], "pdf", tmp_path)
    result = check(notice, "整改情况通报", "docx", max_body_pages=4)
    assert result.problems == [] and result.body_pages <= 4, result.problems
    workbook = check(annex, "整改情况.xlsx", "xlsx")
    assert workbook.problems == [] and workbook.smallest_pt >= 9, workbook.problems

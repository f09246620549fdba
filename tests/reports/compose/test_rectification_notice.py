"""整改情况通报 wording: each paragraph only when the figures behind it are there, rates rounded
once from the counts, the 落款 from ``signing`` (small tables of problems, no store)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from toolkit.reports.compose.rectification_report import (
    completion_table, problem_paragraphs, rate_text, rectification_report, summary_paragraphs,
)
from toolkit.inspections.rectification.rectification_status import unit_summary
from toolkit.reports.compose.signing import signing
from toolkit.reports.export.document import ReportDocument

AS_OF = dt.date(2019, 12, 13)


def _problems(rows: list[tuple[str, str, str, str]]):
    """(区, 街镇, 完成情况, 状态) per problem."""
    return pd.DataFrame([{"问题编号": f"P{n}", "区": d, "街镇": u, "完成情况": done, "状态": state, "逾期工作日": 0,
                          "检查项": "TS-01", "问题": "公示不足 7 天", "严重程度": "一般", "完成时限": AS_OF}
                         for n, (d, u, done, state) in enumerate(rows)])


@pytest.mark.parametrize("done, total, shown", [(15, 19, "78.9%"), (100, 124, "80.6%"), (0, 5, "0.0%"),
                                                (3, 3, "100.0%"), (0, 0, "—")])
def test_a_rate_is_rounded_once_from_the_counts(done, total, shown):
    assert rate_text(done, total) == shown


def test_the_rate_in_the_sentence_and_the_table_comes_from_the_counts():
    rows = [("东湖区", "甲街道", "已整改", "按期整改")] * 15 + [("东湖区", "甲街道", "整改中", "整改中")] * 4
    summary = unit_summary(_problems(rows))
    (text,) = summary_paragraphs(summary, "2019", AS_OF)
    assert "2019年度社会救助督导检查共发现问题 19 处。截至2019年12月13日，已整改 15 处" in text
    assert "整改完成率 78.9%" in text and "整改中 4 处" in text
    assert "无法整改" not in text and "未报送" not in text            # only the kinds there are
    table = completion_table(summary, "东湖区")
    assert list(table["完成率"]) == ["78.9%", "78.9%"] and list(table["街镇"]) == ["甲街道", "全区合计"]


DONE = ("东湖区", "甲街道", "已整改", "按期整改")
OVERDUE = ("东湖区", "乙街道", "未报送", "逾期未完成")
CANNOT = ("东湖区", "甲街道", "无法整改", "无法整改")
NOT_DUE = ("东湖区", "丙街道", "未报送", "未报送")            # its deadline has not come yet


@pytest.mark.parametrize("deadlines, as_of, sentence", [
    ([AS_OF, AS_OF + dt.timedelta(days=3)], AS_OF, "另有 2 处问题尚未报送整改情况，均未超过完成时限（最早的完成时限为2019年12月13日）。"),
    # 2026-09-30 passed during the National Day holiday: not yet a working day late, not "未超过完成时限"
    ([dt.date(2026, 9, 30)], dt.date(2026, 10, 3),
     "另有 1 处问题尚未报送整改情况，其中 1 处已过完成时限、逾期尚不足 1 个工作日。"),
    ([dt.date(2026, 9, 30), dt.date(2026, 10, 12)], dt.date(2026, 10, 3),
     "另有 2 处问题尚未报送整改情况，其中 1 处已过完成时限、逾期尚不足 1 个工作日，1 处未超过完成时限"
     "（最早的完成时限为2026年10月12日）。"),
])
def test_problems_not_reported_and_not_overdue_are_said_as_they_stand(deadlines, as_of, sentence):
    frame = _problems([NOT_DUE] * len(deadlines)).assign(完成时限=deadlines)
    paragraphs, needs, _annexes = problem_paragraphs(frame, None, None, as_of)
    assert paragraphs[-1] == sentence and "missing" not in needs


@pytest.mark.parametrize("rows, prev, recurring, expected, absent", [
    ([DONE], None, None, ["本轮整改没有逾期未完成、逾期未报送或报告无法整改的问题。"], ["反弹", "附件", "另有"]),
    # not reported before the deadline: no problem yet, said as such (not asked to report 尽快)
    ([DONE, NOT_DUE, NOT_DUE], None, None, ["本轮整改没有逾期未完成", "另有 2 处问题尚未报送整改情况，均未超过完成时限"
                                            "（最早的完成时限为2019年12月13日）。"], ["（一）", "已过完成时限"]),
    ([DONE], "2018", 0, ["（一）问题反弹。与2018年度督导检查相比，没有发现"], ["附件", "标记为"]),
    ([DONE, OVERDUE], None, None, ["（一）逾期未完成。超过完成时限仍未完成的问题 1 处，涉及 1 个街镇", "明细见附件。",
                                   "（二）未报送整改情况。乙街道（1 处）共 1 处问题已过完成时限仍未报送"], ["反弹", "附件1"]),
    ([DONE, OVERDUE, NOT_DUE], None, None, ["（二）未报送整改情况。乙街道（1 处）共 1 处", "另有 1 处问题尚未报送"],
     ["丙街道"]),
    ([DONE, OVERDUE, CANNOT], "2018", 2, ["（三）报告无法整改。1 处", "（四）问题反弹。", "2 处问题在已报告整改后",
                                          "明细见附件2。", "明细见附件1。"], []),
])
def test_each_problem_paragraph_only_when_the_data_supports_it(rows, prev, recurring, expected, absent):
    recurring_frame = None if recurring is None else _problems([DONE] * recurring)
    paragraphs, _needs, _annexes = problem_paragraphs(_problems(rows), recurring_frame, prev)
    text = "\n".join(paragraphs)
    for part in expected:
        assert part in text, (part, text)
    for part in absent:
        assert part not in text, (part, text)


def test_the_notice_ends_with_its_annex_note_and_the_district_bureaus_signature():
    problems = _problems([DONE, OVERDUE])
    doc = ReportDocument("东湖区整改情况通报")
    rectification_report(doc, problems, unit_summary(problems), None, round_id="2019", as_of=AS_OF,
                         prev_id=None, district="东湖区")
    kinds = [b["kind"] for b in doc.blocks]
    assert kinds[-2:] == ["annex_note", "signature"] and kinds.count("table") == 1
    assert doc.blocks[-2]["titles"] == ["逾期未完成问题清单"]
    assert doc.blocks[-1]["lines"] == ["东湖区民政局", "2019年12月13日"]
    # the annex: its lists and the table of 街镇; every problem in a data workbook not sent with the 通报
    assert [s.name for s in doc.workbooks["整改情况.xlsx"]] == ["逾期未完成问题清单", "各街镇整改情况"]
    (details,) = doc.workbooks["各问题整改情况.xlsx"]
    assert details.name == "各问题整改情况" and len(details.frame) == len(problems) and "不随通报印发" in details.lines[-1]
    assert doc.workbooks["整改情况.xlsx"][0].lines[0] == "附件　逾期未完成问题清单"     # one annex: no number


def test_signing_defaults_and_a_bureau_name_fed_in():
    assert signing(None, AS_OF).lines() == ["市民政局", "2019年12月13日"]
    assert signing("云岭区", AS_OF).office == "云岭区民政局"
    assert signing("云岭区", AS_OF, office="示例市云岭区民政局").lines()[0] == "示例市云岭区民政局"

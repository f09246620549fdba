"""整改清单 returns: read back all-or-nothing, tracked to closure in working days.

The small city's 2019 forms are imported, the 东湖区 整改清单 is written the way the district
report writes it, and the test fills in the 街镇's columns as a 街镇 would.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import date

import pytest

from toolkit.cli import main

ISSUED = date(2019, 9, 2)
TODAY = date(2019, 12, 20)
DISTRICT = "东湖区"


@pytest.fixture(scope="module")
def round_base(small_city_base, tmp_path_factory):
    from toolkit.inspections.intake.importer import import_files

    base = tmp_path_factory.mktemp("rect")
    shutil.copy(small_city_base.store, base / "jiuzhu.sqlite")
    import_files(base / "jiuzhu.sqlite", "2019", small_city_base.forms, imported_by="测试")
    return base / "jiuzhu.sqlite"


@pytest.fixture
def store(round_base, tmp_path):
    shutil.copy(round_base, tmp_path / "jiuzhu.sqlite")
    return tmp_path / "jiuzhu.sqlite"


def write_book(store, folder, district=DISTRICT, issued=ISSUED):
    """The 整改清单.xlsx exactly as the district report writes it (report_body.district_report)."""
    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.rectification.rectification import build_rectification, describe_rules, fill_inputs, load_deadline_rules
    from toolkit.reports.export.document import ReportDocument

    rules = load_deadline_rules()
    plan = build_rectification(load_findings(store, "2019", district), issued, rules, "2019")
    doc = ReportDocument("测试", sample=True)
    doc.sheet("整改清单.xlsx", "整改清单", plan, inputs=fill_inputs(),
              lines=[f"{district}整改清单（2019）", f"整改期限：{describe_rules(rules)}；下发日期 {issued.isoformat()}。"])
    doc.save(folder, "xlsx")
    return folder / "整改清单.xlsx", plan


def fill(path, answers: dict[int, dict]):
    """Write the 街镇's answers into data rows (0-based index among the problems)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 12) if ws.cell(r, 2).value == "问题编号" or
                  any(c.value == "问题编号" for c in ws[r]))
    col = {c.value: c.column for c in ws[header]}
    for index, values in answers.items():
        for name, value in values.items():
            ws.cell(header + 1 + index, col[name]).value = value
    wb.save(path)
    return header


def done(measure="修订公示制度并补正档案", when=date(2019, 10, 10), evidence="公示照片、补正档案清单"):
    return {"整改措施": measure, "完成日期": when, "佐证材料": evidence, "完成情况": "已整改"}


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_then_status_done_in_progress_not_reported(store, tmp_path, capsys):
    from toolkit.inspections.rectification.rectification_status import problem_status, unit_summary

    book, plan = write_book(store, tmp_path / "out")
    assert len(plan) >= 3
    fill(book, {0: done(), 1: {"整改措施": "正在补正档案", "完成情况": "整改中", "说明": "涉及 3 份档案，年底前完成"}})
    assert main(["inspect", "rectification", "import", str(book), "--round", "2019", "--store", str(store),
                 "--today", TODAY.isoformat()]) == 0
    assert "新增" in capsys.readouterr().out
    status = problem_status(store, "2019", DISTRICT, as_of=TODAY).set_index("问题编号")
    first, second = plan["问题编号"][0], plan["问题编号"][1]
    assert status.loc[first, "完成情况"] == "已整改" and status.loc[second, "完成情况"] == "整改中"
    assert (status.drop(index=[first, second])["完成情况"] == "未报送").all()
    summary = unit_summary(problem_status(store, "2019", as_of=TODAY))
    total = summary[(summary["区"] == DISTRICT) & (summary["街镇"] == "全区合计")].iloc[0]
    assert total["问题数"] == len(plan) and total["已整改"] == 1 and total["整改中"] == 1
    assert total["整改完成率"] == round(1 / len(plan), 4)
    assert summary.iloc[-1]["区"] == "全市"
    assert main(["inspect", "rectification", "status", "--round", "2019", "--store", str(store),
                 "--as-of", TODAY.isoformat()]) == 0
    assert "全区合计" in capsys.readouterr().out


def test_overdue_counts_working_days_across_the_national_day_holiday(store, tmp_path):
    """Deadline on 2019-09-30; on 2019-10-08 it is 1 working day overdue (1–7 October are holidays)."""
    from toolkit.inspections.rectification.rectification_returns import import_returns
    from toolkit.inspections.rectification.rectification_status import problem_status
    from toolkit.policy import add_workdays

    # issue the list so that a 严重 (10 working days) deadline lands on Monday 2019-09-30
    issued = add_workdays(date(2019, 9, 30), -10).date
    book, plan = write_book(store, tmp_path / "out", issued=issued)
    import_returns(store, "2019", [book], today=TODAY)
    status = problem_status(store, "2019", DISTRICT, as_of=date(2019, 10, 8)).set_index("问题编号")
    severe = plan[plan["严重程度"] == "严重"]["问题编号"]
    assert len(severe), "the small city has at least one 严重 finding in 东湖区"
    for pid in severe:
        assert status.loc[pid, "完成时限"] == date(2019, 9, 30)
        assert status.loc[pid, "状态"] == "逾期未完成" and status.loc[pid, "逾期工作日"] == 1
    later = problem_status(store, "2019", DISTRICT, as_of=date(2019, 10, 14)).set_index("问题编号")
    assert later.loc[severe.iloc[0], "逾期工作日"] == 6     # 8, 9, 10, 11, 12 (调休 Saturday), 14 October


def test_done_after_the_deadline_is_late_by_working_days(store, tmp_path):
    from toolkit.inspections.rectification.rectification_returns import import_returns
    from toolkit.inspections.rectification.rectification_status import problem_status
    from toolkit.policy import add_workdays

    issued = add_workdays(date(2019, 9, 30), -10).date
    book, plan = write_book(store, tmp_path / "out", issued=issued)
    row = int(plan.index[plan["严重程度"] == "严重"][0])
    fill(book, {row: done(when=date(2019, 10, 9))})
    import_returns(store, "2019", [book], today=TODAY)
    status = problem_status(store, "2019", DISTRICT, as_of=TODAY).set_index("问题编号")
    pid = plan["问题编号"][row]
    assert status.loc[pid, "状态"] == "逾期整改" and status.loc[pid, "逾期工作日"] == 2


BAD_ROWS = [
    ("unknown id", {"问题编号": "2019-TS-01-DEADBEEF", **done()}, "问题编号“2019-TS-01-DEADBEEF”不是轮次 2019"),
    ("unknown status", {"完成情况": "基本完成", "整改措施": "x"}, "完成情况“基本完成”无法识别"),
    ("done without measures", {**done(measure=None)}, "完成情况为“已整改”，但整改措施为空"),
    ("done without evidence", {**done(evidence=None)}, "完成情况为“已整改”，但佐证材料为空"),
    ("done without a date", {**done(when=None)}, "完成情况为“已整改”，但完成日期为空"),
    ("before the report", {**done(when=date(2019, 8, 1))}, "完成日期 2019-08-01 早于整改清单下发日期 2019-09-02"),
    ("in the future", {**done(when=date(2020, 3, 1))}, "完成日期 2020-03-01 晚于今天（2019-12-20）"),
    ("not a date", {**done(when="十月中旬")}, "完成日期“十月中旬”不是有效日期"),
    ("cannot without reason", {"完成情况": "无法整改"}, "完成情况为“无法整改”，但说明为空"),
    ("filled without status", {"整改措施": "已开会部署"}, "已填写整改内容，但完成情况为空"),
]


@pytest.mark.parametrize("case,values,message", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_row_is_refused_with_file_row_column_and_store_unchanged(store, tmp_path, capsys, case, values, message):
    book, _plan = write_book(store, tmp_path / "out")
    header = fill(book, {0: done(), 1: values})
    before = digest(store)
    code = main(["inspect", "rectification", "import", str(book), "--round", "2019", "--store", str(store),
                 "--today", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err
    assert f"整改清单.xlsx 第 {header + 2} 行" in err and "Traceback" not in err
    assert "数据库未作任何修改" in err
    assert digest(store) == before


def test_one_bad_file_refuses_all_and_duplicates_are_named(store, tmp_path, capsys):
    good, _ = write_book(store, tmp_path / "a")
    fill(good, {0: done()})
    twin = tmp_path / "b" / "整改清单.xlsx"
    twin.parent.mkdir()
    shutil.copy(good, twin)
    before = digest(store)
    assert main(["inspect", "rectification", "import", str(good), str(twin), "--round", "2019",
                 "--store", str(store), "--today", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    # both files are called 整改清单.xlsx: messages add the folder
    assert re.search(r"b/整改清单.xlsx 第 \d+ 行“问题编号”列：问题编号“[^”]+”重复（已见于 a/整改清单.xlsx 第 \d+ 行）", err)
    assert digest(store) == before


def test_reimport_replaces_and_is_in_the_audit_trail(store, tmp_path):
    from sqlalchemy import select

    from toolkit.inspections.store import store as st
    from toolkit.inspections.rectification.rectification_returns import import_returns
    from toolkit.inspections.rectification.rectification_status import problem_status

    book, plan = write_book(store, tmp_path / "out")
    fill(book, {0: {"整改措施": "正在整改", "完成情况": "整改中", "说明": "等待材料"}})
    first = import_returns(store, "2019", [book], imported_by="王芳", today=TODAY)
    assert {r.action for r in first} == {"新增"}
    again = import_returns(store, "2019", [book], imported_by="王芳", today=TODAY)
    assert {r.action for r in again} == {"未变化"}
    fill(book, {0: done()})
    third = import_returns(store, "2019", [book], imported_by="李强", today=TODAY)
    assert {r.action for r in third} == {"替换"}
    status = problem_status(store, "2019", DISTRICT, as_of=TODAY).set_index("问题编号")
    assert status.loc[plan["问题编号"][0], "完成情况"] == "已整改"
    engine = st.open_store(store)
    with engine.connect() as conn:
        log = conn.execute(select(st.rectification_imports.c.action, st.rectification_imports.c.imported_by)
                           .order_by(st.rectification_imports.c.id)).all()
        rows = conn.execute(select(st.rectification_returns)).all()
    assert [a for a, _ in log] == ["新增"] * len(first) + ["未变化"] * len(first) + ["替换"] * len(first)
    assert log[-1][1] == "李强"
    assert len(rows) == len(plan)                      # replaced, not added twice


def test_a_sheet_without_issue_date_or_header_is_refused(store, tmp_path, capsys):
    import openpyxl

    book = tmp_path / "空白.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "问题"])
    wb.save(book)
    assert main(["inspect", "rectification", "import", str(book), "--round", "2019", "--store", str(store)]) == 2
    assert "找不到表头“问题编号”" in capsys.readouterr().err


def test_sample_returns_import_and_show_every_outcome(store, tmp_path):
    from toolkit.inspections.rectification.rectification_returns import import_returns
    from toolkit.inspections.rectification.rectification_status import problem_status
    from toolkit.demo.sample_returns import fill_sample_returns

    books = []
    for district in ("东湖区", "云岭区", "梅溪区"):
        book, _plan = write_book(store, tmp_path / district, district=district)
        fill_sample_returns(book, 1, today=TODAY)
        books.append(book)
    import_returns(store, "2019", books, today=TODAY)
    status = problem_status(store, "2019", as_of=TODAY)
    assert status["完成情况"].isin(["已整改", "整改中", "未报送"]).all()
    assert (status["完成情况"] == "已整改").sum() > len(status) / 2

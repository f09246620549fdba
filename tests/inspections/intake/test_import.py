"""Import of filled forms: the happy path, idempotence, replacement, audit trail, and every bad input."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from toolkit.inspections.intake import importer
from toolkit.inspections.store import store as st
from toolkit.inspections.intake.importer import ImportRejected, import_files

TODAY = date(2020, 1, 15)       # the fixtures' "today": 2019 dates are past, 2030 dates are future

CASE_SHEET = "低保档案材料核查表"
TOWN_SHEET = "镇（街道）社会救助管理服务质量检查表"
WINDOW_SHEET = "窗口服务检查表"


def _import(city, paths=None, round_id="2019"):
    return import_files(city.store, round_id, paths or city.forms, imported_by="测试", today=TODAY)


def _edit(path, sheet, cell, value):
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


@pytest.fixture
def rejected(fingerprint):
    def check(city, paths=None, round_id="2019") -> ImportRejected:
        before = fingerprint(city.store)
        with pytest.raises(ImportRejected) as info:
            _import(city, paths, round_id)
        assert fingerprint(city.store) == before, "a rejected import must leave the store unchanged"
        assert info.value.report.exists() and info.value.report.parent == (paths or city.forms)[0].parent
        return info.value
    return check


def test_import_all_then_reimport_is_idempotent_and_audited(city, rejected, fingerprint):
    records = _import(city)
    assert {r.action for r in records} == {"新增"} and len(records) == len(city.forms)
    before = fingerprint(city.store)
    again = _import(city)
    assert {r.action for r in again} == {"未变化"}
    after = fingerprint(city.store)
    assert after["item_results"] == before["item_results"] and after["case_checks"] == before["case_checks"]
    assert after["imports"] == before["imports"] + len(city.forms)      # every attempt is in the audit trail


def test_changed_file_replaces_that_units_results(city, rejected, fingerprint):
    _import(city)
    path = city.forms[0]
    _edit(path, TOWN_SHEET, "H4", "否")
    _edit(path, TOWN_SHEET, "I4", "未见调研报告")
    records = _import(city, [path])
    assert [r.action for r in records] == ["替换"]
    engine = st.open_store(city.store)
    with engine.connect() as conn:
        row = conn.execute(select(st.item_results.c.value, st.item_results.c.score, st.item_results.c.remarks)
                           .where(st.item_results.c.item_id == "TS-01")
                           .join(st.units, st.units.c.id == st.item_results.c.unit_id)
                           .where(st.units.c.name == path.name.split("_")[2])).one()
        actions = [r[0] for r in conn.execute(select(st.imports.c.action).order_by(st.imports.c.id))]
    assert tuple(row) == ("否", 0.0, "未见调研报告")
    assert actions[-1] == "替换"


def test_full_width_digits_and_trailing_spaces_are_accepted(city, rejected, fingerprint):
    path = city.forms[0]
    _edit(path, WINDOW_SHEET, "H7", "８０％ ")       # SW-04 proportion, full-width with a trailing space
    _edit(path, TOWN_SHEET, "H4", "是　")            # trailing ideographic space
    _edit(path, "基本信息", "B7", "２０１９年１２月５日")
    _import(city, [path])
    engine = st.open_store(city.store)
    with engine.connect() as conn:
        value = conn.execute(select(st.item_results.c.value).where(st.item_results.c.item_id == "SW-04")
                             .join(st.units, st.units.c.id == st.item_results.c.unit_id)
                             .where(st.units.c.name == path.name.split("_")[2])).scalar()
        inspected = conn.execute(select(st.unit_results.c.inspected_on)).scalars().all()
    assert value == "0.8"
    assert date(2019, 12, 5) in inspected


BAD_EDITS = [
    # (test id, sheet, cell, value, expected fragment of the message)
    ("wrong round", "基本信息", "B2", "2018", "与导入的轮次“2019”不符"),
    ("unknown district", "基本信息", "B3", "西海区", "不是已登记的区"),
    ("unknown unit", "基本信息", "B4", "不存在街道", "的街镇，可选"),
    ("score outside levels", TOWN_SHEET, "H5", "很好", "不是可选的取值"),
    ("proportion above 1", WINDOW_SHEET, "H7", 1.2, "比例不能大于 1"),
    ("missing item result", TOWN_SHEET, "H4", None, "缺失"),
    ("missing id number", CASE_SHEET, "C4", None, "缺失：必须填写身份证号"),
    ("bad id check digit", CASE_SHEET, "C4", "990101198001011230", "GB 11643"),
    ("future inspection date", "基本信息", "B7", date(2031, 1, 1), "日期不能在将来"),
    ("future case date", CASE_SHEET, "G4", "2030-05-01", "日期不能在将来"),
    ("older checklist version", "基本信息", "B8", "case_file=0000000000000000; service_window=x; town_street=y",
     "旧版本或未知版本"),
    ("case file not in sample", CASE_SHEET, "A4", "Z99-9999", "不在本轮为该街镇抽取的档案名单中"),
]


@pytest.mark.parametrize("sheet,cell,value,fragment", [c[1:] for c in BAD_EDITS], ids=[c[0] for c in BAD_EDITS])
def test_bad_cell_rejects_whole_import_with_location(city, rejected, fingerprint, sheet, cell, value, fragment):
    bad = city.forms[1]
    _edit(bad, sheet, cell, value)
    err = rejected(city)                                     # the good files are not imported either
    problem = next(p for p in err.problems if fragment in p)
    assert bad.name in problem and f"工作表“{sheet}”" in problem
    report = load_workbook(err.report).active
    assert [c.value for c in report[1]][:5] == ["序号", "文件", "工作表", "行", "列"]
    assert any(fragment in (row[7] or "") for row in report.iter_rows(min_row=2, values_only=True))


def test_form_of_another_round(city, rejected, checklists):
    from toolkit.inspections.plan.plan import make_plan

    make_plan(city.store, "2020", checklists, seed=1)
    err = rejected(city, city.forms[:1], round_id="2020")
    assert any("“2019” 与导入的轮次“2020”不符" in p for p in err.problems)


@pytest.mark.parametrize("in_workers", [False, True])
def test_case_the_policy_engine_cannot_check_is_located(city, rejected, monkeypatch, in_workers):
    if in_workers:                          # the forms are read and checked in worker processes
        monkeypatch.setattr(importer, "PARALLEL_FORMS_FROM", 0)
    path = city.forms[0]
    _edit(path, CASE_SHEET, "G4", "2011-05-04")      # accepted before any rule set on file
    err = rejected(city, [path])
    problem = next(p for p in err.problems if "无法按政策规则核查" in p)
    assert path.name in problem and "第 4 行" in problem and "2012-12-12" in problem


def test_unknown_round_is_refused(city, rejected, fingerprint):
    from toolkit.inspections.store.rounds import RoundError

    with pytest.raises(RoundError, match="轮次“2017”不存在"):
        _import(city, round_id="2017")


def test_duplicate_case_file_ids(city, rejected, fingerprint):
    path = city.forms[0]
    wb = load_workbook(path)
    ws = wb[CASE_SHEET]
    ws["A5"] = ws["A4"].value
    wb.save(path)
    err = rejected(city, [path])
    assert any("档案编号重复" in p and "第 5 行" in p for p in err.problems)


def test_renamed_and_deleted_sheets(city, rejected, fingerprint):
    path = city.forms[0]
    wb = load_workbook(path)
    wb[WINDOW_SHEET].title = "窗口"
    del wb[CASE_SHEET]
    wb.save(path)
    err = rejected(city, [path])
    text = "\n".join(err.problems)
    assert "工作表缺失或被重命名" in text and WINDOW_SHEET in text and CASE_SHEET in text


def test_merged_cells(city, rejected, fingerprint):
    path = city.forms[0]
    wb = load_workbook(path)
    wb[TOWN_SHEET].merge_cells("H4:H5")
    wb.save(path)
    err = rejected(city, [path])
    assert any("合并单元格" in p and "H4:H5" in p for p in err.problems)


def test_file_that_is_not_xlsx_and_empty_file(city, rejected, fingerprint):
    text_file = city.folder / "结果.xlsx"
    text_file.write_text("这不是表格", encoding="utf-8")
    empty = city.folder / "空.xlsx"
    empty.write_bytes(b"")
    err = rejected(city, [city.forms[0], text_file, empty])
    joined = "\n".join(err.problems)
    assert "不是 Excel 工作簿" in joined and "空文件" in joined


def test_same_unit_twice_in_one_import(city, rejected, fingerprint):
    copy = city.folder / "副本.xlsx"
    copy.write_bytes(city.forms[0].read_bytes())
    err = rejected(city, [city.forms[0], copy])
    assert any("同一街镇" in p for p in err.problems)


def test_error_messages_do_not_show_full_id_numbers(city, rejected, fingerprint):
    path = city.forms[0]
    _edit(path, CASE_SHEET, "C4", "990101198001011230")
    err = rejected(city, [path])
    assert "990101198001011230" not in "\n".join(err.problems)


def test_content_hash_keeps_the_format_of_existing_stores(city):
    """Stores already hold hashes of the whole content encoded in one ``json.dumps``: re-importing
    an unchanged form into them must still count as 未变化, so the hash of a form stays that one."""
    import hashlib
    import json

    from toolkit.inspections.forms.forms import read_form
    from toolkit.inspections.store.rounds import load_context

    sub, found = read_form(city.forms[0], load_context(st.open_store(city.store), "2019", today=TODAY))
    assert sub is not None and not found and sub.case_files
    sub.case_files[0].remarks = '备注含"引号"、反斜杠\\ 和\n换行'
    content = {"round_id": sub.round_id, "district": sub.district, "unit": sub.unit,
               "team_district": sub.team_district, "inspectors": sub.inspectors,
               "inspected_on": sub.inspected_on.isoformat(), "checklist_versions": sub.checklist_versions,
               "items": sorted([list(k) + list(v) for k, v in sub.items.items()]),
               "case_files": [[r.case_id, r.head_name, r.id_number, r.phone, r.to_json()] for r in sub.case_files]}
    expected = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
                              .encode("utf-8")).hexdigest()
    assert sub.content_hash() == expected
    sub.case_files = []
    content["case_files"] = []
    assert sub.content_hash() == hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
                                                .encode("utf-8")).hexdigest()


def test_forms_read_in_worker_processes_store_the_same_results(city, tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "sequential.sqlite"
    shutil.copy(city.store, copy)
    import_files(copy, "2019", city.forms, imported_by="测试", today=TODAY)
    monkeypatch.setattr(importer, "PARALLEL_FORMS_FROM", 0)
    records = _import(city)
    assert {r.action for r in records} == {"新增"} and len(records) == len(city.forms)
    columns = [st.case_checks.c[name] for name in ("unit_id", "case_id", "record", "outcomes", "compliant", "remarks")]

    def stored(store):
        with st.open_store(store).connect() as conn:
            cases = conn.execute(select(*columns).order_by(st.case_checks.c.case_id)).all()
            items = conn.execute(select(st.item_results.c.unit_id, st.item_results.c.item_id, st.item_results.c.value,
                                        st.item_results.c.score).order_by(st.item_results.c.unit_id,
                                                                          st.item_results.c.item_id)).all()
        return cases, items
    assert stored(city.store) == stored(copy) and stored(copy)[0]

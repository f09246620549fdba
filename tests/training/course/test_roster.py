"""``jiuzhu course roster import``: validated, all-or-nothing, Chinese errors with row and column."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from toolkit.errors import UserError
from toolkit.training.course.roster import load_roster, read_roster_xlsx, save_roster, write_roster_xlsx
from toolkit.training.course.simulate import sample_roster


def _xlsx(path, rows, title=None):
    wb = Workbook()
    sheet = wb.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    wb.save(path)
    return path


HEADER = ("学员编号", "姓名", "街镇", "村居", "岗位", "手机号")


def test_sample_roster_round_trips_and_is_marked_as_sample(tmp_path):
    roster = sample_roster(60)
    assert len(roster.trainees) == 60
    assert len({t.town for t in roster.trainees}) >= 5 and len({t.id for t in roster.trainees}) == 60
    path = write_roster_xlsx(roster, tmp_path / "花名册.xlsx")
    back = read_roster_xlsx(path)
    assert back.trainees == roster.trainees and back.sample


def test_numbers_from_excel_are_read_as_text(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [HEADER, (1001, "王伟", "东湖街道", "湖滨社区", "", 13812345678)])
    trainee = read_roster_xlsx(path).trainees[0]
    assert trainee.id == "1001" and trainee.phone == "13812345678"


def test_every_problem_is_listed_with_row_and_column(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [
        HEADER,
        ("dh001", "王伟", "东湖街道", "湖滨社区", "", ""),
        ("dh001", "李娜", "西岭街道", "岭南社区", "", ""),       # duplicate id
        ("张三", "张三", "", "东湖村", "", "12345"),             # bad id, blank 街镇, bad phone
    ])
    with pytest.raises(UserError) as info:
        read_roster_xlsx(path)
    text = str(info.value)
    assert "r.xlsx" in text and "未导入任何数据" in text
    assert "第 3 行 A 列（学员编号）" in text and "与第 2 行重复" in text
    assert "第 4 行 A 列（学员编号）" in text and "“张*”" in text and "张三" not in text   # masked
    assert "第 4 行 C 列（街镇）" in text and "不能为空" in text
    assert "第 4 行 F 列（手机号）" in text


def test_missing_columns_and_wrong_files_are_explained(tmp_path):
    path = _xlsx(tmp_path / "r.xlsx", [("学员编号", "姓名", "街镇"), ("dh1", "王伟", "东湖街道")])
    with pytest.raises(UserError, match="缺少列：村居"):
        read_roster_xlsx(path)
    with pytest.raises(UserError, match="找不到表头"):
        read_roster_xlsx(_xlsx(tmp_path / "n.xlsx", [("编号", "名字")]))
    bad = tmp_path / "not.xlsx"
    bad.write_text("这不是表格", encoding="utf-8")
    with pytest.raises(UserError, match="不是可读取的 Excel 文件"):
        read_roster_xlsx(bad)


def test_import_is_all_or_nothing(tmp_path, course_template):
    from grading_course import copy_course
    from toolkit.cli import main

    root = copy_course(course_template, tmp_path / "course")
    db = f"sqlite:///{root / 'gradebook.db'}"
    good = _xlsx(tmp_path / "good.xlsx", [HEADER, ("dh001", "王伟", "东湖街道", "湖滨社区", "社会救助专干", "")])
    assert main(["course", "roster", "import", str(good), "--course", str(root)]) == 0
    bad = _xlsx(tmp_path / "bad.xlsx", [HEADER, ("dh002", "李娜", "西岭街道", "岭南社区", "", ""),
                                        ("dh003", "", "西岭街道", "岭南社区", "", "")])
    assert main(["course", "roster", "import", str(bad), "--course", str(root)]) == 2
    stored = load_roster(db)
    assert [t.id for t in stored.trainees] == ["dh001"]                  # dh002 was not written
    from nbgrader.api import Gradebook

    with Gradebook(db, "jiuzhu") as gb:
        student = gb.find_student("dh001")
        assert student.first_name == "王*"                              # formgrader sees masked names


def test_reimport_updates_existing_trainees(tmp_path, course_template):
    from grading_course import copy_course
    from toolkit.training.course.roster import Roster, Trainee

    root = copy_course(course_template, tmp_path / "course")
    db = f"sqlite:///{root / 'gradebook.db'}"
    save_roster(Roster((Trainee("dh001", "王伟", "东湖街道", "湖滨社区"),)), db, "jiuzhu")
    save_roster(Roster((Trainee("dh001", "王伟", "南桥镇", "南桥村"), Trainee("dh002", "李娜", "北塘镇", "北塘村"))),
                db, "jiuzhu")
    stored = {t.id: t for t in load_roster(db).trainees}
    assert stored["dh001"].town == "南桥镇" and set(stored) == {"dh001", "dh002"}

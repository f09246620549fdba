"""``jiuzhu course report``: shares wrong, completion and pass rates, the ledger workbook, charts.

The gradebook is filled through nbgrader's API (no kernels): three trainees in two 街镇, one
assignment ``m01_means_test`` whose test cells are named like the generated ones (``q1_test``…).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook

from toolkit import SAMPLE_MARK
from toolkit.training.course.roster import Roster, Trainee, save_roster

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session")

A = "m01_means_test"
POINTS = {"q1": 2, "q2": 2, "q3": 1, "q4": 1, "q5": 2, "q6": 2}
# trainee → earned points per question (missing trainee: not submitted)
EARNED = {
    "dh001": {"q1": 2, "q2": 2, "q3": 1, "q4": 1, "q5": 2, "q6": 2},     # 10/10 pass
    "dh002": {"q1": 1, "q2": 0, "q3": 1, "q4": 0, "q5": 2, "q6": 0},     # 4/10 fail
}
ROSTER = Roster((Trainee("dh001", "王伟", "东湖街道", "湖滨社区"),
                 Trainee("dh002", "李娜", "东湖街道", "樱园社区"),
                 Trainee("dh003", "张小明", "南桥镇", "南桥村")), sample=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from nbgrader.api import Gradebook

    from toolkit.training.course.course import ensure_venv_on_path
    from toolkit.training.analytics.report import write_outputs
    from toolkit.training.analytics.analytics import collect

    ensure_venv_on_path()
    folder = tmp_path_factory.mktemp("report")
    db = f"sqlite:///{folder / 'gradebook.db'}"
    with Gradebook(db, "jiuzhu") as gb:
        gb.add_assignment(A, duedate=datetime(2026, 3, 1, 4, 0))
        gb.add_notebook(A, A)
        for qid, points in POINTS.items():
            gb.add_grade_cell(f"{qid}_test", A, A, max_score=points, cell_type="code")
        for student, earned in EARNED.items():
            gb.add_student(student)
            gb.add_submission(A, student, timestamp=datetime(2026, 2, 27, 1, 30))
            for qid, points in earned.items():
                grade = gb.find_grade(f"{qid}_test", A, A, student)
                grade.auto_score = points
            gb.db.commit()
    save_roster(ROSTER, db, "jiuzhu")
    from toolkit.training.course.roster import load_roster

    stats = collect(db, load_roster(db), pass_rate=0.6)
    paths = write_outputs(stats, folder / "out")
    return stats, paths


def _rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    return [dict(zip(header, r)) for r in rows[3:]], rows


def test_ledger_has_one_row_per_trainee_and_assignment_with_masked_names(report):
    _, paths = report
    workbook = load_workbook(paths["培训台账"])
    records, rows = _rows(workbook["培训台账"])
    assert SAMPLE_MARK in rows[0][0]
    by_id = {r["学员编号"]: r for r in records}
    assert set(by_id) == {"dh001", "dh002", "dh003"}
    assert by_id["dh001"]["姓名"] == "王*" and by_id["dh003"]["姓名"] == "张**"
    assert by_id["dh001"]["培训内容"] == "家庭收入核算与低保金计算"
    assert (by_id["dh001"]["得分"], by_id["dh001"]["满分"], by_id["dh001"]["是否通过"]) == (10, 10, "通过")
    assert by_id["dh002"]["是否通过"] == "未通过" and by_id["dh003"]["是否通过"] == "未提交"
    assert by_id["dh001"]["提交时间"] == datetime(2026, 2, 27, 9, 30)     # Beijing time, printed in Chinese
    sheet = workbook["培训台账"]
    column = [c.value for c in sheet[3]].index("提交时间") + 1
    times = [c for c in next(sheet.iter_cols(min_col=column, max_col=column, min_row=4)) if c.value is not None]
    assert times and {c.number_format for c in times} == {'yyyy"年"m"月"d"日" hh:mm'}
    for sheet in workbook.worksheets:                             # no full name anywhere
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
        assert "王伟" not in text and "李娜" not in text and "张小明" not in text


def test_completion_and_pass_rate_per_town_and_village(report):
    _, paths = report
    workbook = load_workbook(paths["培训台账"])
    towns = {r["街镇"]: r for r in _rows(workbook["街镇统计"])[0]}
    assert towns["东湖街道"]["完成率"] == 1.0 and towns["东湖街道"]["通过率"] == 0.5
    assert towns["南桥镇"]["完成率"] == 0.0
    villages = {(r["街镇"], r["村居"]): r for r in _rows(workbook["村居统计"])[0]}
    assert villages[("东湖街道", "樱园社区")]["通过份数"] == 0
    missing = [r["学员编号"] for r in _rows(workbook["未提交名单"])[0]]
    failed = [r["学员编号"] for r in _rows(workbook["未通过名单"])[0]]
    assert missing == ["dh003"] and failed == ["dh002"]


def test_share_wrong_per_question_and_rule(report):
    stats, paths = report
    questions = {r["题号"]: r for r in _rows(load_workbook(paths["培训台账"])["题目答错比例"])[0]}
    assert questions["第1题"]["答错人次"] == 1 and questions["第1题"]["评分人次"] == 2   # partial counts as wrong
    assert questions["第3题"]["答错比例"] == 0.0 and questions["第2题"]["答错比例"] == 0.5
    assert questions["第1题"]["依据"]                                    # the basis is shown
    rules = stats.rules.set_index("规则")
    assert rules.loc["income_excluded", "答错比例"] == 0.5
    assert all(rules["规则名称"].str.len() > 0)                         # a Chinese name for every rule
    assert list(stats.rules["答错比例"]) == sorted(stats.rules["答错比例"], reverse=True)


def test_charts_are_written_and_embedded(report):
    _, paths = report
    for key in ("规则答错比例图", "题目答错比例图", "街镇完成率与通过率图"):
        assert paths[key].stat().st_size > 10_000
    workbook = load_workbook(paths["培训台账"])
    assert len(workbook["图表"]._images) == 3


def test_cli_report_rejects_a_bad_pass_rate(tmp_path, course_template, capsys):
    from grading_course import copy_course
    from toolkit.cli import main

    root = copy_course(course_template, tmp_path / "course")
    assert main(["course", "report", "--course", str(root), "--pass-rate", "60"]) == 2
    assert "--pass-rate" in capsys.readouterr().err
    assert main(["course", "report", "--course", str(root), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "培训台账.xlsx").exists()


def test_ledger_names_rules_in_chinese_and_prints_well(report):
    import re

    from toolkit.sheets import print_problems

    _stats, paths = report
    book = load_workbook(paths["培训台账"])
    for name in ("题目答错比例", "规则答错比例"):
        rows, _ = _rows(book[name])
        assert rows and all(r["规则"] and not re.search(r"[A-Za-z_]", r["规则"]) for r in rows), rows
        assert all(not re.search(r"m0\d", str(v)) for r in rows for v in r.values()), rows   # no exercise ids on paper
    assert "不计入家庭收入的项目" in {r["规则"] for r in _rows(book["规则答错比例"])[0]}
    for ws in book.worksheets:
        if ws.title == "图表":
            continue
        assert print_problems(ws) == [], (ws.title, print_problems(ws))
        assert ws.print_title_rows == "$3:$3"

from decimal import Decimal

import nbformat
import pytest
from nbgrader.utils import determine_grade

from toolkit.training.trainee.answers import save_answer
from toolkit.training.trainee.autograde import check, grade
from toolkit.training.trainee import casedata

pytestmark = pytest.mark.usefixtures("practice_assignment")


def course(tmp_path):
    """A course folder with its secret: the trainer's side."""
    root = tmp_path / "course"
    root.mkdir(exist_ok=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    casedata.course_secret(root)
    return root


def trainee_case(assignment, student, tmp_path=None):
    return casedata.trainer_case(course(tmp_path or _TMP[0]), assignment, student)


_TMP = []


def graded_folder(tmp_path, student="li4"):
    _TMP[:] = [tmp_path]
    folder = course(tmp_path) / "autograded" / student / "t01_practice"
    folder.mkdir(parents=True)
    return folder


def as_test_cell(points, earned, printed=""):
    """A test cell the way nbgrader sees it after running ``grade`` in a kernel."""
    outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": repr(earned)},
                                          execution_count=1))
    cell = nbformat.v4.new_code_cell("grade(...)", outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": points,
                                 "grade_id": "q_test", "schema_version": 3}
    return cell


def test_partial_credit_on_multiple_choice_reaches_nbgrader(tmp_path, capsys):
    folder = graded_folder(tmp_path)
    right = sorted(trainee_case("t01_practice", "li4").questions[2].answer)
    save_answer(folder, "t01_practice", "li4", "q3", right[:1])       # one of the two right picks
    earned = grade("t01_practice", "q3", folder)
    printed = capsys.readouterr().out
    assert earned == 1.0
    assert determine_grade(as_test_cell(2, earned, printed)) == (1.0, 2.0)
    assert "得 1 / 2 分" in printed and "正确答案" in printed and "《测试依据》第三条" in printed


def test_right_wrong_blank_and_unreadable(tmp_path, capsys):
    folder = graded_folder(tmp_path)
    q1 = trainee_case("t01_practice", "li4").questions[0]
    save_answer(folder, "t01_practice", "li4", "q1", f"{q1.answer:,}元".replace(",", "，"))
    assert grade("t01_practice", "q1", folder) == 2.0
    save_answer(folder, "t01_practice", "li4", "q1", str(q1.answer + Decimal("5")))
    assert grade("t01_practice", "q1", folder) == 0.0
    assert grade("t01_practice", "q4", folder) == 0.0                  # never answered
    save_answer(folder, "t01_practice", "li4", "q4", "下周一")
    assert grade("t01_practice", "q4", folder) == 0.0
    assert "无法识别" in capsys.readouterr().out


def test_answers_are_graded_against_the_trainees_own_case(tmp_path):
    mine, theirs = graded_folder(tmp_path, "li4"), graded_folder(tmp_path, "wang5")
    their_answer = trainee_case("t01_practice", "wang5").questions[0].answer
    assert their_answer != trainee_case("t01_practice", "li4").questions[0].answer
    save_answer(theirs, "t01_practice", "wang5", "q1", str(their_answer))
    save_answer(mine, "t01_practice", "li4", "q1", str(their_answer))   # copied numbers
    assert grade("t01_practice", "q1", theirs) == 2.0
    assert grade("t01_practice", "q1", mine) == 0.0


def test_damaged_sidecar_scores_zero_without_stopping(tmp_path, capsys):
    folder = graded_folder(tmp_path)
    (folder / "answers.json").write_text("{broken", encoding="utf-8")
    assert grade("t01_practice", "q1", folder) == 0.0
    assert "作答文件有问题" in capsys.readouterr().out


def test_outside_the_autograder_nothing_is_revealed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIUZHU_STUDENT", "li4")
    root = course(tmp_path)
    casedata.write_cases(root, ["li4"], ["t01_practice"])
    monkeypatch.setenv("JIUZHU_CASES", str(root / "cases"))
    folder = tmp_path / "home" / "t01_practice"
    folder.mkdir(parents=True)
    q1 = trainee_case("t01_practice", "li4", tmp_path).questions[0]
    save_answer(folder, "t01_practice", "li4", "q1", str(q1.answer))
    assert grade("t01_practice", "q1", folder) is None
    check("t01_practice", "q1", folder)
    check("t01_practice", "q2", folder)
    out = capsys.readouterr().out
    assert "已作答，识别为" in out and "第2题：尚未作答" in out
    assert "得" not in out and "正确答案" not in out


def test_a_sandboxed_kernel_without_the_key_leaves_scoring_to_the_grader(tmp_path, capsys):
    root = course(tmp_path)
    folder = tmp_path / "sandbox" / "autograded" / "li4" / "t01_practice"    # no course above
    folder.mkdir(parents=True)
    (folder / casedata.GRADING_FILE).write_text(
        __import__("json").dumps(casedata.trainee_case_data(root, "li4", "t01_practice")), encoding="utf-8")
    assert grade("t01_practice", "q1", folder) == 0.0      # no points unless the grader scores it
    out = capsys.readouterr().out
    assert "评分程序" in out and "正确答案" not in out

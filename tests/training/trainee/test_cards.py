from datetime import datetime

from toolkit.training.trainee.answers import load_answers, save_answer
from toolkit.training.trainee.cards import AnswerCards
import pytest

pytestmark = pytest.mark.usefixtures("practice_assignment")


@pytest.fixture(autouse=True)
def _cases(case_of):
    global trainee_case
    trainee_case = lambda assignment, student: case_of(student, assignment)  # noqa: E731


def make_cards(folder, student="li4"):
    case = trainee_case("t01_practice", student)
    return AnswerCards(case, folder, student, clock=lambda: datetime(2026, 11, 26, 9, 30, 5)), case


def test_every_change_is_saved_at_once_with_a_visible_confirmation(tmp_path):
    cards, _ = make_cards(tmp_path)
    cards.inputs["q1"].value = "１，５００元"
    assert load_answers(tmp_path)["q1"] == "１，５００元"
    assert "已保存（09:30:05）" in cards.status["q1"].value
    assert "识别为：1500元" in cards.status["q1"].value
    cards.inputs["q2"].value = "B"
    cards.inputs["q3"]["C"].value = True
    cards.inputs["q3"]["A"].value = True
    cards.inputs["q5"].value = "请补交户口簿复印件。"
    assert load_answers(tmp_path) == {"q1": "１，５００元", "q2": "B", "q3": ["A", "C"],
                                      "q5": "请补交户口簿复印件。"}


def test_unreadable_input_is_saved_and_flagged(tmp_path):
    cards, _ = make_cards(tmp_path)
    cards.inputs["q4"].value = "十月八日"
    assert load_answers(tmp_path)["q4"] == "十月八日"
    assert "无法识别" in cards.status["q4"].value


def test_check_lists_unanswered_questions_without_revealing_correctness(tmp_path):
    cards, case = make_cards(tmp_path)
    wrong = "A" if case.questions[1].answer != "A" else "B"
    cards.inputs["q2"].value = wrong
    message = cards.check()
    assert "还有 4 题未作答：第1题、第3题、第4题、第5题" in message
    assert "不显示对错" in message
    assert "正确" not in message.replace("不显示对错", "") and "错误" not in message
    for qid, value in {"q1": "1", "q4": "2018-10-08", "q5": "写好了"}.items():
        cards.inputs[qid].value = value
    cards.inputs["q3"]["A"].value = True
    assert "全部 5 题均已作答" in cards.check()


def test_saved_answers_are_shown_when_the_notebook_is_run_again(tmp_path):
    save_answer(tmp_path, "t01_practice", "li4", "q1", "800")
    save_answer(tmp_path, "t01_practice", "li4", "q2", "C")
    save_answer(tmp_path, "t01_practice", "li4", "q3", ["B", "D"])
    cards, _ = make_cards(tmp_path)
    assert cards.inputs["q1"].value == "800"
    assert cards.inputs["q2"].value == "C"
    assert [k for k, box in cards.inputs["q3"].items() if box.value] == ["B", "D"]
    assert "识别为：800元" in cards.status["q1"].value
    assert load_answers(tmp_path)["q1"] == "800"   # re-displaying does not rewrite answers


def test_labels_are_chinese(tmp_path):
    cards, _ = make_cards(tmp_path)
    assert cards.check_button.description == "检查作答"
    assert "答题卡" in cards.widget.children[0].value


def test_preview_in_the_course_source_folder_saves_nothing(tmp_path):
    from toolkit.training.trainee.exercise import start

    (tmp_path / "nbgrader_config.py").write_text("")
    folder = tmp_path / "source" / "t01_practice"
    folder.mkdir(parents=True)
    cards = start("t01_practice", folder).cards()
    assert cards.preview and "不会保存" in cards.widget.children[0].value
    cards.inputs["q1"].value = "1500"
    assert "预览，不保存" in cards.status["q1"].value
    assert not (folder / "answers.json").exists()
    assert "第2题" in cards.check()

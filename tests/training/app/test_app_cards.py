"""The answer cards in the phone app: a date picker for dates, number pads for amounts and counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ipywidgets as w

from toolkit.cases.base import Case, Question
from toolkit.training.trainee.answers import load_answers, save_answer
from toolkit.training.trainee.cards import INPUT_CLASSES, AnswerCards

QUESTIONS = (
    Question("q1", "date", "审批决定最迟应在哪一天作出？", 2, "办法第十条", "r1", answer=date(2018, 10, 8)),
    Question("q2", "number", "月人均收入是多少元？", 2, "办法第九条", "r2", answer=Decimal("1322"), unit="元"),
    Question("q3", "number", "实际用了多少个工作日？", 1, "办法第十条", "r3", answer=Decimal("22"), unit="个工作日"),
)
CASE = Case("t01_practice", "练习", 1, "案例", QUESTIONS)


def test_phone_cards_pick_dates_and_ask_for_number_pads(tmp_path):
    save_answer(tmp_path, CASE.assignment, "cadre", "q1", "2018年10月7日")      # typed earlier in JupyterLab
    cards = AnswerCards(CASE, tmp_path, "cadre", phone=True)
    picker = cards.inputs["q1"]
    assert isinstance(picker, w.DatePicker) and picker.value == date(2018, 10, 7)
    picker.value = date(2018, 10, 8)
    assert load_answers(tmp_path)["q1"] == "2018-10-08"
    assert "识别为：2018年10月8日" in cards.status["q1"].value
    picker.value = None
    assert "q1" not in load_answers(tmp_path)
    assert INPUT_CLASSES["number"] in cards.inputs["q2"]._dom_classes
    assert INPUT_CLASSES["count"] in cards.inputs["q3"]._dom_classes
    assert cards.inputs["q2"].layout.width == "100%"


def test_jupyterlab_cards_stay_as_they_were(tmp_path):
    cards = AnswerCards(CASE, tmp_path, "cadre")
    assert isinstance(cards.inputs["q1"], w.Text) and cards.inputs["q2"].layout.width == "260px"
    cards.inputs["q1"].value = "2018-10-08"
    cards.inputs["q2"].value = "1322"
    cards.inputs["q3"].value = "22"
    assert "保存笔记本" in cards.check()            # JupyterLab: save, then submit in the panel
    assert "请点“提交”" in AnswerCards(CASE, tmp_path, "cadre", phone=True).check()

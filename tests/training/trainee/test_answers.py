import json
import os

import pytest

from toolkit.training.trainee import answers
from toolkit.training.trainee.answers import AnswersFileError, load_answers, save_answer

pytestmark = pytest.mark.usefixtures("practice_assignment")


def test_round_trip_keeps_raw_text_and_shape(tmp_path):
    save_answer(tmp_path, "t01_practice", "li4", "q1", "１５００元")
    save_answer(tmp_path, "t01_practice", "li4", "q3", ["A", "C"])
    document = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    assert document["assignment"] == "t01_practice" and document["student"] == "li4"
    assert document["answers"]["q1"]["raw"] == "１５００元"
    assert "T" in document["answers"]["q1"]["saved_at"]
    assert load_answers(tmp_path) == {"q1": "１５００元", "q3": ["A", "C"]}


def test_blank_answer_removes_the_question(tmp_path):
    save_answer(tmp_path, "a", "s", "q1", "12")
    save_answer(tmp_path, "a", "s", "q1", "  ")
    assert load_answers(tmp_path) == {}


def test_missing_file_means_no_answers(tmp_path):
    assert load_answers(tmp_path) == {}


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    save_answer(tmp_path, "a", "s", "q1", "100")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(answers.os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_answer(tmp_path, "a", "s", "q2", "200")
    monkeypatch.undo()
    assert load_answers(tmp_path) == {"q1": "100"}
    assert sorted(os.listdir(tmp_path)) == ["answers.json"]   # no temp file left behind


def test_damaged_file_gives_a_chinese_error_naming_it(tmp_path):
    (tmp_path / "answers.json").write_text('{"answers": {"q1": ', encoding="utf-8")
    with pytest.raises(AnswersFileError) as err:
        load_answers(tmp_path)
    assert "answers.json" in str(err.value) and "无法读取" in str(err.value)
    (tmp_path / "answers.json").write_text('{"answers": {"q1": "x"}}', encoding="utf-8")
    with pytest.raises(AnswersFileError):
        load_answers(tmp_path)

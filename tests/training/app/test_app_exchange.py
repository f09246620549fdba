"""Times in Beijing time, scores from feedback pages, titles: what 我的练习 shows."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from toolkit.training.app.exchange import Exercise, beijing, facts, feedback_score, parse_timestamp

TIMES = [
    ("2026-12-06 04:50:01.123456 UTC", datetime(2026, 12, 6, 4, 50, 1, 123456, tzinfo=timezone.utc)),
    ("2026-12-06 04:50:01 UTC", datetime(2026, 12, 6, 4, 50, 1, tzinfo=timezone.utc)),
    ("2026-12-06 04:50:01.123456", datetime(2026, 12, 6, 4, 50, 1, 123456, tzinfo=timezone.utc)),
    ("2026-12-06 12:50:01.123456 +0800", datetime(2026, 12, 6, 4, 50, 1, 123456, tzinfo=timezone.utc)),
    ("2026-12-06 12:50:01 Asia/Shanghai", datetime(2026, 12, 6, 4, 50, 1, tzinfo=timezone.utc)),
    ("2026-12-05 23:50:01 -05:00", datetime(2026, 12, 6, 4, 50, 1, tzinfo=timezone.utc)),
    ("2026-12-06 12:50:01 CST", None),          # China or US Central: never guessed
    ("2026-12-06 12:50:01 Mars/Olympus", None),
    ("", None),
    ("昨天", None),
]


@pytest.mark.parametrize("text,expected", TIMES)
def test_nbgrader_timestamps(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("when,shown", [
    (datetime(2026, 12, 6, 4, 50, tzinfo=timezone.utc), "2026年12月6日 12:50"),
    (datetime(2026, 12, 31, 16, 5, tzinfo=timezone.utc), "2027年1月1日 00:05"),     # the day after, in Beijing
])
def test_beijing_time_in_chinese(when, shown):
    assert beijing(when) == shown


@pytest.mark.parametrize("page,score", [
    ("<h4>练习反馈：家庭收入核算与低保金计算（得分 8.0 / 10.0）</h4>", (8.0, 10.0)),
    ("<h4>练习反馈：审核确认流程与时限（得分 0 / 10）</h4>", (0.0, 10.0)),
    ("<h4>Feedback</h4>", None),
])
def test_the_score_from_a_feedback_page(page, score):
    assert feedback_score(page) == score


def test_facts_of_a_graded_submission(tmp_path):
    folder = tmp_path / "jiuzhu" / "m01_means_test"
    stamp = "2026-12-06 04:50:01.123456 UTC"
    pages = folder / "feedback" / stamp
    pages.mkdir(parents=True)
    (pages / "m01_means_test.html").write_text("<h4>练习反馈：家庭收入核算（得分 7.5 / 10.0）</h4>", encoding="utf-8")
    exercise = Exercise("jiuzhu", "m01_means_test", "家庭收入核算", folder=folder,
                        submissions=[{"timestamp": stamp, "has_local_feedback": True,
                                      "has_exchange_feedback": True, "local_feedback_path": str(pages)}])
    answers = {"q1": {"raw": "1500", "saved_at": "2026-12-06T04:40:00+00:00"}}
    found = facts(exercise, total=6, answers=answers)
    assert (found.fetched, found.answered, found.total, found.feedback, found.score) == (True, 1, 6, True, 7.5)
    assert found.submitted_at == parse_timestamp(stamp)
    assert found.last_saved < found.submitted_at
    assert exercise.feedback_file() == pages / "m01_means_test.html"


def test_no_feedback_file_means_no_score(tmp_path):
    exercise = Exercise("jiuzhu", "m01_means_test", "家庭收入核算", folder=None, submissions=[])
    found = facts(exercise, total=6, answers={})
    assert (found.fetched, found.feedback, found.score, found.submitted_at) == (False, False, None, None)
    assert exercise.feedback_file() is None


def test_deadlines_published_by_the_trainer_reach_the_app(tmp_path):
    from toolkit.training.app.deadlines import deadlines_path, read_deadlines, write_deadlines

    (tmp_path / "jiezhen").mkdir()
    due = {"m01_means_test": datetime(2026, 12, 20, 10, 0), "m02_procedure": datetime(2026, 12, 21, 2, 0, tzinfo=timezone.utc)}
    path = write_deadlines(tmp_path, "jiezhen", due)
    assert path == deadlines_path(tmp_path, "jiezhen") and path.stat().st_mode & 0o777 == 0o644
    read = read_deadlines(tmp_path, "jiezhen")
    assert read == {"m01_means_test": datetime(2026, 12, 20, 10, 0, tzinfo=timezone.utc),     # naive: UTC
                    "m02_procedure": datetime(2026, 12, 21, 2, 0, tzinfo=timezone.utc)}
    assert beijing(read["m01_means_test"]) == "2026年12月20日 18:00"


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"m01_means_test": "明天"}', None])
def test_unreadable_or_missing_deadlines_show_none(tmp_path, content):
    from toolkit.training.app.deadlines import deadlines_path, read_deadlines

    path = deadlines_path(tmp_path, "jiezhen")
    path.parent.mkdir()
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert read_deadlines(tmp_path, "jiezhen") == {}


def test_a_planted_link_is_not_read(tmp_path):
    from toolkit.training.app.deadlines import deadlines_path, read_deadlines

    real = tmp_path / "elsewhere.json"
    real.write_text('{"m01_means_test": "2026-12-20T10:00:00+00:00"}', encoding="utf-8")
    path = deadlines_path(tmp_path, "jiezhen")
    path.parent.mkdir()
    path.symlink_to(real)
    assert read_deadlines(tmp_path, "jiezhen") == {}

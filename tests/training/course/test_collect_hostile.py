"""Red-team holes of ``jiuzhu course collect`` (issue: hostile inbound entries), on a real course
and nbgrader's real exchange and collect.

* One trainee's entry must never stop the collect of everyone else: a chain of 1,100 nested
  folders (the copy recursed once per level: ``RecursionError``, ``submitted/`` never made) or
  thousands of empty folders are refused by name, every other trainee is collected, and the next
  collect refuses the entry again without stumbling.
* The time a submission claims (its entry name and ``timestamp.txt``, both written by the
  trainee) does not count when it is earlier than the files' last change (``st_ctime``): the
  file time counts, in ``submitted/`` and in the gradebook's lateness, and the trainer is told.
  nbgrader's own submit is left as it is.

The entries are written by this process's account under trainee names that are no system
account (one shared account), so the owner check is that account's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from grading_course import _set_answer_cell, make_course, released

pytestmark = pytest.mark.slow

FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@pytest.fixture
def course(tmp_path, monkeypatch):
    import toolkit.cases
    from toolkit.training.course import course as course_module

    monkeypatch.setattr(toolkit.cases, "ASSIGNMENTS", ("ps1",), raising=False)
    root = make_course(tmp_path / "course")
    course_module.release(root)
    files = tmp_path / "files"
    files.mkdir()
    nbformat.write(_set_answer_cell(released(root), "x = 42\ny = 3"), files / "ps1.ipynb")
    (files / "answers.json").write_text(
        '{"assignment": "ps1", "student": "x", "answers": {"q1": {"raw": "好", "saved_at": "x"}}}', encoding="utf-8")
    inbound = root / "exchange" / "jiuzhu" / "inbound"
    yield {"root": root, "files": files, "inbound": inbound}
    subprocess.run(["rm", "-rf", str(inbound)], check=False)     # shutil.rmtree recurses too


def _entry(env, student: str, when: str | None, *, text: str | None = None, name_time: str | None = None) -> Path:
    """An inbound entry of ``student`` claiming ``when`` (in its name, and in ``timestamp.txt``
    unless ``text`` says otherwise; ``text=""``: no ``timestamp.txt``)."""
    entry = env["inbound"] / f"{student}+ps1+{name_time or when}+r{student}"
    entry.mkdir()
    shutil.copy(env["files"] / "ps1.ipynb", entry / "ps1.ipynb")
    (entry / "answers.json").write_text(json.dumps(
        {"assignment": "ps1", "student": student, "answers": {"q1": {"raw": "好", "saved_at": "x"}}}), encoding="utf-8")
    stamp = when if text is None else text
    if stamp:
        (entry / "timestamp.txt").write_text(stamp, encoding="utf-8")
    return entry


def _deep_chain(entry: Path, levels: int) -> None:
    fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        os.close(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
    finally:
        os.close(fd)


def _many_folders(entry: Path, count: int) -> None:
    entry.mkdir(exist_ok=True)
    for i in range(count):
        (entry / f"f{i:05d}").mkdir()


HOSTILE = [   # (label, how the entry is made, reason shown)
    ("chain_of_1100_folders", lambda e: _deep_chain(e, 1100), "文件夹嵌套过深（超过 16 层）"),
    ("5000_empty_folders_in_one", lambda e: _many_folders(e, 5000), "一个文件夹中的文件和文件夹过多（超过 600 个）"),
    ("150_folders_in_15", lambda e: [_many_folders(e / f"g{i}", 9) for i in range(15)], "提交的文件夹过多（超过 100 个）"),
]


@pytest.mark.parametrize("label,make,reason", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_one_hostile_entry_does_not_stop_the_collect_of_everyone_else(course, capsys, label, make, reason):
    from toolkit.cli.course import _collect
    from toolkit.training.course import course as course_module

    now = _utc_now().strftime(FORMAT)
    for student in ("zhonest1", "zhonest2"):
        _entry(course, student, now)
    bad = _entry(course, "zmallory", now)
    make(bad)
    for attempt in (1, 2):                  # the bad entry stays; the next collect refuses it again
        run = course_module.collect_run(course["root"], ["ps1"])
        assert run.collected == {"ps1": ["zhonest1", "zhonest2"]}, attempt
        assert len(run.refused) == 1 and bad.name in run.refused[0] and reason in run.refused[0], run.refused
        assert not (course["root"] / "submitted" / "zmallory").exists()
    assert "rm -rf" in run.left_behind and bad.name in run.left_behind
    rc = _collect(argparse.Namespace(course=str(course["root"]), assignments=["ps1"]))
    out = capsys.readouterr().out
    assert rc == 1 and "ps1：已收取 2 份作业" in out and reason in out and "rm -rf" in out


def test_an_entry_that_grows_past_a_cap_after_its_check_is_refused_at_the_copy(course, monkeypatch):
    """The trainee adds folders between the check and the copy: the copy's own caps refuse it."""
    from toolkit.training.course import course as course_module
    from toolkit.training.course import inbound

    now = _utc_now().strftime(FORMAT)
    _entry(course, "zhonest1", now)
    bad = _entry(course, "zmallory", now)
    checked = inbound.vet_entries

    def vet_then_grow(folder, assignment):
        vetted = checked(folder, assignment)
        _deep_chain(bad, 40)
        return vetted

    monkeypatch.setattr(inbound, "vet_entries", vet_then_grow)
    run = course_module.collect_run(course["root"], ["ps1"])
    assert run.collected == {"ps1": ["zhonest1"]}
    assert len(run.refused) == 1 and bad.name in run.refused[0] and "嵌套过深" in run.refused[0]


def _claim(days: float = 0, minutes: float = 0) -> str:
    return (_utc_now() - dt.timedelta(days=days, minutes=minutes)).strftime(FORMAT)


CLAIMS = [   # (label, kwargs of _entry from the present time, corrected to the file time?)
    ("honest_now", lambda: {"when": _claim()}, False),
    ("within_tolerance", lambda: {"when": _claim(minutes=2)}, False),
    ("two_days_early", lambda: {"when": _claim(days=2)}, True),
    ("early_in_the_file_only", lambda: {"when": _claim(), "text": _claim(days=2)}, True),
    ("early_in_the_name_only", lambda: {"when": _claim(), "name_time": _claim(days=2)}, True),
    ("early_in_beijing_time", lambda: {"when": _claim(), "text": (_utc_now() + dt.timedelta(hours=8, minutes=-30))
                                       .strftime("%Y-%m-%d %H:%M:%S.%f Asia/Shanghai")}, True),
    ("on_time_in_beijing_time", lambda: {"when": _claim(), "text": (_utc_now() + dt.timedelta(hours=8))
                                         .strftime("%Y-%m-%d %H:%M:%S.%f Asia/Shanghai")}, False),
    ("no_timestamp_file", lambda: {"when": _claim(), "text": ""}, True),
    ("unreadable_time_in_the_name", lambda: {"when": _claim(), "name_time": "yesterday-ish"}, True),
]


@pytest.mark.parametrize("label,claim,corrected", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_a_claimed_time_earlier_than_the_files_counts_as_the_file_time(course, label, claim, corrected):
    from nbgrader.utils import parse_utc

    from toolkit.training.course import course as course_module

    before = _utc_now() - dt.timedelta(seconds=2)
    entry = _entry(course, "zlate", **claim())
    after = _utc_now() + dt.timedelta(seconds=2)
    run = course_module.collect_run(course["root"], ["ps1"])
    assert run.collected == {"ps1": ["zlate"]} and not run.refused
    kept = (course["root"] / "submitted" / "zlate" / "ps1" / "timestamp.txt").read_text(encoding="utf-8")
    if corrected:
        assert before <= parse_utc(kept) <= after, kept
        assert len(run.retimed) == 1 and entry.name in run.retimed[0], run.retimed
        assert "提交时间与文件时间不符，按文件时间计" in run.retimed[0]
    else:
        assert kept == (entry / "timestamp.txt").read_text(encoding="utf-8") and not run.retimed


def test_nbgrader_submit_is_taken_at_its_own_time(course, tmp_path):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    from toolkit.training.course import course as course_module
    from toolkit.training.course.inbound import OwnEntrySubmit

    home = tmp_path / "home"
    (home / "ps1").mkdir(parents=True)
    shutil.copy(course["files"] / "ps1.ipynb", home / "ps1" / "ps1.ipynb")
    shutil.copy(course["files"] / "answers.json", home / "ps1" / "answers.json")
    config = course_module.load_config(course["root"])
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(tmp_path / "cache")
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = "ps1", "zsubmit"
    OwnEntrySubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()
    [entry] = course["inbound"].iterdir()
    run = course_module.collect_run(course["root"], ["ps1"])
    assert run.collected == {"ps1": ["zsubmit"]} and not run.retimed and not run.refused
    kept = course["root"] / "submitted" / "zsubmit" / "ps1" / "timestamp.txt"
    assert kept.read_text() == (entry / "timestamp.txt").read_text() == entry.name.split("+")[2]


def test_the_corrected_time_is_the_one_graded_late(course, capsys):
    """Two days late, claiming to be on time: the gradebook counts it late from the file time."""
    from toolkit.cli.course import _collect
    from toolkit.training.grading.grading import grade_course

    due = _utc_now() - dt.timedelta(days=1)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course['root'] / 'gradebook.db'}", "jiuzhu") as gb:
        gb.update_or_create_assignment("ps1", duedate=due)
    _entry(course, "zlate", _claim(days=2))             # the deadline passed a day ago
    rc = _collect(argparse.Namespace(course=str(course["root"]), assignments=["ps1"]))
    out = capsys.readouterr().out
    assert rc == 1 and "已按文件时间收取" in out and "提交时间与文件时间不符" in out
    run = grade_course(course["root"], jobs=1, timeout=60, progress=False, unsafe_no_sandbox=True)
    [outcome] = run.outcomes
    assert 0.9 * 86400 < outcome.seconds_late < 1.1 * 86400, outcome.seconds_late


def test_the_formgraders_collect_button_vets_and_retimes_as_jiuzhu_course_collect_does(course):
    """The formgrader's 收取 button calls nbgrader's ``NbGraderAPI.collect`` on the configured
    (real) exchange: the course configuration makes that collect vet the entries and collect from
    a private copy, so a forged early time is corrected and a hostile entry is never collected."""
    from traitlets.config import Config

    from toolkit.training.course import course as course_module
    from toolkit.training.course.course_config import OWN_ENTRY_SUBMIT, VETTED_COLLECT, configure

    every_course = Config()            # what every course's (and hub course's) configuration gets
    configure(every_course, course["root"] / "configured")
    assert (every_course.ExchangeFactory.collect, every_course.ExchangeFactory.submit) == (VETTED_COLLECT,
                                                                                           OWN_ENTRY_SUBMIT)
    with (course["root"] / "nbgrader_config.py").open("a", encoding="utf-8") as config:   # the test course's
        config.write(f"c.ExchangeFactory.collect = {VETTED_COLLECT!r}\n")
    now = _utc_now()
    _entry(course, "zhonest1", now.strftime(FORMAT))
    forged = (now - dt.timedelta(days=2)).strftime(FORMAT)
    _entry(course, "zforger", forged)
    _deep_chain(_entry(course, "zmallory", now.strftime(FORMAT)), 40)
    with course_module.nbgrader_api(course["root"]) as api:          # exactly the button's call
        assert api.collect("ps1")["success"]
        assert sorted(api.get_submitted_students("ps1")) == ["zforger", "zhonest1"]
    stamp = (course["root"] / "submitted" / "zforger" / "ps1" / "timestamp.txt").read_text(encoding="utf-8")
    taken = dt.datetime.strptime(stamp, FORMAT)
    assert stamp != forged and abs((taken - now).total_seconds()) < 300      # the file time, not the claim
    assert not (course["root"] / "submitted" / "zmallory").exists()
    assert list(course["inbound"].iterdir())            # the exchange itself is left as it was

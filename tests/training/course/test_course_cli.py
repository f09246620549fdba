import shutil

import pytest

from training_helpers import REPO
from toolkit.cli import main

pytestmark = pytest.mark.usefixtures("practice_assignment")


def test_course_help_is_chinese(capsys):
    try:
        main(["course", "--help"])
    except SystemExit as exit:
        assert exit.code == 0
    out = capsys.readouterr().out
    assert "生成练习" in out and "收取作业" in out and "生成反馈" in out


def test_missing_course_folder_is_a_user_error(tmp_path, capsys):
    assert main(["course", "build", "--course", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nbgrader_config.py" in err and str(tmp_path) in err and "Traceback" not in err


def test_unknown_assignment_is_named_with_the_choices(tmp_path, capsys):
    shutil.copy(REPO / "courses" / "nbgrader_config.py", tmp_path)
    assert main(["course", "release", "m99_nothing", "--course", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "m99_nothing" in err and "t01_practice" in err
    assert not (tmp_path / "release").exists()


def test_feedback_without_arguments_on_a_fresh_course_says_what_it_skipped(tmp_path, capsys):
    from nbgrader.api import Gradebook

    shutil.copy(REPO / "courses" / "nbgrader_config.py", tmp_path)
    assert main(["course", "feedback", "--release", "--course", str(tmp_path)]) == 0
    assert "还没有任何练习" in capsys.readouterr().out
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", "jiuzhu") as gb:
        gb.update_or_create_assignment("t01_practice")          # released, no submissions yet
    assert main(["course", "feedback", "--course", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "练习 t01_practice：还没有已评分的提交，跳过。" in out.out and "Traceback" not in out.err


def test_cases_are_made_without_answers_for_the_named_trainee(tmp_path, capsys):
    import json

    shutil.copy(REPO / "courses" / "nbgrader_config.py", tmp_path)
    assert main(["course", "cases", "--student", "li4", "--course", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "cases" / "li4" / "t01_practice.json").read_text("utf-8"))
    assert data["student"] == "li4" and data["questions"] and "answer" not in json.dumps(data["questions"])
    assert oct((tmp_path / ".jiuzhu" / "course_secret").stat().st_mode & 0o777) == "0o600"
    assert main(["course", "cases", "--course", str(tmp_path)]) == 2         # no roster, no --student
    assert "花名册为空" in capsys.readouterr().err


@pytest.mark.parametrize("config_line,course", [("", "jiuzhu"), ("c.CourseDirectory.course_id = 'jiezhen'\n", "jiezhen")])
def test_cases_reach_the_home_under_the_courses_own_id(tmp_path, config_line, course):
    """One machine: ``--home`` delivers into ``~/.jiuzhu/cases/<course id>/`` (the repository's course:
    ``jiuzhu``), so a second course's case of the same exercise never replaces the first's."""
    import json

    root, home = tmp_path / "course", tmp_path / "home"
    root.mkdir()
    config = (REPO / "courses" / "nbgrader_config.py").read_text(encoding="utf-8")
    (root / "nbgrader_config.py").write_text(config + config_line, encoding="utf-8")
    assert main(["course", "cases", "--student", "li4", "--course", str(root), "--home", str(home)]) == 0
    delivered = home / ".jiuzhu" / "cases" / course / "li4" / "t01_practice.json"
    assert [p.relative_to(home / ".jiuzhu" / "cases") for p in (home / ".jiuzhu" / "cases").rglob("*.json")] == \
        [delivered.relative_to(home / ".jiuzhu" / "cases")]
    assert json.loads(delivered.read_text(encoding="utf-8"))["course"] == course
    outbox = json.loads((root / "cases" / "li4" / "t01_practice.json").read_text(encoding="utf-8"))
    assert outbox == json.loads(delivered.read_text(encoding="utf-8"))

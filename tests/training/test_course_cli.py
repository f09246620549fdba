import shutil

from training_helpers import REPO
from toolkit.cli import main


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

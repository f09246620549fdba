"""A bureau that installed the package starts a course with `jiuzhu course init` (no repository needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.training.course.course_config import CONFIG_NAME, CONFIG_TEXT

ROOT = Path(__file__).resolve().parents[1]


def test_the_repository_course_config_is_the_text_course_init_writes():
    assert (ROOT / "courses" / CONFIG_NAME).read_text(encoding="utf-8") == CONFIG_TEXT


def test_course_init_writes_the_config_and_never_overwrites(tmp_path, capsys):
    folder = tmp_path / "我的课程"
    assert main(["course", "init", str(folder)]) == 0
    assert (folder / CONFIG_NAME).read_text(encoding="utf-8") == CONFIG_TEXT
    (folder / CONFIG_NAME).write_text(CONFIG_TEXT + "# 本单位的设置\n", encoding="utf-8")
    assert main(["course", "init", str(folder)]) == 2
    assert "不会覆盖" in capsys.readouterr().err
    assert (folder / CONFIG_NAME).read_text(encoding="utf-8").endswith("# 本单位的设置\n")


@pytest.mark.slow
def test_a_new_course_folder_builds_an_exercise(tmp_path):
    folder = tmp_path / "课程"
    assert main(["course", "init", str(folder)]) == 0
    assert main(["course", "build", "m01_means_test", "--course", str(folder)]) == 0
    assert (folder / "release" / "m01_means_test" / "m01_means_test.ipynb").is_file()

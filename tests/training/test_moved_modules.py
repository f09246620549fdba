"""Courses written before the re-cut keep working: their files name the old module paths."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

OLD_TO_NEW = [
    ("toolkit.training.course_config", "toolkit.training.course.course_config", "configure"),
    ("toolkit.training.exercise", "toolkit.training.trainee.exercise", "start"),
    ("toolkit.training.autograde", "toolkit.training.trainee.autograde", "grade"),
    ("toolkit.training.cards", "toolkit.training.trainee.cards", None),
    ("toolkit.training.answers", "toolkit.training.trainee.answers", None),
    ("toolkit.training.sandbox", "toolkit.training.grading.sandbox", "SandboxProvisioner"),
]


@pytest.mark.parametrize("old, new, name", OLD_TO_NEW)
def test_an_old_module_path_loads_the_module_in_its_new_home(old, new, name):
    script = (f"import importlib; old = importlib.import_module({old!r}); "
              f"new = importlib.import_module({new!r}); assert old is new; "
              + (f"from {old} import {name}; assert {name} is new.{name}" if name else "pass"))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_course_config_written_before_the_recut_still_configures_nbgrader(tmp_path):
    # the line `jiuzhu course init` wrote into nbgrader_config.py before the re-cut
    config = tmp_path / "nbgrader_config.py"
    config.write_text("from pathlib import Path\nfrom toolkit.training.course_config import configure\n"
                      "c = get_config()\nconfigure(c, Path(__file__).resolve().parent)\n", encoding="utf-8")
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    loaded = PyFileConfigLoader(config.name, path=str(tmp_path)).load_config()
    assert isinstance(loaded, Config)
    assert loaded.CourseDirectory.root == str(tmp_path), "the old config file configured nothing"


def test_an_unknown_old_path_is_still_an_import_error():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("toolkit.training.no_such_module")

"""Cases are written into a trainee's home without following a symlink the trainee planted."""

from __future__ import annotations

import os

import pytest

from toolkit.hub.cases import _DIR_FLAGS, _open_dir, _write


def test_cases_are_written_below_the_home_with_its_owner(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    fd = os.open(home, _DIR_FLAGS)
    try:
        sub = _open_dir(fd, ".jiuzhu", os.getuid(), os.getgid())
        _write(sub, "m01_means_test.json", {"student": "dh001"}, os.getuid(), os.getgid())
        os.close(sub)
    finally:
        os.close(fd)
    written = home / ".jiuzhu" / "m01_means_test.json"
    assert written.read_text(encoding="utf-8").strip().startswith("{")
    assert oct(written.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("planted", ["folder", "file"])
def test_a_planted_symlink_is_never_followed(tmp_path, planted):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    fd = os.open(home, _DIR_FLAGS)
    try:
        with pytest.raises(OSError):
            if planted == "folder":
                (home / ".jiuzhu").symlink_to(elsewhere)
                _open_dir(fd, ".jiuzhu", os.getuid(), os.getgid())
            else:
                (home / "m01_means_test.json").symlink_to(elsewhere / "stolen.json")
                _write(fd, "m01_means_test.json", {"student": "dh001"}, os.getuid(), os.getgid())
    finally:
        os.close(fd)
    assert list(elsewhere.iterdir()) == []

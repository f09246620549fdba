"""Cases are written into a trainee's home without following a symlink the trainee planted, and
without opening whatever the trainee left at the file's name (a FIFO would block the hub, a hard
link would make root truncate the file it points to)."""

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


def test_a_planted_folder_link_is_never_followed(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / ".jiuzhu").symlink_to(elsewhere)
    fd = os.open(home, _DIR_FLAGS)
    try:
        with pytest.raises(OSError):
            _open_dir(fd, ".jiuzhu", os.getuid(), os.getgid())
    finally:
        os.close(fd)
    assert list(elsewhere.iterdir()) == []


def _plant(kind: str, path, target) -> None:
    target.write_text("系统文件", encoding="utf-8")
    if kind == "symlink":
        path.symlink_to(target)
    elif kind == "hard link":
        os.link(target, path)
    elif kind == "fifo":
        os.mkfifo(path)


PLANTED = ["symlink", "hard link", "fifo", "nothing"]


@pytest.mark.parametrize("kind", PLANTED)
def test_whatever_is_planted_at_a_case_file_is_replaced_unopened(tmp_path, kind):
    """deliver_cases: the case file is renamed over what the trainee left there; a FIFO never
    blocks (the hub's event loop would stop for everyone), the linked file keeps its text."""
    home, target = tmp_path / "home", tmp_path / "system-file"
    home.mkdir()
    _plant(kind, home / "m01_means_test.json", target)
    fd = os.open(home, _DIR_FLAGS)
    try:
        assert _write(fd, "m01_means_test.json", {"student": "dh001"}, os.getuid(), os.getgid())
    finally:
        os.close(fd)
    written = home / "m01_means_test.json"
    assert written.is_file() and not written.is_symlink() and written.stat().st_nlink == 1
    assert '"dh001"' in written.read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "系统文件"
    assert sorted(p.name for p in home.iterdir()) == ["m01_means_test.json"]   # no temp file left


@pytest.mark.parametrize("kind", PLANTED)
def test_a_seeded_file_never_touches_what_is_there(tmp_path, kind):
    """seed_home_file's write (replace=False): written only where nothing is; else left alone."""
    home, target = tmp_path / "home", tmp_path / "system-file"
    home.mkdir()
    _plant(kind, home / "workspace.json", target)
    fd = os.open(home, _DIR_FLAGS)
    try:
        written = _write(fd, "workspace.json", {"data": {}}, os.getuid(), os.getgid(), replace=False)
    finally:
        os.close(fd)
    assert written == (kind == "nothing")
    assert target.read_text(encoding="utf-8") == "系统文件"
    assert len(list(home.iterdir())) == 1

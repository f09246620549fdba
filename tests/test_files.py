"""Atomic writes (toolkit.files): nothing half-written, and a private file private from its first byte."""

import os
import stat

import pytest

from toolkit.files import atomic_path, save_workbook


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mode, expected", [(None, 0o644), (0o600, 0o600)])
def test_the_file_has_its_mode_while_it_is_written_and_after(tmp_path, mode, expected):
    old = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.txt", mode=mode) as tmp:
            assert _mode(tmp) == expected          # while the content is being written
            tmp.write_text("x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out.txt") == expected


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    final = tmp_path / "out.txt"
    final.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(final) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert final.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_private_workbook_is_never_readable_by_others(tmp_path, monkeypatch):
    from openpyxl import Workbook

    seen = []
    workbook = Workbook()
    real_save = workbook.save
    monkeypatch.setattr(workbook, "save", lambda p: (real_save(p), seen.append(_mode(p))))
    save_workbook(workbook, tmp_path / "账号清单.xlsx", mode=0o600)
    assert seen == [0o600] and _mode(tmp_path / "账号清单.xlsx") == 0o600

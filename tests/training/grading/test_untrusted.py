"""Every trainee file is read defensively (toolkit.training.trainee.untrusted): size, depth, encoding, type."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest

from toolkit.errors import UserError
from toolkit.training.trainee import untrusted
from toolkit.training.trainee.untrusted import UntrustedFileError

GOOD = {"assignment": "ps1", "student": "s1", "answers": {"q1": {"raw": "好", "saved_at": "x"}}}


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BAD_ANSWERS = [
    ("deep", "[" * 100_000 + "]" * 100_000, "嵌套层数超过"),
    ("deep_object", '{"a":' * 5_000 + "1" + "}" * 5_000, "嵌套层数超过"),
    ("huge", json.dumps({**GOOD, "pad": "x" * (2 * 2**20)}), "文件过大"),
    ("not_utf8", "好".encode("gbk") * 10, "不是 UTF-8"),
    ("not_json", "{ 这不是 JSON", "不是合法的 JSON"),
    ("wrong_shape", json.dumps({"answers": {"q1": "no raw"}}), "内容格式不对"),
    ("not_object", "[1, 2, 3]", "内容格式不对"),
    ("huge_integer", '{"answers": {"q1": {"raw": ' + "9" * 5_000 + "}}}", "不是合法的 JSON"),
    # an unclosed string of \" pairs, just under the cap: a bracket scan that strips strings with a
    # regex restarts at every quote (hours for 1 MiB); the parser reads it once
    ("unclosed_string", '"' + '\\"' * (untrusted.MAX_ANSWERS_BYTES // 2 - 1), "不是合法的 JSON"),
]


@pytest.mark.timeout(60)       # the crafted file would otherwise hang the quadratic reader for hours
@pytest.mark.parametrize("name,content,reason", BAD_ANSWERS, ids=[c[0] for c in BAD_ANSWERS])
def test_bad_answers_files_are_refused_with_a_chinese_reason(tmp_path, name, content, reason):
    import time

    path = _write(tmp_path / "answers.json", content)
    started = time.monotonic()
    with pytest.raises(UntrustedFileError) as err:
        untrusted.load_answers(path)
    # a bound three orders of magnitude above the linear read (milliseconds), far below the hours
    # a quadratic reading of the crafted file takes: not a timing measurement
    assert time.monotonic() - started < 30
    assert isinstance(err.value, UserError)
    assert reason in err.value.reason and str(path) in str(err.value)


def test_brackets_inside_strings_do_not_count_as_depth(tmp_path):
    document = {**GOOD, "answers": {"q1": {"raw": "[[[[" * 100 + '\\"{{{{' * 100, "saved_at": "x"}}}
    path = _write(tmp_path / "answers.json", json.dumps(document))
    assert untrusted.load_answers(path) == document


SPECIAL = ["symlink", "fifo", "device", "directory"]


def _special(path, kind, target):
    if kind == "symlink":
        os.symlink(target, path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 3))      # /dev/null's numbers
    else:
        os.mkdir(path)


@pytest.mark.parametrize("kind", SPECIAL)
def test_links_and_special_files_are_never_opened(tmp_path, kind):
    if kind == "device" and os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    secret = _write(tmp_path / "course_secret", json.dumps(GOOD))
    path = tmp_path / "answers.json"
    _special(path, kind, secret)
    with pytest.raises(UntrustedFileError) as err:      # a FIFO would block a plain open() forever
        untrusted.load_answers(path)
    assert "不是普通文件" in err.value.reason


def test_notebooks_are_read_with_the_same_care(tmp_path):
    import nbformat

    good = tmp_path / "good.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), good)
    assert untrusted.load_notebook(good).cells[0].source == "x = 1"
    cases = {
        "deep.ipynb": ('{"cells": ' + "[" * 50_000 + "]" * 50_000 + "}", "嵌套层数超过"),
        "huge.ipynb": ('{"cells": [], "pad": "' + "x" * (17 * 2**20) + '"}', "文件过大"),
        "nocells.ipynb": ('{"metadata": {}}', "不是可读取的笔记本"),
        "malformed.ipynb": ('{"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5}',
                            "不是可读取的笔记本"),
        "gbk.ipynb": ("笔记本".encode("gbk"), "不是 UTF-8"),
    }
    for name, (content, reason) in cases.items():
        with pytest.raises(UntrustedFileError) as err:
            untrusted.load_notebook(_write(tmp_path / name, content))
        assert reason in err.value.reason, name


def test_copy_tree_copies_regular_files_only_and_names_the_rest(tmp_path):
    src, dest = tmp_path / "entry", tmp_path / "copy"
    (src / "sub").mkdir(parents=True)
    _write(src / "ps1.ipynb", "{}")
    _write(src / "sub" / "data.csv", "a,b")
    secret = _write(tmp_path / "course_secret", "TOP-SECRET")
    _special(src / "secret", "symlink", secret)
    _special(src / "sub" / "dir_link", "symlink", tmp_path)
    _special(src / "pipe", "fifo", None)
    if os.geteuid() == 0:
        _special(src / "null", "device", None)
    _write(src / "big.bin", b"0" * 2048)
    refusals = untrusted.copy_tree(src, dest, max_file=1024)
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*"))
    assert copied == ["ps1.ipynb", "sub", "sub/data.csv"]
    refused = {r.path.name: r.reason for r in refusals}
    assert "符号链接" in refused["secret"] and "符号链接" in refused["dir_link"]
    assert "命名管道" in refused["pipe"] and "文件过大" in refused["big.bin"]
    if os.geteuid() == 0:
        assert "字符设备" in refused["null"]
    assert all(not p.is_symlink() for p in dest.rglob("*"))
    assert "TOP-SECRET" not in "".join(p.read_text() for p in dest.rglob("*") if p.is_file())
    assert untrusted.scan_tree(src, max_file=1024) and not untrusted.scan_tree(dest)


def test_copy_tree_stops_at_the_total_cap(tmp_path):
    src = tmp_path / "entry"
    src.mkdir()
    for i in range(5):
        _write(src / f"f{i}.bin", b"1" * 1000)
    refusals = untrusted.copy_tree(src, tmp_path / "copy", max_total=2500)
    assert sum(p.stat().st_size for p in (tmp_path / "copy").iterdir()) <= 2500
    assert refusals


def _chain(top, levels):
    """``levels`` nested folders ``d`` (made relative to each other: ``os.makedirs`` recurses too)."""
    top.mkdir()
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(levels):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(fd)


def _wide(top, count):
    top.mkdir()
    for i in range(count):
        (top / f"f{i}").mkdir()


def _forest(top, groups):
    for g in range(groups):
        (top / f"g{g}" / "a" / "b").mkdir(parents=True)


SHAPES = [   # (label, make the tree, reason of scan_tree and of copy_tree)
    ("chain_of_1100", lambda top: _chain(top, 1100), "嵌套过深（超过 16 层）"),
    ("chain_of_17", lambda top: _chain(top, 17), "嵌套过深（超过 16 层）"),
    ("3000_folders_side_by_side", lambda top: _wide(top, 3000), "过多"),
    ("120_folders_three_deep", lambda top: _forest(top, 40), "文件夹过多（超过 100 个）"),
]


@pytest.mark.parametrize("label,make,reason", SHAPES, ids=[s[0] for s in SHAPES])
def test_folder_trees_past_the_caps_are_refused_without_recursing(tmp_path, request, label, make, reason):
    src = tmp_path / "entry"
    make(src)
    request.addfinalizer(lambda: subprocess.run(["rm", "-rf", str(src)], check=False))  # rmtree recurses
    scanned = untrusted.scan_tree(src)
    assert scanned and reason in scanned[-1].reason, scanned
    copied = untrusted.copy_tree(src, tmp_path / "copy")
    assert copied and any(reason in r.reason for r in copied), copied[:3]
    depth = max(len(p.relative_to(tmp_path / "copy").parts) for p in (tmp_path / "copy").rglob("*"))
    assert depth <= untrusted.MAX_TREE_DEPTH
    assert sum(p.is_dir() for p in (tmp_path / "copy").rglob("*")) <= untrusted.MAX_TREE_FOLDERS


def test_a_chain_of_16_folders_is_copied(tmp_path):
    src = tmp_path / "entry"
    _chain(src, 16)
    (src / "/".join(["d"] * 16) / "data.csv").write_text("a,b")
    assert not untrusted.scan_tree(src)
    assert not untrusted.copy_tree(src, tmp_path / "copy")
    assert (tmp_path / "copy" / "/".join(["d"] * 16) / "data.csv").read_text() == "a,b"


def test_newest_change_reads_every_entry_within_the_caps_and_never_recurses(tmp_path, request):
    src = tmp_path / "entry"
    _chain(src, 1100)
    request.addfinalizer(lambda: subprocess.run(["rm", "-rf", str(src)], check=False))
    (src / "late.txt").write_text("x")
    os.utime(src / "late.txt", (0, 0))                      # mtime set back; ctime cannot be
    newest = untrusted.newest_change(src)
    assert newest == max(os.lstat(src).st_ctime, os.lstat(src / "late.txt").st_ctime) > 1e9

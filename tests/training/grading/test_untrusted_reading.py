"""Defensive reading of trainee files (toolkit.training.trainee.untrusted, the interface of issue 24 as the
in-process grading of issue 26 uses it): every bad file is refused with a Chinese reason."""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from toolkit.training.trainee import untrusted

GOOD = {"assignment": "m01", "student": "s1", "answers": {"q1": {"raw": "1500"}}}


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


# (what the file holds, the Chinese reason expected)
BAD_ANSWERS = [
    ("too big", json.dumps({**GOOD, "pad": "x" * (untrusted.MAX_ANSWERS_BYTES + 1)}), "文件过大"),
    ("too deep", "[" * 100 + "]" * 100, "嵌套层数"),
    ("not utf-8", "{\"answers\": \"中\"}".encode("gb18030"), "UTF-8"),
    ("not json", "{ 这不是", "不是合法的 JSON"),
    ("no answers", json.dumps({"student": "s1"}), "缺少 answers"),
    ("answer without raw", json.dumps({"answers": {"q1": {"value": 1}}}), "缺少 answers 或 raw"),
    ("student not text", json.dumps({**GOOD, "student": ["s1"]}), "student 不是文字"),
]


@pytest.mark.parametrize("what,content,reason", BAD_ANSWERS, ids=[b[0] for b in BAD_ANSWERS])
def test_bad_answers_files_are_refused_with_a_reason(tmp_path, what, content, reason):
    path = tmp_path / "answers.json"
    _write(path, content)
    with pytest.raises(untrusted.UntrustedFileError) as err:
        untrusted.load_answers(path)
    assert reason in err.value.reason and str(path) in str(err.value)


def test_links_fifos_and_missing_files_are_never_read(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "link.json").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.json")
    for name, reason in (("link.json", "不是普通文件"), ("fifo.json", "不是普通文件"), ("none.json", "不存在")):
        with pytest.raises(untrusted.UntrustedFileError) as err:
            untrusted.load_answers(tmp_path / name)
        assert reason in err.value.reason
    assert untrusted.load_answers(target) == GOOD


def test_a_notebook_is_read_into_nbformat_or_refused(tmp_path):
    good = tmp_path / "good.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), good)
    assert untrusted.load_notebook(good).cells[0].source == "x = 1"
    for name, content, reason in (("no_cells.ipynb", json.dumps({"metadata": {}}), "缺少 cells"),
                                  ("deep.ipynb", "[" * 100 + "]" * 100, "嵌套层数"),
                                  ("cut.ipynb", good.read_text(encoding="utf-8")[:40], "不是合法的 JSON")):
        _write(tmp_path / name, content)
        with pytest.raises(untrusted.UntrustedFileError) as err:
            untrusted.load_notebook(tmp_path / name)
        assert reason in err.value.reason
    with pytest.raises(untrusted.UntrustedFileError):
        untrusted.load_notebook(good, max_bytes=10)

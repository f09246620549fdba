"""Reading what a trainee wrote: a trainee file is hostile until proven otherwise.

Minimal version written for issue 26 (in-process grading of answer cards) against the interface
issue 24 defines; the two are reconciled at merge.  :func:`load_answers` and
:func:`load_notebook` read a *regular* file only (never through a symbolic link, never a FIFO or
device), at most a size cap, strict UTF-8, with the JSON nesting depth checked before parsing.
A bad file raises :class:`UntrustedFileError` (a :class:`~toolkit.errors.UserError`) whose
``reason`` says in Chinese what is wrong.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from toolkit.errors import UserError

MAX_ANSWERS_BYTES = 1 * 2**20         # an answers.json of a whole exercise is a few KiB
MAX_NOTEBOOK_BYTES = 16 * 2**20       # a submitted notebook
MAX_DEPTH = 64                        # notebooks and answers need fewer than 12 levels

TEXT = {
    "missing": "文件不存在",
    "not_regular": "不是普通文件（符号链接、管道或设备），出于安全不读取",
    "too_big": "文件过大（{size} 字节，上限 {cap} 字节）",
    "not_utf8": "不是 UTF-8 编码的文本",
    "too_deep": "嵌套层数超过 {cap} 层",
    "not_json": "不是合法的 JSON（第 {line} 行）",
    "bad_shape": "内容格式不对：{what}",
    "not_notebook": "不是可读取的笔记本（{what}）",
    "message": "{path}：{reason}",
}


class UntrustedFileError(UserError):
    """A trainee file that is not read: ``path`` and the Chinese ``reason``."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(TEXT["message"].format(path=self.path, reason=reason))


def read_bytes(path: Path | str, max_bytes: int) -> bytes:
    """The content of a regular file of at most ``max_bytes`` (no link, FIFO or device)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UntrustedFileError(path, TEXT["missing"]) from None
    except OSError:
        raise UntrustedFileError(path, TEXT["not_regular"]) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedFileError(path, TEXT["not_regular"])
        if info.st_size > max_bytes:
            raise UntrustedFileError(path, TEXT["too_big"].format(size=info.st_size, cap=max_bytes))
        data = handle.read(max_bytes + 1)          # the file may grow after fstat
    if len(data) > max_bytes:
        raise UntrustedFileError(path, TEXT["too_big"].format(size=f"{len(data)}+", cap=max_bytes))
    return data


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_json(path: Path | str, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    data = read_bytes(path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UntrustedFileError(path, TEXT["not_utf8"]) from None
    if json_depth(text) > max_depth:
        raise UntrustedFileError(path, TEXT["too_deep"].format(cap=max_depth))
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise UntrustedFileError(path, TEXT["not_json"].format(line=getattr(err, "lineno", "?"))) from None


def load_answers(path: Path | str) -> dict[str, Any]:
    """An answers sidecar: ``{"assignment", "student", "answers": {qid: {"raw": …}}}``."""
    document = load_json(path, MAX_ANSWERS_BYTES)
    answers = document.get("answers") if isinstance(document, dict) else None
    if not isinstance(answers, dict) or not all(isinstance(v, dict) and "raw" in v for v in answers.values()):
        raise UntrustedFileError(path, TEXT["bad_shape"].format(what="缺少 answers 或 raw 字段"))
    for key in ("assignment", "student"):
        if not isinstance(document.get(key, ""), str):
            raise UntrustedFileError(path, TEXT["bad_shape"].format(what=f"{key} 不是文字"))
    return document


def load_notebook(path: Path | str, max_bytes: int = MAX_NOTEBOOK_BYTES):
    """A submitted notebook (nbformat 4 node), read defensively."""
    import nbformat

    document = load_json(path, max_bytes)
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise UntrustedFileError(path, TEXT["not_notebook"].format(what="缺少 cells"))
    try:
        return nbformat.reads(json.dumps(document), as_version=4)
    except Exception as err:          # nbformat raises many kinds on a malformed notebook
        raise UntrustedFileError(path, TEXT["not_notebook"].format(what=type(err).__name__)) from None

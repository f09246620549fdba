"""The answers sidecar: ``answers.json`` next to the notebook in the assignment folder.

Shape (shared with the grading side)::

    {"assignment": "m01_means_test", "student": "zhang3",
     "answers": {"q1": {"raw": "１５００元", "saved_at": "2026-11-26T23:40:05+00:00"}}}

``raw`` is the text exactly as typed (a multiple-choice answer is a list of option keys).
Every save rewrites the whole file atomically (temporary file in the same folder, then
``os.replace``), so a crash never leaves half a file for the autograder.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from toolkit.errors import UserError

SIDECAR_NAME = "answers.json"


class AnswersFileError(UserError):
    """The sidecar exists but cannot be read (edited by hand, truncated, wrong shape)."""


def sidecar_path(folder: Path | str) -> Path:
    return Path(folder) / SIDECAR_NAME


def read_sidecar(folder: Path | str) -> dict[str, Any]:
    """The whole sidecar document; an empty one when the file does not exist yet."""
    path = sidecar_path(folder)
    if not path.exists():
        return {"assignment": "", "student": "", "answers": {}}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise AnswersFileError(
            f"作答文件 {path} 无法读取（{err.__class__.__name__}）。"
            "请不要手工编辑该文件；可删除后重新在答题卡中作答。") from None
    answers = document.get("answers") if isinstance(document, dict) else None
    if not isinstance(answers, dict) or not all(
            isinstance(v, dict) and "raw" in v for v in answers.values()):
        raise AnswersFileError(
            f"作答文件 {path} 的内容格式不对（缺少 answers 或 raw 字段）。"
            "请不要手工编辑该文件；可删除后重新在答题卡中作答。")
    return document


def load_answers(folder: Path | str) -> dict[str, Any]:
    """``{question id: raw response}`` from the sidecar in ``folder`` (empty when none)."""
    return {qid: entry["raw"] for qid, entry in read_sidecar(folder)["answers"].items()}


def save_answer(folder: Path | str, assignment: str, student: str, qid: str, raw: Any) -> str:
    """Store one raw response and return its ``saved_at`` timestamp (ISO 8601, UTC).

    A blank response (``""``, ``None``, empty list) removes the question from the file.
    """
    folder = Path(folder)
    document = read_sidecar(folder)
    document["assignment"] = assignment
    document["student"] = student
    saved_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    blank = raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []
    if blank:
        document["answers"].pop(qid, None)
    else:
        document["answers"][qid] = {"raw": raw, "saved_at": saved_at}
    _write_atomically(sidecar_path(folder), document)
    return saved_at


def _write_atomically(path: Path, document: dict) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    fd, tmp = tempfile.mkstemp(prefix=".answers-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

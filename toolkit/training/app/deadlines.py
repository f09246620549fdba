"""Exercise deadlines as the trainee's app reads them: ``<exchange>/<course>/jiuzhu-deadlines.json``.

The trainer sets a due date in the gradebook (formgrader's 管理作业, or ``nbgrader db assignment
add --duedate``); ``jiuzhu course release`` publishes every due date of the course next to its
``outbound`` folder (:func:`write_deadlines`, trainer side), where each trainee's kernel can read
it (:func:`read_deadlines`).  nbgrader's exchange does not carry due dates to trainees.

Shape: ``{"m01_means_test": "2026-12-20T10:00:00+00:00"}`` (ISO 8601, UTC).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from toolkit.files import atomic_path

DEADLINES_NAME = "jiuzhu-deadlines.json"
_MAX_BYTES = 64 * 1024


def deadlines_path(exchange_root: Path | str, course_id: str) -> Path:
    return Path(exchange_root) / course_id / DEADLINES_NAME


def write_deadlines(exchange_root: Path | str, course_id: str, due: dict[str, datetime]) -> Path:
    """Publish ``due`` (aware datetimes; naive ones are UTC, as nbgrader stores them), replacing
    the previous file atomically; readable by every trainee."""
    path = deadlines_path(exchange_root, course_id)
    text = json.dumps({name: (when if when.tzinfo else when.replace(tzinfo=timezone.utc))
                       .astimezone(timezone.utc).isoformat(timespec="minutes")
                       for name, when in sorted(due.items())}, ensure_ascii=False, indent=1)
    with atomic_path(path, mode=0o644) as tmp:      # a fresh temporary name, never a planted link
        tmp.write_text(text + "\n", encoding="utf-8")
    return path


def read_deadlines(exchange_root: Path | str, course_id: str) -> dict[str, datetime]:
    """The published due dates of ``course_id``; empty when none (or the file is unreadable)."""
    path = deadlines_path(exchange_root, course_id)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for name, text in (data.items() if isinstance(data, dict) else ()):
        try:
            when = datetime.fromisoformat(str(text))
        except ValueError:
            continue
        found[str(name)] = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return found

"""Writing xlsx workbooks (roster template, training ledger) so no reader sees half a file."""

from __future__ import annotations

from pathlib import Path


def save_workbook(workbook, path: Path) -> Path:
    """Save an openpyxl workbook to a temporary name beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        workbook.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path

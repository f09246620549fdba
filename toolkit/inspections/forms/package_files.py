"""Files the supervision flow ships as package data (found with importlib.resources).

The data-entry notebook lives in the top-level ``inspections/`` (package ``toolkit.inspections.notebooks``); an inspector gets an
editable copy in their own folder with ``jiuzhu inspect entry --out 目录``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from toolkit.errors import UserError

ENTRY_NOTEBOOK_NAME = "data_entry.ipynb"


def entry_notebook() -> Path:
    """The packaged data-entry notebook (read-only: copy it before opening it in JupyterLab)."""
    return Path(str(resources.files("toolkit.inspections.notebooks") / ENTRY_NOTEBOOK_NAME))


def copy_entry_notebook(out_dir: Path | str) -> Path:
    """Write a copy of the data-entry notebook into ``out_dir``; never overwrite one."""
    from toolkit.files import write_bytes_atomic

    target = Path(out_dir) / ENTRY_NOTEBOOK_NAME
    if target.exists():
        raise UserError(f"{target} 已存在，不会覆盖。请换一个目录，或先把原文件移走。")
    return write_bytes_atomic(target, entry_notebook().read_bytes())

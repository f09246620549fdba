"""Named limits of the form import (``form_limits.yaml``): used range, error lines, plausible counts.

Each limit is dated data with its source; ``docs/form-limits.md`` explains them to inspectors.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

LIMITS_FILE = "form_limits.yaml"


@lru_cache(maxsize=None)
def _limits() -> dict[str, int]:
    data = yaml.safe_load(files("toolkit.inspections.forms").joinpath(LIMITS_FILE).read_text(encoding="utf-8"))
    return {key: int(spec["value"]) for key, spec in data["limits"].items()}


def limit(key: str) -> int:
    """The value of one limit, e.g. ``limit("max_rows")``."""
    return _limits()[key]

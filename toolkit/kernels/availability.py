"""Whether kernels can be forked here, and the one line printed when they start cold instead."""

from __future__ import annotations

import os
import sys

from toolkit.kernels import messages as msg

SWITCH = "JIUZHU_WARM_KERNELS"  # "0" turns warm kernels off (cold starts, e.g. to compare)
_noted: set[str] = set()


def unavailable_reason() -> str | None:
    """Why kernels cannot be forked in this process, or ``None`` when they can."""
    if os.environ.get(SWITCH, "1").strip() == "0":
        return msg.DISABLED
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return msg.NO_FORK
    return None


def note_cold(reason: str) -> None:
    """Say once per process and reason that kernels start cold (on stderr)."""
    if reason not in _noted:
        _noted.add(reason)
        print(msg.COLD_START.format(reason=reason), file=sys.stderr, flush=True)

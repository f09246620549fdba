"""Per-trainee memory and CPU limits on a `jiuzhu hub`, with Linux control groups.

JupyterHub's ``mem_limit`` / ``cpu_limit`` are not enforced by the local-process spawners; here
the hub (root) moves each trainee's single-user server into a control group of its own right after
the server starts, so the kernels it starts later are in it too:

* cgroup v2 (``/sys/fs/cgroup/cgroup.controllers``): ``jiuzhu-hub/<user>/memory.max`` and
  ``cpu.max``;
* cgroup v1 (``/sys/fs/cgroup/memory``, ``/sys/fs/cgroup/cpu``): ``memory.limit_in_bytes`` (and
  ``memory.memsw.limit_in_bytes``, so the limit is not escaped into swap) and
  ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``.

Past the memory limit the kernel's OOM killer ends the biggest process of that trainee (usually
the kernel; JupyterLab says the kernel died), never anyone else's.  The CPU limit slows the
trainee's processes down to that many cores.  When no control group is writable the limits are
not enforced and :func:`place` says so (the hub log; `jiuzhu hub start` prints it at start).
"""

from __future__ import annotations

import re
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
TOP = "jiuzhu-hub"
PERIOD_US = 100_000
_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}


def parse_memory(text: str | int) -> int:
    """``"1G"``, ``"512M"``, ``1073741824`` → bytes; 0 or "" → no limit."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\s*", str(text or "0"), re.IGNORECASE)
    if not match:
        raise ValueError(text)
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def mode() -> str:
    """``"v2"``, ``"v1"`` or ``"none"``: which control groups this machine lets the hub use."""
    import os

    if (CGROUP / "cgroup.controllers").exists() and os.access(CGROUP, os.W_OK):
        return "v2"
    if all(os.access(CGROUP / part, os.W_OK) for part in ("memory", "cpu")):
        return "v1"
    return "none"


def folders(user: str, kind: str | None = None) -> list[Path]:
    kind = kind or mode()
    if kind == "v2":
        return [CGROUP / TOP / user]
    if kind == "v1":
        return [CGROUP / "memory" / TOP / user, CGROUP / "cpu" / TOP / user]
    return []


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def place(user: str, pid: int, memory: int, cpus: float) -> str:
    """Put ``pid`` (a trainee's server) into ``user``'s control group with the limits; the mode used."""
    kind = mode()
    if kind == "none" or not (memory or cpus):
        return "none"
    quota = str(int(cpus * PERIOD_US)) if cpus else "-1"
    if kind == "v2":
        top = CGROUP / TOP
        top.mkdir(exist_ok=True)
        _write(CGROUP / "cgroup.subtree_control", "+memory +cpu")
        _write(top / "cgroup.subtree_control", "+memory +cpu")
        folder = top / user
        folder.mkdir(exist_ok=True)
        _write(folder / "memory.max", str(memory) if memory else "max")
        if (folder / "memory.swap.max").exists():
            _write(folder / "memory.swap.max", "0")
        _write(folder / "cpu.max", f"{quota if cpus else 'max'} {PERIOD_US}")
        _write(folder / "cgroup.procs", str(pid))
        return kind
    memory_dir, cpu_dir = folders(user, kind)
    for folder in (memory_dir, cpu_dir):
        folder.mkdir(parents=True, exist_ok=True)
    if memory:
        _write(memory_dir / "memory.limit_in_bytes", str(memory))
        if (memory_dir / "memory.memsw.limit_in_bytes").exists():
            _write(memory_dir / "memory.memsw.limit_in_bytes", str(memory))
    _write(cpu_dir / "cpu.cfs_period_us", str(PERIOD_US))
    _write(cpu_dir / "cpu.cfs_quota_us", quota)
    for folder in (memory_dir, cpu_dir):
        _write(folder / "cgroup.procs", str(pid))
    return kind


def release(user: str) -> None:
    """Remove ``user``'s (empty) control groups after their server stopped; busy ones stay."""
    for folder in folders(user):
        try:
            folder.rmdir()
        except OSError:
            pass


def sweep() -> None:
    """Remove every empty per-trainee control group (after the hub stopped); busy ones stay."""
    tops = [CGROUP / TOP] if mode() == "v2" else [CGROUP / "memory" / TOP, CGROUP / "cpu" / TOP]
    for top in tops:
        for folder in top.glob("*/") if top.is_dir() else []:
            try:
                folder.rmdir()
            except OSError:
                pass

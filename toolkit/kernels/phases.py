"""Where one notebook run's seconds go, from nbclient's own hooks (papermill passes them on).

    clock = PhaseClock()
    NotebookClient(nb, ..., **clock.hooks()).execute()      # or papermill.execute_notebook
    clock.phases()   # {"kernel_launch_s", "handshake_s", "imports_s", "cells_s", "shutdown_s", ...}

``kernel_start_s`` runs until the kernel answered; of it, ``kernel_launch_s`` is the provisioner's
launch (fork or exec) and ``handshake_s`` the rest (only for kernels our provisioner started); ``imports_s`` the first code cell that is not a parameters cell (the imports cell of
our notebooks), ``cells_s`` the other cells, ``shutdown_s`` from the last cell to the end (kernel
shutdown and, under papermill, writing the notebook).
"""

from __future__ import annotations

import time

PARAMETER_TAGS = frozenset({"parameters", "injected-parameters"})
LAST_LAUNCH: dict = {}  # this process's latest launch: {"warm": bool, "launch_s": seconds, ...}


def note_launch(warm: bool, launch_s: float, **extra: float) -> None:
    """Record a kernel launch of this process (our provisioners call this; ``PhaseClock`` reads
    it): ``launch_s`` from the provisioner's start to a running process, ``extra`` e.g.
    ``setup_s`` (the sandbox's private copy of the submission, part of ``launch_s``)."""
    LAST_LAUNCH.clear()
    LAST_LAUNCH.update(warm=warm, launch_s=launch_s, **extra)


class PhaseClock:
    def __init__(self) -> None:
        LAST_LAUNCH.clear()  # a cold ``python3`` kernel does not go through our provisioner
        self.begin = time.perf_counter()
        self.ready: float | None = None
        self.done: float | None = None
        self.imports: float | None = None
        self._cell_started = self.begin

    def hooks(self) -> dict:
        return {"on_notebook_start": self._on_ready, "on_cell_execute": self._on_cell,
                "on_cell_executed": self._on_cell_done, "on_notebook_complete": self._on_done}

    def _on_ready(self, **_) -> None:
        self.ready = self.ready or time.perf_counter()

    def _on_cell(self, **_) -> None:
        self._cell_started = time.perf_counter()

    def _on_cell_done(self, cell, **_) -> None:
        if self.imports is None and not PARAMETER_TAGS & set(cell.metadata.get("tags", [])):
            self.imports = time.perf_counter() - self._cell_started

    def _on_done(self, **_) -> None:
        self.done = self.done or time.perf_counter()

    def phases(self) -> dict:
        """Seconds per phase (empty when the kernel never answered), and ``warm_kernel``."""
        if self.ready is None:
            return {}
        ended = time.perf_counter()
        done = self.done or ended
        imports = self.imports or 0.0
        phases = {"kernel_start_s": self.ready - self.begin, "imports_s": imports,
                  "cells_s": done - self.ready - imports, "shutdown_s": ended - done,
                  "run_s": ended - self.begin}
        if "launch_s" in LAST_LAUNCH:  # split only what our provisioner measured
            phases["kernel_launch_s"] = LAST_LAUNCH["launch_s"]
            phases["handshake_s"] = phases["kernel_start_s"] - LAST_LAUNCH["launch_s"]
            if "setup_s" in LAST_LAUNCH:
                phases["setup_s"] = LAST_LAUNCH["setup_s"]
        phases = {key: round(max(0.0, value), 3) for key, value in phases.items()}
        phases["warm_kernel"] = bool(LAST_LAUNCH.get("warm"))
        return phases

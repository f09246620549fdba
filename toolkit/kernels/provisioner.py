"""``jiuzhu-warm``: a jupyter_client kernel provisioner that forks kernels from a warm template.

Registered under the entry point group ``jupyter_client.kernel_provisioners``; a kernel spec
selects it with ``"metadata": {"kernel_provisioner": {"provisioner_name": "jiuzhu-warm",
"config": {"preload": [...]}}}``.  Everything but the launch is :class:`LocalProvisioner`'s own
code (signals to the process group, kill, wait, port cache, cleanup) working on the
:class:`~toolkit.kernels.pool.ForkedKernel` handle.  Whatever the template cannot do — another
interpreter in the spec, redirected standard streams, no fork on this platform, a template that
failed — is launched cold by the base class, with one line saying why.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import shutil
import sys
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import List, Unicode

from toolkit.kernels import availability
from toolkit.kernels.phases import note_launch
from toolkit.kernels.pool import TemplateUnavailable, template_for

LAUNCHER = "ipykernel_launcher"


class WarmProvisioner(LocalProvisioner):
    """Start each kernel as a fresh fork of a template that already imported ``preload``."""

    preload = List(Unicode(), default_value=[], config=True,
                   help="Modules the template imports once before forking kernels.")

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        started = time.perf_counter()
        reason = availability.unavailable_reason() or _unsupported(cmd, kwargs)
        if reason is None:
            try:
                info = await asyncio.to_thread(self._fork, cmd, kwargs)
                note_launch(True, time.perf_counter() - started)
                return info
            except TemplateUnavailable as err:
                reason = str(err)
        availability.note_cold(reason)
        info = await super().launch_kernel(cmd, **kwargs)
        note_launch(False, time.perf_counter() - started)
        return info

    def _fork(self, cmd: list[str], kwargs: dict):
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # what jupyter_client's launcher sets
        cwd = str(kwargs.get("cwd") or os.getcwd())
        template = template_for(tuple(self.preload), env)
        self.process = template.spawn(list(cmd[3:]), env, cwd)
        self.pid = self.pgid = self.process.pid  # the child starts its own session
        self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
        return self.connection_info


def _unsupported(cmd: list[str], kwargs: dict) -> str | None:
    if len(cmd) < 3 or cmd[1:3] != ["-m", LAUNCHER]:
        return f"kernel command is not '-m {LAUNCHER}'"
    found = shutil.which(cmd[0]) or cmd[0]
    if os.path.realpath(found) != os.path.realpath(sys.executable):
        return f"kernel interpreter {cmd[0]} is not {sys.executable}"
    if any(kwargs.get(stream) is not None for stream in ("stdin", "stdout", "stderr")):
        return "standard streams are redirected"
    return None

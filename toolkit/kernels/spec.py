"""Kernel specs that select the ``jiuzhu-warm`` provisioner, in a private Jupyter data folder.

:func:`warm_kernel` writes ``<folder>/kernels/jiuzhu-warm-<profile>-<hash>/kernel.json`` (the native
``python3`` command line plus the provisioner and its preload list) and puts ``<folder>`` first on
``JUPYTER_PATH`` of this process, where every new ``KernelSpecManager`` (nbclient, papermill,
nbgrader) finds it.  The folder is private to this process (created by ``mkdtemp``) and removed at exit.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from toolkit.files import write_text_atomic
from toolkit.kernels import availability

PROVISIONER = "jiuzhu-warm"
PREFIX = "jiuzhu-warm-"
COLD_KERNEL = "python3"
HISTORY = "--HistoryManager.hist_file"


_data_dir: list[Path] = []


def data_dir() -> Path:
    """This process's own Jupyter data folder (``mkdtemp``: mode 0700, nobody else can plant a
    kernel spec in it), removed at exit."""
    if not _data_dir or not _data_dir[0].is_dir():
        _data_dir[:] = [Path(tempfile.mkdtemp(prefix="jiuzhu-kernels-"))]
        atexit.register(shutil.rmtree, _data_dir[0], True)
    return _data_dir[0]


def spec_json(preload: tuple[str, ...]) -> dict:
    """The ``python3`` kernel spec as this process finds it, with the warm provisioner added.

    A ``python3`` spec that runs another command (another interpreter, a wrapper) keeps that
    command; the provisioner then starts it cold."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(COLD_KERNEL).to_dict()
    except NoSuchKernel:
        spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)", "language": "python", "metadata": {}}
    if not any(arg.startswith(HISTORY) for arg in spec["argv"]):
        # what nbclient adds for kernels named python3 only: no history database on disk (a
        # shared one is "locked" when kernels start in parallel, and says so in the notebook)
        spec["argv"] = [*spec["argv"], f"{HISTORY}=:memory:"]
    spec["metadata"] = {**spec.get("metadata", {}), "kernel_provisioner": {
        "provisioner_name": PROVISIONER, "config": {"preload": list(preload)}}}
    return spec


def warm_kernel(profile: str, preload: tuple[str, ...] | list[str]) -> str:
    """The kernel name to run notebooks with: warm when possible, ``python3`` otherwise."""
    reason = availability.unavailable_reason()
    if reason is not None:
        availability.note_cold(reason)
        return COLD_KERNEL
    text = json.dumps(spec_json(tuple(preload)), indent=1)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    name = f"{PREFIX}{profile}-{digest}"  # one name per content: processes never race on one
    folder = data_dir()
    path = folder / "kernels" / name / "kernel.json"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_text_atomic(path, text)
    parts = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(folder) not in parts:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(folder), *parts])
    return name


def prestart(kernel_name: str, wait: bool = False) -> bool:
    """Start the template of a warm kernel now, so its imports overlap the caller's own work
    (``wait``: return once it has imported everything).  ``False`` when it cannot start; the
    kernel launch then says so and starts cold."""
    if not kernel_name.startswith(PREFIX):
        return False
    from jupyter_client.kernelspec import KernelSpecManager

    from toolkit.kernels.pool import TemplateUnavailable, template_for

    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    preload = spec.metadata["kernel_provisioner"]["config"]["preload"]
    try:
        template = template_for(tuple(preload))
        if wait:
            template.wait_ready()
    except TemplateUnavailable:
        return False
    return True

"""Kernel specs that select the ``jiuzhu-warm`` provisioner, in a private Jupyter data folder.

:func:`warm_kernel` writes ``<folder>/kernels/jiuzhu-warm-<profile>/kernel.json`` (the native
``python3`` command line plus the provisioner and its preload list) and puts ``<folder>`` first on
``JUPYTER_PATH`` of this process, where every new ``KernelSpecManager`` (nbclient, papermill,
nbgrader) finds it.  Nothing is written outside the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from toolkit.files import write_text_atomic
from toolkit.kernels import availability

PROVISIONER = "jiuzhu-warm"
PREFIX = "jiuzhu-warm-"
COLD_KERNEL = "python3"


def data_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"jiuzhu-kernels-{os.getuid()}"


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


def prestart(kernel_name: str, wait: bool = False) -> None:
    """Start the template of a warm kernel now, so its imports overlap the caller's own work
    (``wait``: return once it has imported everything)."""
    if not kernel_name.startswith(PREFIX):
        return
    from jupyter_client.kernelspec import KernelSpecManager

    from toolkit.kernels.pool import template_for

    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    preload = spec.metadata["kernel_provisioner"]["config"]["preload"]
    template = template_for(tuple(preload))
    if wait:
        template.wait_ready()

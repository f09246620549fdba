"""Warm kernels: expensive imports done once in a template process, one fresh fork per notebook.

    from toolkit.kernels import warm_kernel
    kernel_name = warm_kernel("reports", ("pandas", "matplotlib.pyplot"))
    papermill.execute_notebook(..., kernel_name=kernel_name)   # or nbclient / nbgrader

The kernel name selects the ``jiuzhu-warm`` jupyter_client provisioner (entry point), so any
Jupyter client runs unchanged on top; where forking is not possible the name is ``python3`` and
one line says so.  Leaf-level: imports nothing of ours but ``toolkit.files``.  See
docs/warm-kernels.md.
"""

from toolkit.kernels.imports import notebook_imports
from toolkit.kernels.phases import PhaseClock, note_launch
from toolkit.kernels.spec import prestart, warm_kernel

# jupyter_client's setting ``AsyncKernelManager.client_class`` (nbclient, papermill, nbgrader):
# a client without the fixed 0.2 s wait after each kernel's handshake (toolkit.kernels.client).
PROMPT_CLIENT = "toolkit.kernels.client.PromptKernelClient"


def last_launch() -> dict:
    """This process's latest kernel launch by the provisioner: ``{"warm": bool, "launch_s": s}``."""
    from toolkit.kernels.phases import LAST_LAUNCH

    return dict(LAST_LAUNCH)


__all__ = ["PROMPT_CLIENT", "PhaseClock", "last_launch", "note_launch", "notebook_imports", "prestart", "warm_kernel"]

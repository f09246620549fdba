"""Warm kernels: expensive imports done once in a template process, one fresh fork per notebook.

    from toolkit.kernels import warm_kernel
    kernel_name = warm_kernel("reports", ("pandas", "matplotlib.pyplot"))
    papermill.execute_notebook(..., kernel_name=kernel_name)   # or nbclient / nbgrader

The kernel name selects the ``jiuzhu-warm`` jupyter_client provisioner (entry point), so any
Jupyter client runs unchanged on top; where forking is not possible the name is ``python3`` and
one line says so.  Leaf-level: imports nothing of ours but ``toolkit.files`` and ``toolkit.lazy``.  See
docs/warm-kernels.md.
"""

from toolkit.lazy import lazy_names

# loaded on first use: ``python -m toolkit.kernels.launcher`` (every sandboxed kernel) imports
# this package first and needs none of them
__getattr__, __dir__, _LAZY = lazy_names(__name__, {
    "toolkit.kernels.imports": ("notebook_imports",),
    "toolkit.kernels.phases": ("PhaseClock", "note_launch"),
    "toolkit.kernels.spec": ("prestart", "warm_kernel"),
})

# jupyter_client's setting ``AsyncKernelManager.client_class`` (nbclient, papermill, nbgrader):
# a client without the fixed 0.2 s wait after each kernel's handshake (toolkit.kernels.client).
PROMPT_CLIENT = "toolkit.kernels.client.PromptKernelClient"


def last_launch() -> dict:
    """This process's latest kernel launch by the provisioner: ``{"warm": bool, "launch_s": s}``."""
    from toolkit.kernels.phases import LAST_LAUNCH

    return dict(LAST_LAUNCH)


__all__ = sorted(["PROMPT_CLIENT", "last_launch", *_LAZY])

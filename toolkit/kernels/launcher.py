"""``python -m toolkit.kernels.launcher -f CONNECTION_FILE``: ``ipykernel_launcher`` without the debugger.

ipykernel imports debugpy (≈ 0.15 s here) in every kernel it starts, for a debugger that a
notebook run by nbclient, papermill or nbgrader never attaches.  A warm template pays that once;
a kernel that must start cold (the autograde sandbox's) starts with ``debugpy`` marked missing in
``sys.modules``, so ipykernel runs without a debugger as when debugpy is not installed.
Everything else is ``ipykernel_launcher``: the working directory leaves ``sys.path`` while
ipykernel loads (the shell puts it back), then ``IPKernelApp`` runs.
"""

import os
import sys

if __name__ == "__main__":
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    sys.modules.setdefault("debugpy", None)  # `import debugpy` raises ImportError from here on
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()

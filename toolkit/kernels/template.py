"""The template process: import once, then fork one fresh kernel process per request.

Started by :mod:`toolkit.kernels.pool` as ``python -m toolkit.kernels.template REPLY_FD MODULE...``.
It imports ``ipykernel.kernelapp`` and the preload modules, then waits on stdin for JSON lines
``{"args": [...], "env": {...}, "cwd": "..."}``.  For each it forks; the child starts a new
session, takes the requested working directory and environment, and runs ipykernel exactly as
``python -m ipykernel_launcher ARGS`` would — its sockets, threads and user code exist only in
the child.  Replies (``{"pid": N}``) and exit events (``{"exited": N, "status": S}``) go to
REPLY_FD as JSON lines.  On end of input the remaining kernels are killed and the template exits.

This module is run, not imported.  Before the preload list, only the standard library and
``toolkit.kernels``' own light modules (which import nothing heavy at module level) are loaded.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import json
import os
import select
import signal
import sys
import threading
import traceback

POLL_S = 0.05  # how often dead kernels are reaped while idle
OPTIONAL = "?"  # same as toolkit.kernels.imports.OPTIONAL (not imported here on purpose)
# What every ipykernel imports while it starts (the debugger pulls in debugpy; the history is
# SQLite): imported here once, they take ≈ 0.3 s off each kernel's start.
KERNEL_MODULES = ("ipykernel.ipkernel", "ipykernel.zmqshell", "?ipykernel.debugger", "sqlite3",
                  "pdb", "?psutil")


def _send(fd: int, message: dict) -> None:
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(fd, data):]


def _sockets() -> int:
    count = 0
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        try:
            count += os.readlink(f"/proc/self/fd/{name}").startswith("socket:")
        except OSError:
            pass
    return count


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _preload(modules: list[str]) -> tuple[list[str], dict[str, str]]:
    # ipykernel sets this in every kernel before any user code; matplotlib reads it at import.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # IPKernelApp.parent_handle defaults to this variable, read when kernelapp is imported:
    # the forked kernel's parent is this process, so it exits if the template goes away.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    with _quiet():
        return _import_all([*KERNEL_MODULES, *modules])


@contextlib.contextmanager
def _quiet():
    """What imports print goes nowhere, as in a cold kernel (where it reaches no cell)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def _import_all(modules: list[str]) -> tuple[list[str], dict[str, str]]:
    import ipykernel.kernelapp  # noqa: F401

    done, failed = [], {}
    for name in modules:
        optional = name.startswith(OPTIONAL)
        name = name.lstrip(OPTIONAL)
        try:
            if optional and not _is_module(name):
                continue
            importlib.import_module(name)
            done.append(name)
        except Exception as err:  # a missing optional module only makes kernels less warm
            failed[name] = f"{type(err).__name__}: {err}"
    gc.collect()
    gc.freeze()  # keep the imported objects' pages shared between the forked kernels
    return done, failed


def _child(request: dict, reply_fd: int) -> None:
    """In the forked process: become the kernel (never returns)."""
    status = 1
    try:
        os.setsid()
        os.close(reply_fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if "numpy" in sys.modules:  # its global generator was seeded in the template
            sys.modules["numpy"].random.seed()
        import ipykernel_launcher
        from ipykernel import kernelapp

        sys.argv = [ipykernel_launcher.__file__, *request["args"]]
        kernelapp.launch_new_instance()
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _reap(reply_fd: int, children: set[int]) -> None:
    while children:
        try:
            pid, raw = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        _send(reply_fd, {"exited": pid, "status": os.waitstatus_to_exitcode(raw)})


def serve(reply_fd: int, modules: list[str]) -> None:
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; the kernel adds its own cwd back
    done, failed = _preload(modules)
    _send(reply_fd, {"ready": True, "pid": os.getpid(), "imported": done, "failed": failed,
                     "threads": threading.active_count(), "sockets": _sockets()})
    children: set[int] = set()
    buffer = b""
    while True:
        readable, _, _ = select.select([0], [], [], POLL_S)
        _reap(reply_fd, children)
        if not readable:
            continue
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(request, reply_fd)
            children.add(pid)
            _send(reply_fd, {"pid": pid})
    for pid in children:  # the client went away: its kernels go with it
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2:])

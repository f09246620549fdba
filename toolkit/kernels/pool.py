"""Client side of the warm kernels: one template process per (python, preload, environment).

:func:`template_for` starts (or reuses) the template of this client process; its
:meth:`Template.spawn` asks it to fork one kernel and returns a :class:`ForkedKernel`, a
``Popen``-like handle (``pid``, ``poll``, ``wait``, ``send_signal``, ``kill``) that the
provisioner keeps as its ``process``.  The kernel is the template's child, not ours: its exit
status arrives as an event read by one reader thread per template.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

READY_TIMEOUT_S = 120.0  # imports on a loaded machine; past it the launch goes cold
SPAWN_TIMEOUT_S = 30.0
# Set per launch by jupyter_client / the caller; they do not change what the template imported.
PER_LAUNCH_ENV = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "JPY_INTERRUPT_EVENT",
                            "PYDEVD_IPYTHON_COMPATIBLE_DEBUGGING"})


class TemplateUnavailable(RuntimeError):
    """The template could not start or answer; the caller starts the kernel cold."""


class ForkedKernel:
    """A kernel forked by a template, with the part of ``subprocess.Popen`` provisioners use."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: "Template"):
        self.pid = pid
        self.returncode: int | None = None
        self._template = template

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        with self._template.changed:
            if not self._template.changed.wait_for(lambda: self.returncode is not None, timeout):
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Template:
    """One running template process and the kernels it forked."""

    def __init__(self, preload: tuple[str, ...], env: dict[str, str]):
        self.preload = preload
        self.changed = threading.Condition()
        self.ready: dict | None = None
        self.kernels: dict[int, ForkedKernel] = {}
        self._replies: list[dict] = []
        self._alive = True
        self._lock = threading.Lock()
        read_fd, write_fd = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "toolkit.kernels.template", str(write_fd), *preload],
                stdin=subprocess.PIPE, pass_fds=(write_fd,), env=env, cwd="/",
                start_new_session=True)
        finally:
            os.close(write_fd)
        self._reader = threading.Thread(target=self._read, args=(read_fd,), daemon=True,
                                        name=f"warm-template-{self.process.pid}")
        self._reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as stream:
            for line in stream:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                with self.changed:
                    if "exited" in message:
                        kernel = self.kernels.pop(message["exited"], None)
                        if kernel is not None:
                            kernel.returncode = message["status"]
                    elif "ready" in message:
                        self.ready = message
                    else:
                        self._replies.append(message)
                    self.changed.notify_all()
        with self.changed:  # the template is gone: so are its kernels (they watch their parent)
            self._alive = False
            for kernel in self.kernels.values():
                kernel.returncode = -signal.SIGKILL
            self.kernels.clear()
            self.changed.notify_all()

    @property
    def alive(self) -> bool:
        return self._alive and self.process.poll() is None

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.ready is not None or not self._alive, timeout)
            if self.ready is None:
                raise TemplateUnavailable("template did not become ready")
            if self.ready["threads"] > 1 or self.ready["sockets"]:
                raise TemplateUnavailable(  # forking would copy a half-held lock or a socket
                    f"preloaded modules left {self.ready['threads']} threads and "
                    f"{self.ready['sockets']} sockets in the template")
            return self.ready

    def spawn(self, args: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        """Fork one kernel running ``ipykernel_launcher ARGS`` in ``cwd`` with exactly ``env``."""
        self.wait_ready()
        request = json.dumps({"args": args, "env": env, "cwd": cwd}) + "\n"
        with self._lock:  # one request in flight: replies come back in order
            try:
                self.process.stdin.write(request.encode())
                self.process.stdin.flush()
            except OSError as err:
                raise TemplateUnavailable(f"template stdin closed: {err}") from err
            deadline = time.monotonic() + SPAWN_TIMEOUT_S
            with self.changed:
                while not self._replies:
                    left = deadline - time.monotonic()
                    if not self._alive or left <= 0:
                        raise TemplateUnavailable("template did not answer")
                    self.changed.wait(left)
                reply = self._replies.pop(0)
                kernel = ForkedKernel(reply["pid"], self)
                self.kernels[kernel.pid] = kernel
        return kernel

    def close(self) -> None:
        """End the template; it kills the kernels it still has."""
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


_templates: dict[str, Template] = {}
_templates_lock = threading.Lock()


def template_key(preload: tuple[str, ...], env: dict[str, str]) -> str:
    stable = {k: v for k, v in env.items() if k not in PER_LAUNCH_ENV}
    text = json.dumps([sys.executable, list(preload), sorted(stable.items())])
    return hashlib.sha256(text.encode()).hexdigest()


def template_for(preload: tuple[str, ...], env: dict[str, str] | None = None) -> Template:
    """The live template of this process for ``preload`` and ``env`` (started when missing)."""
    env = dict(os.environ if env is None else env)
    base = {k: v for k, v in env.items() if k not in PER_LAUNCH_ENV}
    key = template_key(preload, env)
    with _templates_lock:
        template = _templates.get(key)
        if template is None or not template.alive:
            try:
                template = _templates[key] = Template(tuple(preload), base)
            except OSError as err:
                raise TemplateUnavailable(f"template did not start: {err}") from err
        return template


def close_all() -> None:
    """Stop every template of this process (and with them any kernel still running)."""
    with _templates_lock:
        templates = list(_templates.values())
        _templates.clear()
    for template in templates:
        template.close()


atexit.register(close_all)

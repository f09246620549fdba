"""Start and stop the hub: one ``jupyterhub`` process, its proxy and the formgrader services.

:class:`HubProcess` picks free loopback ports for the hub's internals, writes the runtime file
read by ``jupyterhub_config.py``, starts JupyterHub, waits until ``/hub/api`` answers (the hub
adds its own route only after the managed services are up), and on :meth:`stop` ends JupyterHub
by its process id, then the proxy by the id in its pid file (a crashed hub leaves the proxy
holding the port).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from toolkit.errors import InputError, UserError
from toolkit.hub.config import PROXY, runtime_jupyter_dir, venv_bin
from toolkit.hub.layout import Hub, open_hub
from toolkit.hub.messages import TEXT

READY_TIMEOUT = 120.0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise InputError("--bind", bind, TEXT["bad_bind"])
    return host.strip("[]"), int(port)


def find_proxy() -> str:
    for candidate in (venv_bin(PROXY), shutil.which(PROXY)):
        if candidate and Path(candidate).exists():
            return candidate
    raise UserError(TEXT["no_proxy"])


class HubProcess:
    """A running `jiuzhu hub` (use as a context manager, or call start/stop)."""

    def __init__(self, hub: Hub, bind: str | None = None):
        self.hub = hub
        host, port = parse_bind(bind or hub.bind)
        self.host, self.port = host, port or free_port(host)
        self.process: subprocess.Popen | None = None
        self.log_path = hub.state / "jupyterhub.log"

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{shown}:{self.port}"

    def runtime(self) -> dict:
        return {"bind": f"{self.host}:{self.port}", "bind_url": f"http://{self.host}:{self.port}",
                "hub_port": free_port(), "proxy_api_port": free_port(), "proxy": find_proxy(),
                "service_ports": {c.id: free_port() for c in self.hub.courses},
                "jupyter_dir": runtime_jupyter_dir(self.hub)}

    def start(self, timeout: float = READY_TIMEOUT) -> "HubProcess":
        from toolkit.hub.accounts import ensure_service_account
        from toolkit.hub.config import check_runtime

        check_runtime(self.hub)
        for course in self.hub.courses:      # nbgrader's formgrader needs its grader user (nbgrader #1872)
            ensure_service_account(self.hub, course.grader)
        runtime_file = self.hub.state / "runtime.json"
        runtime_file.write_text(json.dumps(self.runtime()), encoding="utf-8")
        config = Path(__file__).with_name("jupyterhub_config.py")
        env = {**os.environ, "JIUZHU_HUB_ROOT": str(self.hub.root), "JIUZHU_HUB_RUNTIME": str(runtime_file),
               "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([venv_bin("jupyterhub"), "-f", str(config)], cwd=self.hub.state,
                                        env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise UserError(TEXT["hub_failed"].format(reason=f"退出状态 {self.process.returncode}",
                                                          log=self.log_path))
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.3)
        raise UserError(TEXT["hub_timeout"].format(seconds=timeout, log=self.log_path))

    def stop(self, timeout: float = 30.0) -> None:
        """End JupyterHub by its pid (it stops the servers and services), then the proxy by its pid."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        proxy_pid = self.hub.state / "proxy.pid"
        if proxy_pid.exists():
            try:
                pid = int(proxy_pid.read_text().strip())
                os.kill(pid, signal.SIGTERM)
            except (ValueError, ProcessLookupError, PermissionError):
                pass
            proxy_pid.unlink(missing_ok=True)

    def __enter__(self) -> "HubProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_hub(root: Path | str = "hub", bind: str | None = None) -> int:
    """`jiuzhu hub start`: run until Ctrl+C."""
    hub = open_hub(root, bind)
    process = HubProcess(hub, bind)
    process.start()
    print(TEXT["started"].format(url=process.url, courses="、".join(f"{c.title}（{c.id}）" for c in hub.courses)))
    try:
        process.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        process.stop()
        print(TEXT["stopped"])
    return 0

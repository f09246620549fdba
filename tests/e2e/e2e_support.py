"""Helpers for the real-browser end-to-end tests (issue 6); fixtures live in ``conftest.py``.

A uniquely named module (not ``conftest``) so test modules can import it without clashing with
other test folders' ``conftest`` modules.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "e2e"
CHROMIUM = os.environ.get("JIUZHU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SERVER_READY_TIMEOUT = 60.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "chrome-extension", "devtools"}

# JupyterLab's "news" and update check would reach the internet; users' intranet
# machines have no internet, so the tests switch them off the way an admin would.
NOTIFICATION = "@jupyterlab/apputils-extension:notification"
LAB_OVERRIDES = {
    NOTIFICATION: {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
}


def require_chromium() -> None:
    """Fail (in CI) or skip (on a developer machine) with an actionable message."""
    if os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    message = (
        f"浏览器测试需要 Debian 的 chromium（{CHROMIUM} 不存在）。"
        "请以 root 运行 `make e2e-deps`，或请管理员执行 `sudo apt-get install chromium`。"
    )
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    if parts.scheme in {"http", "https", "ws", "wss"}:
        return (parts.hostname or "") in LOCAL_HOSTS
    return False


@dataclass
class NetworkGuard:
    """Aborts and records every request that would leave the machine."""

    blocked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    tolerated: dict[str, str] = field(default_factory=dict)   # URL prefix -> why

    def tolerate(self, prefix: str, reason: str) -> None:
        """Do not fail on (still abort) requests starting with ``prefix``: a known upstream issue."""
        self.tolerated[prefix] = reason

    def install(self, context) -> None:
        context.route("**/*", self._route)
        context.on("request", lambda request: self.seen.append(request.url))
        context.on("websocket", lambda ws: self.seen.append(ws.url))

    def _route(self, route) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def outside(self, include_tolerated: bool = False) -> list[str]:
        urls = set(self.blocked) | {u for u in self.seen if not is_local_url(u)}
        if not include_tolerated:
            urls = {u for u in urls if not any(u.startswith(p) for p in self.tolerated)}
        return sorted(urls)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    name: str
    root_dir: Path
    base: Path  # throw-away home/config/data dirs live here
    port: int
    token: str
    env: dict
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    extra_args: list = field(default_factory=list)   # more server options (e.g. Voilà's)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, path: str = "") -> str:
        """URL that logs the browser in (token in the query, then a cookie)."""
        route = f"/lab/tree/{path}" if path else "/lab"
        return f"{self.url}{route}?token={self.token}"

    def auth_headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def api(self, path: str, timeout: float = 5.0):
        request = urllib.request.Request(self.url + path, headers=self.auth_headers())
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""

    def start(self) -> None:
        self.log_path = self.base / "server.log"
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--IdentityProvider.token={self.token}",
            f"--LabApp.user_settings_dir={self.base / 'settings'}",
            f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
            f"--LabApp.app_settings_dir={self.base / 'data' / 'share' / 'jupyter' / 'lab' / 'settings'}",
            "--KernelManager.shutdown_wait_time=1",
            "--KernelManager.transport_encryption=auto",
            *self.extra_args,
        ]
        if os.geteuid() == 0:  # CI containers run as root
            command.append("--allow-root")
        log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(command, cwd=self.root_dir, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + SERVER_READY_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab ({self.name}) exited with {self.process.returncode}:\n"
                                   + self.log()[-4000:])
            try:
                status = self.api("/api/status", timeout=2)
                if "started" in status:
                    self._check_no_news()
                    return
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"JupyterLab ({self.name}) not ready after {SERVER_READY_TIMEOUT:.0f} s:\n"
                                   + self.log()[-4000:])
            # Poll interval: wait on the process (exits early if it dies).
            try:
                self.process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                pass

    def _check_no_news(self) -> None:
        """The server itself would fetch JupyterLab news (invisible to the browser's guard)."""
        schema = self.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]
        defaults = {key: schema["properties"][key]["default"] for key in LAB_OVERRIDES[NOTIFICATION]}
        if defaults != LAB_OVERRIDES[NOTIFICATION]:
            self.stop()
            raise RuntimeError(f"JupyterLab news/update checks not switched off: {defaults}")

    def stop(self) -> None:
        """SIGTERM the server's own process group (server and its kernels), SIGKILL what is left."""
        process = self.process
        if process is None:
            return
        pgid = process.pid   # start_new_session: the server leads its own group
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def throwaway_env(base: Path) -> dict:
    dirs = {name: base / name for name in ("home", "config", "data", "runtime", "settings", "workspaces")}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    settings = base / "data" / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    venv_bin = str(Path(sys.executable).parent)
    env.update(
        HOME=str(dirs["home"]),
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTER_PLATFORM_DIRS="1",
        IPYTHONDIR=str(dirs["home"] / ".ipython"),
        MPLCONFIGDIR=str(dirs["home"] / ".matplotlib"),
        PATH=venv_bin + os.pathsep + env.get("PATH", ""),
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTERHUB_USER", None)
    return env


def open_lab(page, server: LabServer, path: str = ""):
    """Open JupyterLab (optionally a file) and wait until the shell is on screen."""
    page.goto(server.lab_url(path))
    page.wait_for_selector("#jp-main-dock-panel", state="visible", timeout=60_000)
    return page


def lab_menu(page, menu: str, item: str) -> None:
    """Click ``item`` in JupyterLab's top menu ``menu`` (item names may carry a shortcut)."""
    page.get_by_role("menuitem", name=menu, exact=True).click()
    shortcut = r"(\s+(Ctrl|Shift|Alt|Cmd)\S*)?"
    page.get_by_role("menuitem", name=re.compile(f"^{re.escape(item)}{shortcut}$")).click()


def wait_kernel_idle(page, timeout: float = 60_000) -> None:
    page.wait_for_function("document.body.innerText.includes('| Idle')", timeout=timeout)


def run_jiuzhu(*args: str, cwd: Path | None = None, env: dict | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``jiuzhu …`` as a user would (a separate process); fail the test on a non-zero exit."""
    run_env = {k: v for k, v in os.environ.items()
               if k not in ("JIUZHU_STUDENT", "JUPYTERHUB_USER")}
    run_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + run_env.get("PATH", "")
    run_env.update(env or {})
    result = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd or REPO, env=run_env,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(f"jiuzhu {' '.join(args)} 退出码 {result.returncode}：\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return result

"""Start and stop the hub: one ``jupyterhub`` process, its proxy and the formgrader services.

:class:`HubProcess` picks free loopback ports for the hub's internals, writes the runtime file
read by ``jupyterhub_config.py``, starts JupyterHub, waits until ``/hub/api`` answers (the hub
adds its own route only after the managed services are up), and on :meth:`stop` ends JupyterHub
by its process id, then the proxy by the id in its pid file (a crashed hub leaves the proxy
holding the port).

Every process the hub started (JupyterHub, the proxy, the formgrader services, trainees' servers
and their kernels) is noted just before stopping, and whatever of them outlives JupyterHub's own
shutdown is ended by its process id.  :func:`run_hub` turns SIGTERM, SIGINT and SIGHUP into that
stop (what a service manager and a closed terminal send), and a second start against the same hub
folder or port is refused, naming the running hub's process id and port.
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
LAUNCHER_PID = "jiuzhu-hub.pid"       # the `jiuzhu hub start` process (what to send SIGTERM to)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class HubStopped(Exception):
    """A stop signal arrived (SIGTERM, SIGINT, SIGHUP)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:                                  # a zombie has exited: its pid is no hub
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _read_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid > 0 and _alive(pid) else None


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def descendants(root_pid: int) -> list[int]:
    """Every living process below ``root_pid`` (children first found, grandchildren after)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        parent = _parent(int(entry.name))
        if parent is not None:
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    return inodes


def listener_pid(port: int) -> int | None:
    """The process listening on TCP ``port`` (any address), from /proc; None when nobody or unknown."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                if os.readlink(fd) in inodes:
                    return int(fd_dir.parent.name)
        except OSError:
            continue
    return None


def port_in_use(host: str, port: int) -> bool:
    """Something listens on ``port`` (this machine's socket table), or answers there."""
    if _listening_inodes(port):
        return True
    try:
        with socket.create_connection(("127.0.0.1" if host in ("", "0.0.0.0") else host, port), timeout=1):
            return True
    except OSError:
        return False


def _end(pids: list[int], grace: float = 10.0) -> None:
    """SIGTERM each living pid, SIGKILL what is left after ``grace`` seconds."""
    living = [p for p in pids if _alive(p)]
    for pid in living:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in living):
        time.sleep(0.1)
    for pid in living:
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


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
        self.claimed = False                  # this object wrote the launcher pid file
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

    def refuse_if_running(self) -> None:
        """Exit 2 (UserError) when this hub folder's hub, or anything, already serves the port."""
        state = self.hub.state
        for name in (LAUNCHER_PID, "hub.pid"):
            pid = _read_pid(state / name)
            if pid is not None and pid != os.getpid():
                raise UserError(TEXT["already_running"].format(pid=pid, port=self._running_port(), root=self.hub.root))
        self._end_leftover_proxy()
        if self.port and port_in_use(self.host, self.port):
            pid = listener_pid(self.port)
            raise UserError(TEXT["port_in_use"].format(port=self.port, pid=pid if pid else "未知"))

    def _running_port(self) -> str:
        try:
            return json.loads((self.hub.state / "runtime.json").read_text(encoding="utf-8"))["bind"].rpartition(":")[2]
        except (OSError, ValueError, KeyError):
            return "未知"

    def _end_leftover_proxy(self) -> None:
        """A hub of this folder that crashed leaves its proxy serving: end it by its pid."""
        pid = _read_pid(self.hub.state / "proxy.pid")
        if pid is not None:
            _end([pid])
        (self.hub.state / "proxy.pid").unlink(missing_ok=True)

    def _claim(self) -> None:
        path = self.hub.state / LAUNCHER_PID
        path.unlink(missing_ok=True)              # stale: refuse_if_running found no living owner
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        self.claimed = True

    def start(self, timeout: float = READY_TIMEOUT) -> "HubProcess":
        from toolkit.hub.accounts import ensure_service_account
        from toolkit.hub.config import check_runtime

        self.refuse_if_running()
        check_runtime(self.hub)
        try:
            self._claim()
        except FileExistsError:                   # another start won the race just now
            self.refuse_if_running()
            raise
        for course in self.hub.courses:      # nbgrader's formgrader needs its grader user (nbgrader #1872)
            ensure_service_account(self.hub, course.grader)
        runtime_file = self.hub.state / "runtime.json"
        runtime_file.write_text(json.dumps(self.runtime()), encoding="utf-8")
        config = Path(__file__).with_name("jupyterhub_config.py")
        env = {**os.environ, "JIUZHU_HUB_ROOT": str(self.hub.root), "JIUZHU_HUB_RUNTIME": str(runtime_file),
               "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
        try:
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen([venv_bin("jupyterhub"), "-f", str(config)], cwd=self.hub.state,
                                                env=env, stdout=log, stderr=subprocess.STDOUT)
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
        """End JupyterHub by its pid (it stops the servers and services), then the proxy by its pid,
        then every other process it had started (noted before the stop) that is still alive.
        Nothing is touched when this object started nothing (a refused start)."""
        if self.process is not None:
            started = descendants(self.process.pid)
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            proxy = _read_pid(self.hub.state / "proxy.pid")
            _end(([proxy] if proxy else []) + started)
            _end(self._account_processes())           # anything of this hub's trainees that left the tree
            (self.hub.state / "proxy.pid").unlink(missing_ok=True)
            from toolkit.hub.limits import sweep

            sweep()
        if self.claimed:
            (self.hub.state / LAUNCHER_PID).unlink(missing_ok=True)
            self.claimed = False

    def _account_processes(self) -> list[int]:
        """Living processes of the system accounts whose home is in this hub folder (trainees and
        trainers: they reach the machine only through the hub)."""
        import pwd

        uids = {p.pw_uid for p in pwd.getpwall() if Path(p.pw_dir).parent == self.hub.homes and p.pw_uid}
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if entry.stat().st_uid in uids:
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def __enter__(self) -> "HubProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _on_signal(signum, frame) -> None:
    raise HubStopped(signum)


def course_lines(hub: Hub) -> str:
    """The courses as `jiuzhu hub start` lists them, with what their trainees open (hub.yaml trainee_lab)."""
    return "、".join(f"{c.title}（{c.id}，{TEXT['lab_on' if c.trainee_lab else 'lab_off']}）" for c in hub.courses)


def run_hub(root: Path | str = "hub", bind: str | None = None) -> int:
    """`jiuzhu hub start`: run until SIGTERM, SIGINT (Ctrl+C) or SIGHUP; 1 when JupyterHub died."""
    hub = open_hub(root, bind)
    process = HubProcess(hub, bind)
    # SIGINT too: a hub started in the background (`&`, nohup) inherits SIGINT ignored
    previous = {s: signal.signal(s, _on_signal) for s in STOP_SIGNALS}
    code = 0
    try:
        process.start()
        print(TEXT["started"].format(url=process.url, pid=os.getpid(),
                                     courses=course_lines(hub)), flush=True)
        process.process.wait()
        print(TEXT["hub_died"].format(code=process.process.returncode, log=process.log_path), flush=True)
        code = 1                                     # a service manager restarts the hub
    except (KeyboardInterrupt, HubStopped):
        pass
    finally:
        for signum in STOP_SIGNALS:                  # the stop itself is never cut short
            signal.signal(signum, signal.SIG_IGN)
        try:
            process.stop()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    print(TEXT["stopped"], flush=True)
    return code

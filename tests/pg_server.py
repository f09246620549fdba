"""A throw-away PostgreSQL server for tests: Debian's postgresql, started and stopped by the test.

``initdb`` refuses to run as root, so the cluster belongs to the ``postgres`` system account
(made by Debian's package).  The server listens on 127.0.0.1 on a free port and a socket in its
own folder, with fsync off; :meth:`PostgresServer.stop` ends the postmaster by the process id
in its ``postmaster.pid`` and waits for it.  Usage::

    with PostgresServer.start() as pg:
        url = pg.url("gradebook")      # postgresql+psycopg://nbgrader@127.0.0.1:PORT/gradebook
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "nbgrader"


def pg_bin() -> Path | None:
    """Debian's newest PostgreSQL server binaries (``/usr/lib/postgresql/<v>/bin``), if installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin: Path

    @classmethod
    def start(cls, timeout: float = 60) -> "PostgresServer":
        """A new cluster in its own folder under /tmp (pytest's tmp_path is closed to ``postgres``)."""
        binaries = pg_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed: run `make setup` (tools/system-deps.sh postgresql)")
        folder = Path(tempfile.mkdtemp(prefix="jiuzhu-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        os.chmod(folder, 0o700)
        server = cls(folder, _free_port(), binaries)
        subprocess.run(_as_postgres(str(binaries / "initdb"), "-D", str(folder / "data"), "-A", "trust",
                                    "-U", USER, "-E", "UTF8", "--locale=C.UTF-8"),
                       check=True, capture_output=True, timeout=timeout)
        options = f"-h 127.0.0.1 -p {server.port} -k {folder} -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_postgres(str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-l",
                                    str(folder / "log"), "-w", "-t", str(int(timeout)), "-o", options, "start"),
                       check=True, capture_output=True, timeout=timeout + 10)
        return server

    def pid(self) -> int | None:
        pidfile = self.folder / "data" / "postmaster.pid"
        try:
            return int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def createdb(self, name: str) -> str:
        subprocess.run(_as_postgres(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                                    "-U", USER, name), check=True, capture_output=True, timeout=60)
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def stop(self, timeout: float = 30) -> None:
        """Fast shutdown of the postmaster by its own pid; SIGKILL if it does not go."""
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "PostgresServer":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

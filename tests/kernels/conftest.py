"""Real ``dask scheduler`` / ``dask worker`` processes on loopback, stopped by their own pids."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory):
    """Address of a scheduler with one worker process (one thread), both real processes."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    started = []
    try:
        started.append(subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(scheduler_file)],
            cwd=folder, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open(folder / "scheduler.log", "w")))
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        started.append(subprocess.Popen(
            [str(BIN / "dask"), "worker", "--scheduler-file", str(scheduler_file),
             "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
             "--local-directory", str(folder), "--death-timeout", "60s"],
            cwd=folder, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open(folder / "worker.log", "w")))
        from distributed import Client

        address = json.loads(scheduler_file.read_text())["address"]
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for proc in reversed(started):
            _stop(proc)

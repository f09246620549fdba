"""Pluggable ``concurrent.futures`` executors for the runner.

``local`` (default): a pool of warm worker processes, each importing papermill and nbconvert
once.  ``tcp://HOST:PORT``: the same jobs on an existing Dask distributed cluster through
``Client.get_executor()``; workers must see the same file system paths (shared storage).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator

from toolkit.errors import UserError
from toolkit.reports.runner import messages as msg

CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler before giving up


@contextmanager
def open_executor(workers: int, scheduler: str | None = None,
                  notebooks: tuple = ()) -> Iterator[tuple[Executor, str]]:
    """Yield ``(executor, description)``; the executor is shut down on exit.

    ``notebooks``: what the run will execute; every local worker starts its warm-kernel template
    for them as soon as it starts."""
    if scheduler:
        with _dask_executor(scheduler) as pair:
            yield pair
        return
    from toolkit.reports.runner.execute import preload

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context, initializer=preload,
                               initargs=(tuple(str(n) for n in notebooks),))
    ok = False
    try:
        yield pool, f"local processes × {max(1, workers)}"
        ok = True
    finally:  # after an error (e.g. a rejected parameter) don't wait for idle warm-ups
        pool.shutdown(wait=ok, cancel_futures=True)


def warm_up(executor: Executor, workers: int, notebooks: tuple = ()) -> None:
    """Start the local worker processes now (they import papermill, and start the warm-kernel
    template for ``notebooks``, while the caller plans).  One process may take every warm-up
    task: pass the notebooks to :func:`open_executor` too, so that each worker has its template."""
    if isinstance(executor, ProcessPoolExecutor):
        from toolkit.reports.runner.execute import preload

        for _ in range(max(1, workers)):
            executor.submit(preload, tuple(str(n) for n in notebooks))


@contextmanager
def _dask_executor(address: str):
    try:
        from distributed import Client

        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError, TimeoutError) as err:
        raise UserError(msg.BAD_SCHEDULER.format(address=address, error=err)) from err
    try:
        executor = client.get_executor(pure=False)
        yield executor, f"dask {address}"
    finally:
        client.close()

"""The hub's pre-spawn hook run as JupyterHub runs it, without a hub (shared by tests/hub)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from toolkit.hub import config
from toolkit.hub.layout import jupyter_dir


def spawn(hub, user: str):
    """Run the hub's pre-spawn hook on a spawner-shaped object for ``user``; the object after it."""
    spawner = SimpleNamespace(user=SimpleNamespace(name=user), environment={"KEEP": "1"}, args=[],
                              default_url="/lab")
    settings = lambda name: str(jupyter_dir(name))          # noqa: E731
    home_work = config.pre_spawn(hub, settings)(spawner)
    if home_work is not None:         # JupyterHub awaits it: the home's files, off its event loop
        # awaited on a loop of its own thread: a browser test in this worker (Playwright's sync
        # API) keeps an event loop running in the main thread, where asyncio.run would refuse
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, home_work).result()
    return spawner

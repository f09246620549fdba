"""A kernel client that is ready as soon as its kernel is.

jupyter_client's ``wait_for_ready`` (nbclient calls it once per notebook) ends by reading IOPub
until nothing has come for 0.2 s: a fixed 0.2 s of idle time before every notebook's first cell,
as long as a forked kernel's whole start.  :class:`PromptKernelClient` does the same handshake
(``kernel_info`` until the reply comes and IOPub delivers) and then takes from IOPub only what is
already arriving.  A status message of the ``kernel_info`` request that comes later is harmless:
nbclient (and papermill and nbgrader's ``Execute`` on top of it) skip IOPub messages that answer
another request.

Selected through jupyter_client's own setting ``AsyncKernelManager.client_class`` (see
``toolkit.kernels.PROMPT_CLIENT``); every other method is ``AsyncKernelClient``'s.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import KernelManager
from jupyter_core.utils import ensure_async

QUIET_S = 0.02  # IOPub silent this long after the handshake: the rest is not ours to wait for


class PromptKernelClient(AsyncKernelClient):
    async def wait_for_ready(self, timeout: float | None = None) -> None:
        if not isinstance(self.parent, KernelManager):   # no manager: upstream's heartbeat wait
            return await super().wait_for_ready(timeout=timeout)
        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while not await self._handshake():
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=QUIET_S))
            except Empty:
                return

    async def _handshake(self) -> bool:
        """One ``kernel_info`` round trip; true once the reply came and IOPub is connected."""
        self.kernel_info()
        try:
            msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
        except Empty:
            return False
        if msg["msg_type"] != "kernel_info_reply":
            return False
        try:
            await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
        except Empty:
            return False
        self._handle_kernel_info_reply(msg)
        return True

"""Suite-wide collection rules.

``make test`` runs the suite on two pytest-xdist workers (``--dist loadgroup``). Tests that start a
JupyterHub with system accounts or drive a browser share machine-wide things (system accounts,
the hub runtime, Chromium's memory): they run one after another in one worker, in the group
``shared-machine``, while the other worker takes everything else.
"""

from __future__ import annotations

import pytest

SHARED_MACHINE = "shared-machine"
# Words in a test's path or name (its node id) that mean it starts a hub or uses system accounts.
SHARED_MACHINE_WORDS = ("e2e", "hub")


def _shares_the_machine(item: pytest.Item) -> bool:
    where = item.nodeid.lower()
    return item.get_closest_marker("e2e") is not None or any(w in where for w in SHARED_MACHINE_WORDS)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _shares_the_machine(item):
            item.add_marker(pytest.mark.xdist_group(SHARED_MACHINE))

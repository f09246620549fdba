"""Public names of a package loaded from their modules on first use (PEP 562).

    __getattr__, __dir__, __all__ = lazy_names(__name__, {"toolkit.policy.limits": ("Limit", ...)})

A kernel that imports one module of such a package (``toolkit.policy.inputs`` in every graded
notebook, ``toolkit.kernels.launcher`` in every sandboxed kernel) no longer imports all of it.
Leaf helper: imports nothing of ours.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def lazy_names(package: str, sources: dict[str, tuple[str, ...]]) -> tuple[Callable, Callable, list[str]]:
    """``(__getattr__, __dir__, __all__)`` for ``package``; ``sources`` maps module → names."""
    module_of = {name: module for module, names in sources.items() for name in names}

    def __getattr__(name: str):
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        setattr(sys.modules[package], name, value)     # later lookups are plain attributes
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *module_of})

    return __getattr__, __dir__, sorted(module_of)

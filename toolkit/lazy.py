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


class _MovedModules:
    """Meta-path finder: an old module path that files on disk still name loads the module's new home."""

    def __init__(self, table: dict[str, str]):
        self.table = table

    def find_spec(self, name, path=None, target=None):
        if name not in self.table:
            return None
        from importlib.util import spec_from_loader

        return spec_from_loader(name, self)

    def create_module(self, spec):
        return import_module(self.table[spec.name])     # the same module object under both names

    def exec_module(self, module) -> None:
        """Nothing to run: the module under its new name is already executed."""


def moved_modules(table: dict[str, str]) -> None:
    """Let ``import old.path`` load ``new.path`` for every ``old → new`` in ``table``.

    Courses, hub configurations and notebooks written before a module moved name it by its old path
    (``nbgrader_config.py``, released notebooks, grade cells nbgrader restores from the gradebook);
    without this an upgrade would break them, and nbgrader would carry on without a config it could
    not load."""
    sys.meta_path.append(_MovedModules(table))

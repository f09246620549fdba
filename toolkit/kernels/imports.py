"""The modules a trusted notebook imports at top level, read from its code cells (never run)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

OPTIONAL = "?"  # prefix: import this module if it exists, say nothing if not


def notebook_imports(notebook: Path) -> list[str]:
    """Absolute module names of the ``import``/``from … import`` statements in ``notebook``.

    ``?pkg.name`` marks a name that is a submodule only perhaps.  Only for our own notebooks:
    importing a module runs its top-level code in the template.
    Cells that are not valid Python (magics, shell escapes) are skipped."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    found: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module != "__future__":
                    found.add(node.module)
                    # ``from pkg import sub`` may name a submodule: imported only if it is one
                    found.update(f"{OPTIONAL}{node.module}.{alias.name}" for alias in node.names)
    return sorted(found)

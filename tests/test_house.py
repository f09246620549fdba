"""The house stays readable: no import cycles, small rooms, no hidden wiring, a map that matches.

- No cycle in the graph of toolkit modules, function-level and relative imports included.
- No toolkit folder holds more than 15 modules; no module is named like a test.
- bench/ never imports tests/; nothing refers to files outside the repository.
- docs/development.md opens with a map of the stages that names every toolkit subpackage, and every
  folder the map names exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = ROOT / "toolkit"
MAX_MODULES_PER_FOLDER = 15
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".ipynb", ".toml", ".sh", ".cfg", ".txt", ".j2", ".html"}
OUTSIDE = re.compile(r"(?<![\w/])(?:\.\./)+shared/|(?<![\w/.])shared/(?:design|domain|probe|tools|hooks)/")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def toolkit_modules() -> dict[str, Path]:
    return {module_name(p): p for p in TOOLKIT.rglob("*.py")}


def import_statements(source: str, package: str = ""):
    """(line, module, imported name or None) of every import statement in ``source``, module-level or
    not; relative imports are resolved against ``package``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)] + ([base] if base else []))
            yield from ((node.lineno, base, alias.name) for alias in node.names)


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_names(name: str, path: Path):
    """Every module name an import statement in ``path`` may load (module-level or not)."""
    source = path.read_text(encoding="utf-8")
    for _line, module, attribute in import_statements(source, _package_of(name, path)):
        yield module
        if attribute:
            yield f"{module}.{attribute}"


def import_graph() -> dict[str, set[str]]:
    modules = toolkit_modules()
    graph = {}
    for name, path in modules.items():
        targets = {t for t in imported_names(name, path) if t in modules}
        # importing a package's own submodule from its __init__ is how a package face works
        graph[name] = {t for t in targets if t != name and not name.startswith(t + ".")}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components with more than one module."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]; counter[0] += 1
                    stack.append(child); on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop(); on_stack.discard(member); component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


@pytest.mark.parametrize("graph, cycles", [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_cycle_finder_finds_cycles(graph, cycles):
    assert strongly_connected(graph) == cycles


def test_import_graph_sees_function_level_and_relative_imports(tmp_path):
    source = "def f():\n    from . import sibling\n    import toolkit.errors\n"
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    names = set(imported_names("toolkit.pkg.mod", path))
    assert {"toolkit.pkg.sibling", "toolkit.errors"} <= names


def test_no_import_cycles():
    cycles = strongly_connected(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_no_toolkit_folder_has_more_than_15_modules():
    crowded = {}
    for folder in [TOOLKIT, *(p for p in TOOLKIT.rglob("*") if p.is_dir())]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MAX_MODULES_PER_FOLDER:
            crowded[str(folder.relative_to(ROOT))] = len(modules)
    assert not crowded, crowded


def test_no_module_is_named_like_a_test():
    named = [str(p.relative_to(ROOT)) for p in TOOLKIT.rglob("*.py")
             if p.name.startswith("test_") or p.stem.endswith("_test")]
    assert not named, named


def test_bench_never_imports_tests():
    offenders = []
    for path in (ROOT / "bench").glob("*.py"):
        for name in imported_names(module_name(path), path):
            if name == "tests" or name.startswith("tests.") or name in _test_helper_names():
                offenders.append(f"{path.name} imports {name}")
    assert not offenders, offenders


def _test_helper_names() -> set[str]:
    return {p.stem for p in (ROOT / "tests").rglob("*.py")}


def _text_files():
    for top in ("toolkit", "tests", "bench", "tools", "docs", "courses", "checklists", "inspections", ".ci"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and (path.suffix in TEXT_SUFFIXES or top == ".ci") \
                    and ".ipynb_checkpoints" not in path.parts:
                yield path
    yield from (ROOT / name for name in ("README.md", "Makefile", "pyproject.toml", "environment.yml"))


def test_nothing_refers_to_files_outside_the_repository():
    offenders = []
    for path in _text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not offenders, "\n".join(offenders)


def test_markdown_links_resolve():
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken, broken


def _stage_map() -> str:
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    match = re.search(r"```text\n(.*?)```", text, re.S)
    assert match, "docs/development.md opens with the stage map in a ```text block"
    assert text.index(match.group(0)) < 2000, "the stage map comes first"
    return match.group(1)


def test_stage_map_names_every_subpackage_and_only_real_folders():
    stage_map = _stage_map()
    named = set(re.findall(r"\b(toolkit(?:/[a-z_]+)+)/", stage_map))
    named |= {str(Path(n).parent) for n in named if Path(n).parent != Path("toolkit")}
    packages = {str(p.parent.relative_to(ROOT)) for p in TOOLKIT.rglob("__init__.py")
                if p.parent != TOOLKIT}
    assert not packages - named, f"subpackages missing from the stage map: {sorted(packages - named)}"
    assert not {n for n in named if not (ROOT / n).is_dir()}, "the map names folders that do not exist"


def _unresolved(module: str, attribute: str | None) -> str | None:
    """Why ``from module import attribute`` (or ``import module``) fails, or None when it works."""
    import importlib

    try:
        loaded = importlib.import_module(module)
        if attribute and attribute != "*" and not hasattr(loaded, attribute):
            importlib.import_module(f"{module}.{attribute}")
    except ImportError as err:
        return str(err)
    return None


def test_every_import_of_a_toolkit_module_resolves():
    """Function-level imports included: a module moved without its callers fails here, not in a demo."""
    broken = []
    for name, path in sorted(toolkit_modules().items()):
        if "hub.jupyter" in name:
            continue
        for line, module, attribute in import_statements(path.read_text(encoding="utf-8"), _package_of(name, path)):
            problem = module.startswith("toolkit") and _unresolved(module, attribute)
            if problem:
                broken.append(f"{path.relative_to(ROOT)}:{line}: {module} {attribute or ''} ({problem})")
    assert not broken, "\n".join(broken)


def _sources_outside_the_package():
    """(where, Python source) of tests, benchmarks, tools and the notebooks' code cells."""
    import json

    for top in ("tests", "bench", "tools"):
        for path in (ROOT / top).rglob("*.py"):
            yield path, path.read_text(encoding="utf-8")
    for top in ("inspections", "courses"):
        for path in (ROOT / top).rglob("*.ipynb"):
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                    for c in cells if c.get("cell_type") == "code"]
            yield path, "\n".join(line for cell in code for line in cell.splitlines()
                                  if not line.lstrip().startswith(("%", "!")))


def test_every_import_of_a_toolkit_module_outside_the_package_resolves():
    """Tests, benchmarks, tools and notebooks name toolkit modules by path too: a move must take them along."""
    broken = []
    for path, source in _sources_outside_the_package():
        for line, module, attribute in import_statements(source):
            problem = module.startswith("toolkit") and _unresolved(module, attribute)
            if problem:
                broken.append(f"{path.relative_to(ROOT)}:{line}: {module} {attribute} ({problem})")
    assert not broken, "\n".join(broken)

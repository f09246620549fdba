"""The house plan's layers hold: no upward imports between toolkit's packages.

policy ← cases, checklists ← training, inspections ← reports, hub ← cli / demo.  ``toolkit.errors``,
``toolkit.privacy``, ``toolkit.files``, ``toolkit.fonts``, ``toolkit.cells``, ``toolkit.sheets``,
``toolkit.kernels`` (its public face), ``toolkit.lazy`` and the package root are leaf helpers any layer may use.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "toolkit"
LEAVES = {"toolkit", "toolkit.errors", "toolkit.privacy", "toolkit.files", "toolkit.fonts",
          "toolkit.sheets", "toolkit.cells", "toolkit.kernels", "toolkit.lazy"}
ALLOWED = {
    "kernels": {"kernels"},  # leaf-level: warm kernels know nothing of the toolkit's stages
    "policy": {"policy"},
    "cases": {"cases", "policy"},
    "checklists": {"checklists", "policy"},
    "training": {"training", "cases", "policy"},
    "inspections": {"inspections", "checklists", "policy"},
    "reports": {"reports", "inspections", "checklists", "policy"},
    "hub": {"hub", "training", "cases", "policy"},
}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_no_upward_imports():
    problems = []
    for package, allowed in ALLOWED.items():
        for path in (ROOT / package).rglob("*.py"):
            for line, module in imported_modules(path):
                if not module.startswith("toolkit") or module in LEAVES:
                    continue
                layer = module.split(".")[1]
                if layer not in allowed:
                    problems.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
    assert not problems, "\n".join(problems)


def test_reports_runner_knows_nothing_of_policy():
    # Only the round planner and the demo stage may reach the inspection store.
    for path in (ROOT / "reports").glob("*.py"):
        if path.name in {"inspection_round.py", "demo_stage.py", "rectification_round.py"}:
            continue
        for line, module in imported_modules(path):
            assert not module.startswith(("toolkit.policy", "toolkit.inspections", "toolkit.cases")), \
                f"{path.name}:{line} imports {module}"

"""The house plan's layers hold: no upward imports between toolkit's packages and stages.

leaves ← policy ← cases, checklists ← training, inspections ← reports, hub ← loop ← demo ← cli.
``toolkit.errors``, ``privacy``, ``files``, ``fonts``, ``cells``, ``sheets``, ``lazy``, ``kernels``
(leaf-level: warm kernels know nothing of the stages) and the package root are leaves any layer may use.
Inside the layers two boundaries matter as much: the trainee side of training (what runs in a
trainee's sandboxed kernel) imports nothing of the trainer's side, and the report runner and
exporters know nothing of policy or inspections (only report composition does).
Function-level and relative imports count (tests/test_house.py reads them the same way).
"""

from __future__ import annotations

import pytest
from test_house import imported_names, toolkit_modules

LEAVES = {"toolkit", "toolkit.errors", "toolkit.privacy", "toolkit.files", "toolkit.fonts",
          "toolkit.sheets", "toolkit.cells", "toolkit.lazy", "toolkit.__main__"}
LAYERS = ["policy", "cases", "checklists", "training", "inspections", "reports", "hub", "loop", "demo", "cli"]
ALLOWED = {
    "kernels": {"kernels"},
    "policy": {"policy"},
    "cases": {"cases", "policy"},
    "checklists": {"checklists", "policy"},
    "training": {"training", "cases", "policy", "kernels"},
    "inspections": {"inspections", "checklists", "policy"},
    "reports": {"reports", "inspections", "checklists", "policy", "kernels"},
    "hub": {"hub", "training", "cases", "policy"},
    "loop": {"loop", "training", "inspections", "reports", "hub", "checklists", "cases", "policy"},
    "demo": set(LAYERS) - {"cli"} | {"kernels"},
    "cli": set(LAYERS) | {"kernels"},
}
# Stage → the packages (and their modules) it may import, narrower than its layer's rule; its own
# layer's package root (``toolkit.training``, ``toolkit.reports``) is always allowed, its siblings not.
INNER = {
    "toolkit.training.trainee": {"toolkit.training.trainee", "toolkit.cases", "toolkit.policy"},
    # the phone app runs in the trainee's kernel too: the trainee side and nothing of the trainer's
    "toolkit.training.app": {"toolkit.training.app", "toolkit.training.trainee", "toolkit.cases", "toolkit.policy"},
    "toolkit.reports.runner": {"toolkit.reports.runner", "toolkit.reports.export", "toolkit.kernels"},
    "toolkit.reports.export": {"toolkit.reports.export", "toolkit.kernels"},
}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and module not in LEAVES else None


def _imports():
    modules = toolkit_modules()
    for name, path in modules.items():
        for target in set(imported_names(name, path)):
            if target.startswith("toolkit") and target not in LEAVES and target in modules:
                yield name, target


def test_every_toolkit_package_has_a_layer():
    assert {_layer(m) for m in toolkit_modules() if _layer(m)} <= set(ALLOWED)


def test_no_upward_imports():
    problems = [f"{name} imports {target}" for name, target in _imports()
                if _layer(name) and _layer(target) not in ALLOWED[_layer(name)]]
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.parametrize("stage", sorted(INNER))
def test_stage_boundaries_inside_a_layer(stage):
    allowed, root = INNER[stage], stage.rpartition(".")[0]
    problems = [f"{name} imports {target}" for name, target in _imports()
                if (name == stage or name.startswith(stage + ".")) and target != root
                and not any(target == a or target.startswith(a + ".") for a in allowed)]
    assert not problems, "\n".join(sorted(problems))

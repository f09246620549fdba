"""Check every job's parameters against its notebook's ``parameters`` cell — before any kernel."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import ValidationFailed
from toolkit.reports.runner import messages as msg
from toolkit.reports.runner.jobs import NotebookJob

_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
          "list": (list, tuple), "dict": (dict,)}


def declared_parameters(notebook: Path) -> dict[str, dict]:
    """``{name: {"inferred_type_name", "default", "help"}}`` from the notebook's parameters cell."""
    import nbformat
    from papermill import inspect_notebook

    nb = nbformat.read(notebook, as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        return {}
    return inspect_notebook(Path(notebook))


def validate_jobs(jobs: list[NotebookJob]) -> dict[Path, dict[str, dict]]:
    """Raise :class:`ValidationFailed` listing every unknown or mistyped parameter.

    Returns the declared parameters per notebook (the runner uses them to inject
    ``output_dir`` only where a notebook declares it).
    """
    problems: list[str] = []
    declared: dict[Path, dict[str, dict]] = {}
    for job in jobs:
        nb_path = Path(job.notebook)
        if nb_path not in declared:
            if not nb_path.is_file():
                problems.append(msg.NOTEBOOK_MISSING.format(notebook=nb_path))
                declared[nb_path] = {}
                continue
            declared[nb_path] = declared_parameters(nb_path)
            if not declared[nb_path]:
                problems.append(msg.NO_PARAMETERS_CELL.format(notebook=nb_path.name))
        params = declared[nb_path]
        if not params:
            continue
        for name, value in job.parameters.items():
            if name not in params:
                problems.append(msg.UNKNOWN_PARAMETER.format(notebook=nb_path.name, name=name))
                continue
            expected = (params[name].get("inferred_type_name") or "").strip()
            base = expected.split("[")[0].lower()
            allowed = _TYPES.get(base)
            ok = allowed is None or (isinstance(value, allowed)
                                     and not (base in ("int", "float") and isinstance(value, bool)))
            if not ok:
                problems.append(msg.BAD_PARAMETER_TYPE.format(
                    notebook=nb_path.name, name=name, expected=expected,
                    actual=f"{type(value).__name__} {value!r}"))
    if problems:
        raise ValidationFailed("报告参数有误，未启动任何内核：", problems=sorted(set(problems)))
    return declared

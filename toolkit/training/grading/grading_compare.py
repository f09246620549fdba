"""What two gradings of the same submissions must share (issue 26): the in-process path against
the kernel path, in ``tests/grading/test_answer_grading.py`` and ``bench/grading.py``.

* :func:`gradebook_rows`: every row nbgrader's gradebook holds for a graded submission
  (timestamp, penalties, each grade's and comment's fields), keyed by assignment and trainee;
* :func:`autograded_notebooks`: every autograded notebook as formgrader shows it -- the whole
  notebook except nbclient's timing metadata of executed cells (``metadata.execution``), which
  no page shows;
* :func:`feedback_pages`: the bytes of every feedback page;
* :func:`differences`: the keys at which two such dicts differ.

``blank_optional`` (:func:`autograded_notebooks`, :func:`blank_optional_cells`): the one
deliberate difference -- an ungraded code cell of the source that the trainee may change (m05's
pandas cell) is never run on the in-process path, so it has no outputs there.
"""

from __future__ import annotations

import json
from pathlib import Path


def gradebook_rows(root: Path, course_id: str = "jiuzhu") -> dict:
    from nbgrader.api import Gradebook

    rows = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}", course_id) as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                key = (assignment.name, sub.student_id)
                rows[key] = {"timestamp": str(sub.timestamp), "score": float(sub.score),
                             "max_score": float(sub.max_score), "late": float(sub.total_seconds_late or 0),
                             "needs_manual_grade": bool(sub.needs_manual_grade)}
                for notebook in sub.notebooks:
                    rows[key][notebook.name] = {
                        "penalty": notebook.late_submission_penalty,
                        "flagged": notebook.flagged,
                        "grades": sorted((g.name, g.auto_score, g.manual_score, g.extra_credit,
                                          g.needs_manual_grade, float(g.max_score)) for g in notebook.grades),
                        "comments": sorted((c.name, c.auto_comment, c.manual_comment) for c in notebook.comments),
                    }
    return rows


def _optional_ids(root: Path, assignment: str) -> set[str]:
    """Ids of the source's ungraded code cells without nbgrader metadata (m05's pandas cell)."""
    found = set()
    for path in (Path(root) / "source" / assignment).glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and "nbgrader" not in cell.get("metadata", {}):
                found.add(cell.get("id"))
    return found


def autograded_notebooks(root: Path, blank_optional: bool = False) -> dict[str, dict]:
    found = {}
    for path in sorted((Path(root) / "autograded").glob("*/*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        optional = _optional_ids(root, path.parent.name) if blank_optional else set()
        for cell in nb["cells"]:
            cell.get("metadata", {}).pop("execution", None)
            if cell.get("id") in optional:
                cell["outputs"], cell["execution_count"] = [], None
        found[str(path.relative_to(root))] = nb
    return found


def blank_optional_cells(root: Path) -> int:
    """Clear the outputs of optional source cells in every autograded notebook (kernel path), so
    that feedback pages can be compared byte for byte; returns how many cells had outputs."""
    import nbformat

    blanked = 0
    for path in sorted((Path(root) / "autograded").glob("*/*/*.ipynb")):
        optional = _optional_ids(root, path.parent.name)
        if not optional:
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.get("id") in optional and cell.get("outputs"):
                cell.outputs, cell.execution_count = [], None
                blanked += 1
        nbformat.write(nb, path)
    return blanked


def feedback_pages(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((Path(root) / "feedback").glob("*/*/*.html"))}


def differences(ours: dict, theirs: dict) -> list[str]:
    """Keys missing on one side or with different values (sorted)."""
    return sorted(str(k) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))

"""What the grading workers and the writer hand each other: plain picklable data, no imports of
nbgrader (so that :mod:`toolkit.training.grading.grading` can start its workers before it loads nbgrader).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """Something wrong with a submission, as a code plus the cell it concerns."""

    code: str          # cell_type | edited_test | points | locked | duplicate | unknown_cell |
                       # restored_cell | deleted_test | timeout | empty | broken | killed | no_answers | output_limit
                       # | not_run (a trainee's cell left unexecuted by the in-process grading)
    cell: str = ""     # nbgrader grade id when the problem concerns one cell
    detail: str = ""   # technical detail (exception text), for the log only
    count: int = 1     # how many cells it concerns (``cell`` then names the first few)


@dataclass
class NotebookTask:
    """One submitted notebook to execute in a worker."""

    submitted_path: str
    dest_dir: str
    resources: dict
    notebook_timeout: float | None
    release_cells: dict | None = None     # grade id → (cell type, source) in the released version


@dataclass
class NotebookResult:
    task: NotebookTask
    nb_json: str | None = None            # executed notebook, ready for the writer pass
    notebook: object = None               # or the notebook node itself (graded in the writer's process)
    in_process: bool = False              # graded from the answers, no kernel (answer_grading)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

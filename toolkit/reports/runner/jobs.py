"""What the runner is asked to do (:class:`NotebookJob`) and what came of it (:class:`JobResult`).

Both are plain picklable dataclasses: they travel to worker processes or Dask workers and back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

DEFAULT_FORMATS = ("html", "docx", "xlsx")
ALL_FORMATS = ("html", "docx", "xlsx", "pdf")


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to execute with papermill and export.

    ``name`` is the output folder name (e.g. the district); ``parameters`` are injected into the
    notebook's ``parameters`` cell.  ``output_dir`` is filled in by the runner (a staging folder)
    and also injected as the ``output_dir`` parameter when the notebook declares one.
    """

    name: str
    notebook: Path
    parameters: dict = field(default_factory=dict)
    title: str = ""
    formats: tuple[str, ...] = DEFAULT_FORMATS
    timeout: float = 600.0
    sample: bool = False
    output_dir: Path | None = None
    priority: int = 0  # higher starts first (long jobs first keeps every worker busy to the end)


@dataclass
class JobFailure:
    """Where and why a job failed: kind is one of 'cell', 'timeout', 'kernel', 'export'."""

    kind: str
    message: str
    cell_index: int | None = None
    cell_source: str = ""
    ename: str = ""

    def describe(self) -> str:
        from toolkit.reports.runner import messages as msg

        where = msg.FAILURE_KIND.get(self.kind, self.kind)
        if self.cell_index is not None:
            first = self.cell_source.strip().splitlines()[0][:60] if self.cell_source.strip() else ""
            where += msg.CELL_AT.format(number=self.cell_index + 1, first=first)
        text = f"{self.ename}: {self.message}" if self.ename else self.message
        return f"{where}：{text}"


@dataclass
class JobResult:
    name: str
    ok: bool
    output_dir: str
    outputs: list[str] = field(default_factory=list)
    failure: JobFailure | None = None
    attempts: int = 1
    timings: dict = field(default_factory=dict)
    worker: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        return data

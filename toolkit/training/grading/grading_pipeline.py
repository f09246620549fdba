"""nbgrader's own autograde pipeline, split so that many processes execute and one process writes.

nbgrader's ``Autograde`` converter runs two passes over every submitted notebook:

* sanitize: ``ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata``
  (``OverwriteCells`` only *reads* the gradebook: it restores edited test cells, cell types and points);
* autograde: ``Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
  AssignLatePenalties, CheckCellMetadata``.

Only ``SaveAutoGrades`` and ``AssignLatePenalties`` write to the gradebook.  We take the two
configured lists from nbgrader's ``Autograde`` converter (so course configuration still applies),
run everything before the first gradebook writer in a worker process (:func:`execute_notebook`) and
the writers and what follows in the single writer process (:class:`WriterPipeline`).  The only
substitution is :class:`DeadlineExecute`, nbgrader's ``Execute`` with a per-notebook time budget.
Scores therefore equal those of ``nbgrader autograde``.

This module never imports toolkit code above the training layer and holds no Chinese text: it
reports problems as :class:`Problem` codes which :mod:`toolkit.training.grading.grading` words for people.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.writers import FilesWriter
from nbgrader import utils as nbutils
from nbgrader.converters import Autograde
from nbgrader.preprocessors import AssignLatePenalties, Execute, SaveAutoGrades
from traitlets import Float
from traitlets.config import Config

from toolkit.training.grading.grading_tasks import NotebookResult, NotebookTask, Problem

GRADEBOOK_WRITERS = (SaveAutoGrades, AssignLatePenalties)
TIMEOUT_ENAME = "CellTimeoutError"
OUTPUT_LIMIT_ENAME = "OutputLimitError"


class DeadlineExecute(Execute):
    """nbgrader's ``Execute`` with a time budget for the whole notebook.

    Each cell still gets at most ``Execute.timeout`` seconds (nbgrader's per-cell limit); in
    addition no cell may run past the notebook's deadline.  A cell that hits either limit is
    interrupted and gets nbgrader's ``CellTimeoutError`` output, and execution continues, so
    later test cells still earn their points.  Once the deadline has passed each remaining cell
    gets ``grace_seconds``.
    """

    notebook_timeout = Float(None, allow_none=True).tag(config=True)
    grace_seconds = Float(5.0).tag(config=True)
    output_bytes = Float(None, allow_none=True).tag(config=True)   # outputs kept per notebook
    on_kernel_started = None     # worker hook: called with the kernel's process id
    _output_used = 0.0
    _output_cut = False

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's output handler, keeping at most ``output_bytes`` of outputs per notebook.

        Past the limit outputs are dropped and the cell gets one ``OutputLimitError`` output, so
        a flood of output neither fills the grader's memory nor earns the cell its points.
        """
        if self.output_bytes:
            self._output_used += len(json.dumps(msg.get("content", {}), ensure_ascii=False))
            if self._output_used > self.output_bytes:
                if not self._output_cut:
                    self._output_cut = True
                    outs.append(nbformat.v4.new_output(
                        "error", ename=OUTPUT_LIMIT_ENAME, traceback=[],
                        evalue=f"output beyond {int(self.output_bytes)} bytes dropped"))
                return None
        return super().output(outs, msg, display_id, cell_index)

    def start_new_kernel(self, **kwargs):
        super().start_new_kernel(**kwargs)
        if self.on_kernel_started is not None:
            try:
                self.on_kernel_started(self.km.provisioner.process.pid)
            except AttributeError:   # a provisioner without a local process
                pass

    def preprocess(self, nb, resources=None, km=None):
        self._output_used, self._output_cut = 0.0, False
        if self.notebook_timeout:
            deadline = time.monotonic() + self.notebook_timeout
            per_cell = self.timeout if self.timeout and self.timeout > 0 else None

            def budget(cell) -> int:
                left = max(deadline - time.monotonic(), self.grace_seconds)
                return int(math.ceil(min(left, per_cell) if per_cell else left))

            self.timeout_func = budget
        return super().preprocess(nb, resources, km=km)


class _Capture(logging.Handler):
    """Collects the warnings nbgrader's preprocessors log about a submission."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_UNKNOWN_CELL = re.compile(r"Cell '(.+)' does not exist in the database")
_RESTORED_CELL = re.compile(r"Missing grade cell (\S+) encountered")


def problems_from_log(records: list[logging.LogRecord]) -> list[Problem]:
    """Translate nbgrader's warnings (OverwriteCells, DeduplicateIds) into problem codes."""
    found: list[Problem] = []
    for record in records:
        msg, args = str(record.msg), record.args or ()
        if msg.startswith("Attribute '%s' for cell %s has changed") and len(args) >= 2:
            attr, cell = str(args[0]), str(args[1])
            code = {"checksum": "edited_test"}.get(attr, attr)   # cell_type, points, locked
            found.append(Problem(code, cell))
        elif msg.startswith("Cell with id '%s' exists multiple times") and args:
            found.append(Problem("duplicate", str(args[0])))
        elif m := _UNKNOWN_CELL.match(msg):
            found.append(Problem("unknown_cell", m.group(1)))
        elif m := _RESTORED_CELL.match(msg):
            found.append(Problem("restored_cell", m.group(1)))
    return list(dict.fromkeys(found))


def timed_out_cells(nb, ename: str = TIMEOUT_ENAME) -> list[str]:
    """Grade ids (or cell numbers) of cells that were interrupted for running too long.

    With ``ename=OUTPUT_LIMIT_ENAME``: the cell whose output was cut off.
    """
    cells = []
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == ename:
                cells.append(cell.metadata.get("nbgrader", {}).get("grade_id") or f"#{index}")
                break
    return cells


def _split_autograde(config: Config) -> tuple[list, list, list]:
    """nbgrader's configured preprocessor lists: sanitize, execute part, writer part."""
    converter = Autograde(config=config)
    sanitize = list(converter.sanitize_preprocessors)
    autograde = [DeadlineExecute if pp is Execute else pp for pp in converter.autograde_preprocessors]
    first_writer = next((i for i, pp in enumerate(autograde) if pp in GRADEBOOK_WRITERS), len(autograde))
    return sanitize, autograde[:first_writer], autograde[first_writer:]


def _exporter(config: Config, preprocessors: list, log: logging.Logger | None = None) -> NotebookExporter:
    """A NotebookExporter set up like nbgrader's converters (no default preprocessors)."""
    cfg = Config(config)
    cfg.Exporter.default_preprocessors = []
    kwargs = {"log": log} if log is not None else {}
    exporter = NotebookExporter(config=cfg, **kwargs)
    for pp in preprocessors:
        exporter.register_preprocessor(pp)
    return exporter


def _write(config: Config, output: str, resources: dict, dest_dir: str) -> None:
    writer = FilesWriter(config=config)
    writer.build_directory = dest_dir
    writer.write(output, resources, notebook_name=resources["unique_key"])


def execute_notebook(config: Config, task: NotebookTask) -> NotebookResult:
    """Worker side: sanitize and execute one submitted notebook; never raises.

    Mirrors ``Autograde.convert_single_notebook`` up to the first gradebook writer: the sanitized
    notebook is written into the autograded folder and executed from there (so the kernel's
    working directory is the same as under ``nbgrader autograde``).
    """
    started = time.perf_counter()
    result = NotebookResult(task)
    capture = _Capture()
    log = logging.getLogger(f"toolkit.training.grading.grading.worker.{os.getpid()}")
    log.propagate = False
    log.handlers[:] = [capture]
    sanitize, execute, _ = _split_autograde(config)
    cfg = Config(config)
    if task.notebook_timeout:
        cfg.DeadlineExecute.notebook_timeout = float(task.notebook_timeout)
    try:
        submitted = _read_cells(task.submitted_path)
        if submitted is not None and not any(source.strip() for _, source in submitted.values()):
            result.problems.append(Problem("empty"))
        exporter = _exporter(cfg, sanitize, log)
        output, resources = exporter.from_filename(task.submitted_path, resources=dict(task.resources))
        _write(cfg, output, resources, task.dest_dir)
        sanitized = os.path.join(task.dest_dir, os.path.basename(task.submitted_path))
        exporter = _exporter(cfg, execute, log)
        with nbutils.setenv(NBGRADER_EXECUTION="autograde"):
            output, resources = exporter.from_filename(sanitized, resources=dict(task.resources))
        result.nb_json = output
    except Exception as err:  # a broken submission must never stop the batch
        result.problems.append(Problem("broken", detail=f"{type(err).__name__}: {err}"))
    result.problems.extend(_changed_since_release(problems_from_log(capture.records), submitted,
                                                  task.release_cells))
    result.seconds = time.perf_counter() - started
    return result


def _read_cells(path: str) -> dict[str, tuple[str, str]] | None:
    """Cell type and source of every cell (keyed by grade id, else position); None if unreadable."""
    import nbformat

    if os.path.getsize(path) == 0:
        return {}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return None          # reported as broken by the exporter
    return {cell.metadata.get("nbgrader", {}).get("grade_id") or f"#{i}": (cell.cell_type, str(cell.source))
            for i, cell in enumerate(nb.cells)}


def released_cells(path: str | os.PathLike) -> dict[str, tuple[str, str]] | None:
    """Cells of the released notebook, to tell tampering from nbgrader's own hidden-test removal."""
    return _read_cells(str(path)) if os.path.exists(path) else None


def _changed_since_release(problems: list[Problem], submitted, released) -> list[Problem]:
    """Drop "edited test cell" reports for cells that are exactly as released.

    nbgrader removes hidden tests from released notebooks, so every such cell's checksum differs
    from the source and OverwriteCells restores it; that is not the trainee's doing.
    """
    if not released or submitted is None:
        return problems
    return [p for p in problems
            if not (p.code == "edited_test" and submitted.get(p.cell) == released.get(p.cell))]


class WriterPipeline:
    """Writer side: everything that touches the gradebook, in one process.

    Uses nbgrader's ``Autograde`` converter for the per-submission set-up (student and
    submission rows, timestamp, copying files, zero for missing notebooks) and nbgrader's
    ``SaveAutoGrades``/``AssignLatePenalties``/``CheckCellMetadata`` for each executed notebook.
    """

    def __init__(self, config: Config, coursedir, log: logging.Logger | None = None) -> None:
        self.config = config
        self.coursedir = coursedir
        self.converter = Autograde(coursedir=coursedir, config=config, **({"log": log} if log else {}))
        self.converter.exporter = NotebookExporter(config=config)
        self.converter.writer = FilesWriter(config=config)
        _, _, writers = _split_autograde(config)
        self.exporter = _exporter(config, writers, log)
        self._released: dict[tuple[str, str], dict | None] = {}

    def submitted_notebooks(self, assignment: str, student: str) -> list[str]:
        folder = self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment)
        return sorted(str(p) for p in Path(folder).glob(f"{self.coursedir.notebook_id}.ipynb"))

    def prepare(self, assignment: str, student: str, force: bool) -> list[NotebookTask] | None:
        """Set up the autograded folder and gradebook rows; ``None`` when already graded."""
        conv = self.converter
        conv.force = force
        conv.notebooks = self.submitted_notebooks(assignment, student)
        if not conv.init_destination(assignment, student):
            return None
        conv.init_assignment(assignment, student)       # filters conv.notebooks to known ones
        dest = conv._format_dest(assignment, student)
        tasks = []
        release_dir = self.coursedir.format_path(self.coursedir.release_directory, ".", assignment)
        for path in conv.notebooks:
            resources = conv.init_single_notebook_resources(path)
            key = (assignment, os.path.basename(path))
            if key not in self._released:
                self._released[key] = released_cells(os.path.join(release_dir, os.path.basename(path)))
            tasks.append(NotebookTask(path, dest, resources, None, self._released[key]))
        return tasks

    def save(self, result: NotebookResult, nb=None) -> None:
        """Record the grades of an executed notebook and write it into the autograded folder.

        ``nb``: the executed notebook when the caller has read (and perhaps amended) it already;
        by default it is read from ``result.nb_json``."""
        import nbformat

        if nb is None:
            nb = nbformat.reads(result.nb_json, as_version=4)
        resources = dict(result.task.resources)
        output, resources = self.exporter.from_notebook_node(nb, resources=resources)
        _write(self.config, output, resources, result.task.dest_dir)

    def discard(self, assignment: str, student: str) -> None:
        """Like nbgrader on a failed submission: remove its autograded folder."""
        dest = os.path.normpath(self.converter._format_dest(assignment, student))
        if os.path.exists(dest):
            nbutils.rmtree(dest)

    def finish(self, assignment: str, student: str) -> None:
        self.converter.set_permissions(assignment, student)

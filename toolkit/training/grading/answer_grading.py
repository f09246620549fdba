"""Grading answer-card exercises from the recorded answers, in the grader's own process (issue 26).

Every graded cell of the course's card exercises is a check the toolkit wrote,
``grade('m01_means_test', 'q1')``: it compares the answers the cards recorded (``answers.json``)
with the answer of the trainee's case made on the trainer's side.  Running the trainee's whole
notebook in a sandboxed kernel only to make those comparisons is the slowest and the riskiest way
to grade; here no kernel starts and no cell of the submission is executed.

**When** (:func:`plan`): a submitted notebook is graded here only when

* its assignment's source notebook is the one ``jiuzhu course build`` writes
  (:func:`toolkit.training.course.notebook.source_notebook`, cell by cell), it has no solution cell and
  no manually graded (task) cell, and every grade cell's nbgrader checksum in the gradebook is
  that of the source cell (nbgrader's own ``compute_checksum``);
* every cell of the submission that carries nbgrader metadata is the released cell, unchanged
  (type, source, metadata), in the released order, none missing and none twice;
* the notebook and the answers sidecar pass the defensive reading of
  :mod:`toolkit.training.trainee.untrusted` (size, depth, encoding).

Anything else -- a trainee who edits, adds or retypes a grade cell or changes its metadata, an
exercise with code the trainee must write or with a manually graded cell (m04's 告知书), a grade
cell the toolkit did not write, a plain nbgrader course -- goes to the sandboxed kernel as before.

**How** (:func:`grade_notebook`): nbgrader's own autograde preprocessors run as in a worker
(sanitize, then the execute part), with nbgrader's ``Execute`` replaced by :class:`AnswerOutputs`,
which writes the outputs the kernel would have written for the toolkit's cells by calling the
same code the cells call (:meth:`Exercise.case_displays`, :meth:`Exercise.cards`, formatted by
IPython's display formatter as in a kernel).  The grade cells' outputs are then written by the
grader's ``card_outputs`` (the same call as on the kernel path), and nbgrader's
``SaveAutoGrades``/``AssignLatePenalties`` record the grades in the writer, as for a kernel.
Cells the trainee added are never executed: they keep their source, lose their outputs (as
nbgrader's ``ClearOutput`` does) and are counted in the summary, once per submission, with the
first few cell numbers (problem ``not_run``).  A notebook of more than
:data:`toolkit.training.trainee.untrusted.MAX_NOTEBOOK_CELLS` cells is refused before it gets here
(graded 0, named in the summary), not sent to a kernel, which would run each of its cells.

The one visible difference: an optional code cell of the source that nobody grades (m05's
pandas cell) is not run either, so it has no outputs here.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.training.grading.grading_tasks import NotebookResult, NotebookTask, Problem

log = logging.getLogger(__name__)

NOT_RUN_SHOWN = 3           # cell numbers named in the one ``not_run`` problem of a submission

@dataclass
class Plan:
    """How a submitted notebook is graded here: which cells are not run (added by the trainee)."""

    assignment: str
    not_run: list[str] = field(default_factory=list)   # labels of the trainee's own code cells
    optional: set[int] = field(default_factory=set)    # positions of unchanged optional source code cells


@dataclass
class Timings:
    """Seconds spent per phase over all notebooks graded here (printed by bench/grading.py)."""

    reading: float = 0.0      # defensive reading and the checks of plan() (of every notebook checked)
    case: float = 0.0         # the trainee's case and the toolkit cells' outputs
    writing: float = 0.0      # nbgrader's sanitize and output preprocessors, the notebook written
    gradebook: float = 0.0    # SaveAutoGrades, AssignLatePenalties (set by the caller)
    notebooks: int = 0


# --------------------------------------------------------------------------- when


def _meta(cell) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else None


def _strip_ids(nb) -> list[tuple]:
    return [(c.cell_type, c.source, _meta(c) and {k: v for k, v in _meta(c).items() if k != "checksum"})
            for c in nb.cells]


@functools.lru_cache(maxsize=64)
def _expected_source(assignment: str, reference: str) -> tuple | None:
    """The source notebook ``jiuzhu course build`` writes for ``assignment`` (its questions from
    the case of trainee ``reference``, ``course.REFERENCE_STUDENT``), cells compared."""
    from toolkit.cases.base import case_for
    from toolkit.training import COURSE_ID
    from toolkit.training.course.notebook import source_notebook

    try:
        return tuple(_strip_ids(source_notebook(case_for(COURSE_ID, assignment, reference))))
    except Exception:           # not one of the toolkit's exercises
        return None


def source_is_cards(assignment: str, source_nb, gradebook_cells: dict[str, str], reference: str) -> bool:
    """The source notebook is the toolkit's card exercise: no solution or task cell, every grade
    cell a card check the toolkit wrote, with the gradebook's checksum."""
    from nbgrader.utils import compute_checksum, is_grade

    expected = _expected_source(assignment, reference)
    if expected is None or tuple(_strip_ids(source_nb)) != expected:
        return False
    for cell in source_nb.cells:
        meta = _meta(cell) or {}
        if meta.get("solution") or meta.get("task"):
            return False
        if is_grade(cell) and gradebook_cells.get(meta.get("grade_id")) != compute_checksum(cell):
            return False
    return any(is_grade(cell) for cell in source_nb.cells)


def plan(submitted_nb, released_nb, assignment: str) -> Plan | None:
    """How to grade ``submitted_nb`` here, or ``None``: the sandboxed kernel grades it."""
    released = {(_meta(c) or {}).get("grade_id"): c for c in released_nb.cells if _meta(c)}
    released_order = [gid for gid in (_meta(c)["grade_id"] for c in released_nb.cells if _meta(c))]
    plain = {c.get("id"): c for c in released_nb.cells if not _meta(c)}
    seen: list[str] = []
    result = Plan(assignment)
    for index, cell in enumerate(submitted_nb.cells, start=1):
        meta = _meta(cell)
        if meta is None and "nbgrader" in cell.get("metadata", {}):
            return None                                 # nbgrader metadata of another shape
        if meta is not None:
            gid = meta.get("grade_id")
            original = released.get(gid)
            if original is None or gid in seen or cell.cell_type != original.cell_type \
                    or cell.source != original.source or meta != _meta(original):
                return None
            seen.append(gid)
            continue
        if cell.cell_type != "code":
            continue                                    # Markdown or raw: shown, never run
        original = plain.get(cell.get("id"))
        if original is not None and original.cell_type == "code" and original.source == cell.source:
            result.optional.add(index - 1)
        else:
            result.not_run.append(f"#{index}")
    return result if seen == released_order else None


def needs_kernels(root: Path, assignments: list[str]) -> bool:
    """A cheap guess, before nbgrader is loaded: does any of these exercises' source notebooks
    have a cell only a kernel can grade (solution, task, a grade cell that is not a card check)?"""
    import json
    import re

    card_call = re.compile(r"\bgrade\(\s*['\"]\w+['\"]\s*,\s*['\"]\w+['\"]\s*\)")
    for assignment in assignments:
        sources = sorted((Path(root) / "source" / assignment).glob("*.ipynb"))
        if not sources:
            return True
        for path in sources:
            try:
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            except (OSError, ValueError, KeyError, TypeError):
                return True
            for cell in cells:
                meta = (cell.get("metadata") or {}).get("nbgrader") or {}
                source = "".join(cell.get("source") or "")
                if meta.get("solution") or meta.get("task") or (meta.get("grade") and not card_call.search(source)):
                    return True
    return False


# --------------------------------------------------------------------------- how


class AnswerOutputs:
    """Stands in for nbgrader's ``Execute``: the outputs the toolkit's cells would have in a kernel.

    ``setup`` gets the displays of :meth:`Exercise.case_displays`, ``cards`` the result of
    :meth:`Exercise.cards`, each formatted by IPython's display formatter; grade cells are left
    for ``card_outputs``; no other cell is executed.  Execution counts follow a kernel's: one per
    executed non-empty code cell (an unchanged optional source cell keeps its number)."""

    def __init__(self, plan: Plan, folder: Path) -> None:
        self.plan = plan
        self.folder = folder

    def __call__(self, nb, resources):
        from toolkit.training.trainee.exercise import Exercise

        exercise = Exercise(self.plan.assignment, self.folder)
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            cell.outputs, cell.execution_count = [], None
            meta = _meta(cell)
            if meta is None:
                if index in self.plan.optional and cell.source.strip():
                    count += 1
                continue
            if not cell.source.strip():
                continue
            count += 1
            cell.execution_count = count
            gid = meta.get("grade_id")
            if gid == "setup":
                cell.outputs = [_display(shown) for shown in exercise.case_displays()]
            elif gid == "cards":
                cell.outputs = [_display(exercise.cards(), count)]
        nb.metadata["language_info"] = _language_info()
        return nb, resources


@functools.lru_cache(maxsize=1)
def _formatter():
    from IPython.core.formatters import DisplayFormatter

    return DisplayFormatter()


def _display(obj, execution_count: int | None = None):
    """A display (or, with ``execution_count``, a cell result) output, as a kernel formats it."""
    import nbformat

    data, metadata = _formatter().format(obj)
    if execution_count is None:
        return nbformat.v4.new_output("display_data", data=data, metadata=metadata)
    return nbformat.v4.new_output("execute_result", data=data, metadata=metadata,
                                  execution_count=execution_count)


@functools.lru_cache(maxsize=1)
def _language_info() -> dict:
    """What a python kernel reports as ``language_info`` (nbclient writes it into the notebook)."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


class AnswerGrader:
    """Grades the notebooks it can in this process; the grader's dispatch asks it first."""

    def __init__(self, config, coursedir, assignments: set[str], reference: str) -> None:
        self.config = config
        self.coursedir = coursedir
        self.assignments = assignments           # the course's answer-card assignments
        self.reference = reference               # course.REFERENCE_STUDENT (the source's questions)
        self._cards: dict[tuple[str, str], bool] = {}
        self._released: dict[tuple[str, str], object] = {}
        self._exporters: tuple | None = None
        self.timings = Timings()

    def _source_ok(self, assignment: str, name: str) -> bool:
        key = (assignment, name)
        if key not in self._cards:
            self._cards[key] = self._check_source(assignment, name)
        return self._cards[key]

    def _check_source(self, assignment: str, name: str) -> bool:
        import nbformat
        from nbgrader.api import Gradebook, MissingEntry

        cd = self.coursedir
        source = Path(cd.format_path(cd.source_directory, ".", assignment)) / name
        release = Path(cd.format_path(cd.release_directory, ".", assignment)) / name
        try:
            source_nb = nbformat.read(source, as_version=4)
            self._released[(assignment, name)] = nbformat.read(release, as_version=4)
            with Gradebook(cd.db_url, cd.course_id) as gb:
                notebook = gb.find_notebook(Path(name).stem, assignment)
                checksums = {c.name: c.checksum for c in notebook.source_cells}
        except (OSError, ValueError, MissingEntry):
            return False
        return source_is_cards(assignment, source_nb, checksums, self.reference)

    def plan_for(self, task: NotebookTask) -> Plan | None:
        """The plan for one task, or ``None`` (kernel path)."""
        from toolkit.training.trainee import untrusted
        from toolkit.training.trainee.answers import SIDECAR_NAME

        nbg = task.resources["nbgrader"]
        name = os.path.basename(task.submitted_path)
        if nbg["assignment"] not in self.assignments or not self._source_ok(nbg["assignment"], name):
            return None
        try:
            submitted = untrusted.load_notebook(task.submitted_path)
            for folder in (Path(task.submitted_path).parent, Path(task.dest_dir)):
                if (folder / SIDECAR_NAME).exists() or (folder / SIDECAR_NAME).is_symlink():
                    untrusted.load_answers(folder / SIDECAR_NAME)
        except untrusted.UntrustedFileError as err:
            log.info("kernel path for %s: %s", task.submitted_path, err.reason)
            return None
        return plan(submitted, self._released[(nbg["assignment"], name)], nbg["assignment"])

    def grade(self, task: NotebookTask) -> NotebookResult | None:
        """The graded notebook (``result.notebook``) before the writer, or ``None``: kernel path."""
        started = time.perf_counter()
        chosen = self.plan_for(task)
        read = time.perf_counter()
        self.timings.reading += read - started
        if chosen is None:
            return None
        result = NotebookResult(task)
        try:
            if self._exporters is None:
                self._exporters = make_exporters(self.config)
            result.notebook = grade_notebook(self.config, task, chosen, self.timings, self._exporters)
        except Exception as err:        # never stops the batch: the sandboxed kernel gets it
            log.warning("kernel path for %s after %s: %s", task.submitted_path, type(err).__name__, err)
            return None
        if chosen.not_run:              # once, however many cells were added
            result.problems.append(Problem("not_run", "、".join(chosen.not_run[:NOT_RUN_SHOWN]),
                                           count=len(chosen.not_run)))
        result.in_process = True
        result.seconds = time.perf_counter() - started
        self.timings.notebooks += 1
        return result


def grade_notebook(config, task: NotebookTask, chosen: Plan, timings: Timings | None = None,
                   exporters: tuple | None = None):
    """nbgrader's sanitize and execute passes over ``task``, with :class:`AnswerOutputs` for Execute.

    The same preprocessors, in the same order and with the same configuration, as a worker runs
    (:func:`toolkit.training.grading.grading_pipeline.execute_notebook`), on the notebook in memory.
    ``exporters``: those of :func:`make_exporters` when the caller keeps them (as the writer keeps its own)."""
    import nbformat

    timings = timings or Timings()
    started = time.perf_counter()
    sanitize, after = exporters or make_exporters(config)
    resources = dict(task.resources)
    resources["metadata"] = {"name": Path(task.submitted_path).stem, "path": task.dest_dir}
    nb = nbformat.read(task.submitted_path, as_version=4)      # checked by untrusted.load_notebook
    nb, resources = _preprocess(sanitize, nb, resources)
    case_started = time.perf_counter()
    nb, resources = AnswerOutputs(chosen, Path(task.dest_dir))(nb, resources)
    case_done = time.perf_counter()
    nb, resources = _preprocess(after, nb, resources)
    timings.case += case_done - case_started
    timings.writing += (case_started - started) + (time.perf_counter() - case_done)
    return nb


def make_exporters(config) -> tuple:
    """Exporters with nbgrader's configured sanitize preprocessors and those of the execute part
    after ``Execute`` (``IgnorePattern``, ``ClearMetadataPreprocessor``, ``LimitOutput``)."""
    from nbgrader.preprocessors import Execute
    from traitlets.config import Config

    from toolkit.training.grading.grading_pipeline import DeadlineExecute, _exporter, _split_autograde

    sanitize, execute, _ = _split_autograde(config)
    quiet = logging.getLogger("toolkit.training.grading.answer_grading.nbgrader")
    quiet.propagate = False       # OverwriteCells restores the hidden tests: expected, not news
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    steps = [pp for pp in execute if pp not in (DeadlineExecute, Execute)]
    return _exporter(Config(config), sanitize, quiet), _exporter(Config(config), steps, quiet)


def _preprocess(exporter, nb, resources):
    """The exporter's preprocessors over ``nb`` as nbconvert's ``_preprocess`` runs them, without
    its defensive deep copies (the notebook was just read for this pass and nothing else holds it)
    and validated once at the end (``optimistic_validation``)."""
    from nbformat import validator

    resources = exporter._init_resources(resources)
    if hasattr(validator, "normalize"):          # as nbconvert does first (e.g. cell ids)
        _, nb = validator.normalize(nb)
    preprocessor = None
    for preprocessor in exporter._preprocessors:
        nb, resources = preprocessor(nb, resources)
    if preprocessor is not None:
        exporter._validate_preprocessor(nb, preprocessor)
    return nb, resources

"""Feedback pages that one trainee cannot break.

nbgrader's markers (``### BEGIN HIDDEN TESTS`` …) mean something only in the trainer's source.
A trainee who types or prints one -- in an answer cell, or in any output -- made nbgrader's
``ClearHiddenTests`` fail ("No end hidden tests statement found") or made the leak scan take the
page for a leak.  :class:`TraineeText` runs first in the feedback converter and rewrites every
marker in trainee-written text (the source of cells the trainee may edit, and every output) with
no-break spaces: the page shows the same words, and neither nbgrader nor the scan reads them as
markers.  Real leaks (lines of the source's hidden tests or solutions) are still found by
:mod:`toolkit.training.grading.leaks`.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbgrader import utils as nbutils
from traitlets import Bool

from toolkit.training.grading.leaks import MARKERS

NBSP = "\u00a0"


def neutralise(text: str) -> str:
    """``text`` with every nbgrader marker's spaces turned into no-break spaces."""
    for marker in MARKERS:
        if marker in text:
            text = text.replace(marker, marker.replace(" ", NBSP))
    return text


def _outputs(cell) -> None:
    for output in cell.get("outputs", []):
        if "text" in output:
            output["text"] = neutralise(str(output["text"]))
        for key, value in list(output.get("data", {}).items()):
            if isinstance(value, str):
                output["data"][key] = neutralise(value)
        if "traceback" in output:
            output["traceback"] = [neutralise(str(line)) for line in output["traceback"]]
        if "evalue" in output:
            output["evalue"] = neutralise(str(output["evalue"]))


class TraineeText(Preprocessor):
    """Markers in a trainee's own text are text: neutralised before nbgrader sees them."""

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if not nbutils.is_locked(cell):
            cell.source = neutralise(cell.source)
        _outputs(cell)
        return cell, resources


def feedback_preprocessors(config) -> list:
    """The course's feedback preprocessors with :class:`TraineeText` first."""
    from nbgrader.converters import GenerateFeedback

    configured = list(GenerateFeedback(config=config).preprocessors)
    return [TraineeText] + [pp for pp in configured if pp is not TraineeText]

"""What nbgrader test cells call.

A generated test cell reads (released version)::

    from toolkit.training.trainee.autograde import check, grade
    check("m01_means_test", "q1")

and, in the source and autograded versions, also a hidden-test region::

    ### BEGIN HIDDEN TESTS
    grade("m01_means_test", "q1")
    ### END HIDDEN TESTS

``check`` tells the trainee only whether the answer was recorded and how it was read.
``grade`` runs only inside ``autograded/<student>/<assignment>/``: it scores the sidecar answer
against the trainee's own case and returns the earned points as the cell's last output, which
nbgrader counts as partial credit (``nbgrader.utils.determine_grade``).  Its printed lines (the
trainee's answer, the right answer, its basis) become the feedback.  Nothing here writes to
stderr: nbgrader gives a test cell zero points when it does.
"""

from __future__ import annotations

import html
import sys
import warnings
from decimal import Decimal
from pathlib import Path

from toolkit.cases.base import Question
from toolkit.errors import UserError
from toolkit.training.trainee import identity
from toolkit.training.trainee.answers import load_answers
from toolkit.training.trainee.casedata import trainee_case
from toolkit.training.trainee.parsing import describe_value, parse_response

TEXT = {
    "title": "{label}（{points:g} 分）",
    "recorded": "{label}：已作答，识别为 {value}。提交后统一评分。",
    "unreadable": "{label}：作答无法识别——{problem}",
    "missing": "{label}：尚未作答。请在上方答题卡中作答。",
    "not_grading": "（评分单元格：提交后由评分程序运行，这里不显示对错。）",
    "earned": "{label}：得 {earned:g} / {points:g} 分",
    "yours": "  你的作答：{value}",
    "right": "  正确答案：{value}",
    "basis": "  依据：{basis}",
    "explanation": "  说明：{text}",
    "bad_sidecar": "  作答文件有问题，按未作答计：{problem}",
    "by_grader": "（本题由评分程序按培训老师一侧的答案评分。）",
}


def _label(question: Question) -> str:
    return f"第{question.id.lstrip('q')}题"


def _question(assignment: str, student: str, qid: str, folder: Path) -> Question:
    case = trainee_case(assignment, student, folder.resolve())
    for question in case.questions:
        if question.id == qid:
            return question
    raise KeyError(f"{assignment} has no question {qid!r}")


def check(assignment: str, qid: str, folder: Path | str | None = None) -> None:
    """Trainee-side check of one question: recorded or not, and how it was read.

    The line is updated in place whenever the answer card saves (see ``cards.refresh_check``).
    """
    text = check_text(assignment, qid, folder)
    if text:       # never while autograding
        show_check(assignment, qid, text)
    return None


def check_display_id(assignment: str, qid: str) -> str:
    return f"jiuzhu-check-{assignment}-{qid}"


def show_check(assignment: str, qid: str, text: str) -> None:
    """Show a grading cell's line so that a later save can replace it (never left stale)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        get_ipython = lambda: None  # noqa: E731
    if get_ipython() is None:
        print(text)
        return
    from IPython.display import display

    display({"text/plain": text}, raw=True, display_id=check_display_id(assignment, qid))


def check_text(assignment: str, qid: str, folder: Path | str | None = None) -> str | None:
    """The check line for ``qid`` from the saved answers (``None`` while autograding)."""
    folder = Path.cwd() if folder is None else Path(folder)
    if identity.is_grading(folder, assignment):
        return None
    student = identity.resolve(folder, assignment).student
    question = _question(assignment, student, qid, folder)
    label = _label(question)
    try:
        raw = load_answers(folder).get(qid)
        value = parse_response(question, raw)
    except UserError as err:
        return TEXT["unreadable"].format(label=label, problem=err)
    if value is None:
        return TEXT["missing"].format(label=label)
    return TEXT["recorded"].format(label=label, value=describe_value(question, value))


def score_question(question: Question, raw) -> tuple[float, list[str]]:
    """Earned points for one raw response and the Chinese feedback lines (answer, basis)."""
    try:
        value = parse_response(question, raw)
        shown = describe_value(question, value)
        fraction = question.score(value) or 0.0
    except UserError as err:
        shown, fraction = f"无法识别（{raw}）：{err}", 0.0
    earned = float((Decimal(str(fraction)) * Decimal(str(question.points))).quantize(Decimal("0.01")))
    lines = [
        TEXT["earned"].format(label=_label(question), earned=earned, points=question.points),
        TEXT["yours"].format(value=shown),
        TEXT["right"].format(value=question.answer_text()),
        TEXT["basis"].format(basis=question.basis),
    ]
    if question.explanation:
        lines.append(TEXT["explanation"].format(text=question.explanation))
    return earned, lines


def grade(assignment: str, qid: str, folder: Path | str | None = None) -> float | None:
    """Points earned on ``qid`` by the trainee whose autograded folder this is.

    Outside the autograder it reveals nothing and returns ``None``.  In a sandboxed kernel (no
    answer key there) it says so and returns 0.0, which nbgrader counts as no points: ``jiuzhu
    course grade`` replaces the cell's outputs by the score it computes.  (Not an exception: the
    kernel would spend ≈ 0.05–0.2 s formatting each traceback, in every graded notebook.)
    """
    folder = Path.cwd() if folder is None else Path(folder)
    if not identity.is_grading(folder, assignment):
        print(TEXT["not_grading"])
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        student = identity.resolve(folder, assignment).student
        question = _question(assignment, student, qid, folder)
        if question.kind != "text" and question.answer is None:
            # the sandbox holds the givens only: the grader scores this cell itself
            print(TEXT["by_grader"])
            return 0.0
        notes: list[str] = []
        try:
            raw = load_answers(folder).get(qid)
        except UserError as err:
            raw = None
            notes.append(TEXT["bad_sidecar"].format(problem=err))
        earned, lines = score_question(question, raw)
    _show(lines + notes)
    return earned


def _bundle(lines: list[str]) -> dict[str, str]:
    """The feedback lines as a display bundle: plain text and HTML (wrapped, readable in a page)."""
    items = "".join(f"<div style='margin-left:{'1.5em' if line.startswith('  ') else '0'}'>"
                    f"{html.escape(line.strip())}</div>" for line in lines)
    return {"text/plain": "\n".join(lines), "text/html": f"<div class='jiuzhu-feedback'>{items}</div>"}


def card_feedback(lines: list[str], earned: float, note: str | None = None) -> list:
    """The outputs of an answer-card test cell, made by the grader (not by the trainee's kernel).

    A display of the feedback lines, then the earned points as the cell's result, which nbgrader
    reads as partial credit.
    """
    import nbformat

    if note:
        lines = lines + [TEXT["bad_sidecar"].format(problem=note)]
    return [nbformat.v4.new_output("display_data", data=_bundle(lines)),
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(float(earned))},
                                   execution_count=None)]


def _show(lines: list[str]) -> None:
    """Feedback lines: HTML (wrapped, readable in the feedback page) in a kernel, text otherwise."""
    text = "\n".join(lines)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        get_ipython = lambda: None  # noqa: E731
    if get_ipython() is None:
        sys.stdout.write(text + "\n")
        return
    from IPython.display import display

    display(_bundle(lines), raw=True)

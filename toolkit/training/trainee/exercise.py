"""What a course notebook calls: ``ex = start("m01_means_test")``, ``ex.show_case()``, ``ex.cards()``.

The trainee (see :mod:`toolkit.training.trainee.identity`) determines the case: the same case in
JupyterLab and in ``autograded/<student>/<assignment>/`` when nbgrader grades it.  While the
autograder runs, :meth:`Exercise.cards` shows a static table of the submitted answers instead of
the interactive cards (the trainer reads free-text answers there in formgrader).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit import SAMPLE_MARK
from toolkit.privacy import mask_name
from toolkit.cases.base import Case
from toolkit.training.trainee import identity
from toolkit.training.trainee.answers import load_answers
from toolkit.training.trainee.casedata import trainee_case

TEXT = {
    "banner": "学员：{student}　｜　案例编号：{code}",
    "mark": "{mark}：案例中的人员、地名和金额均为虚构",
    "graded_answers": "提交的作答（评分时显示）",
    "no_frames": "本练习没有可供 pandas 分析的表格数据。",
    "manual": "第{label}题为人工评分。依据：{basis}",
    "guide": "评分要点：{text}",
}


TABLE_STYLE = ("<style>table{border-collapse:collapse;margin:0.5em 0}"
               "th,td{border:1px solid #bbb;padding:2px 8px;text-align:left}</style>")


def case_code(case: Case) -> str:
    """A short code a trainer can quote to identify a trainee's variant (reveals nothing)."""
    from toolkit.training.trainee.casedata import case_code as code_of_seed

    return case.code or code_of_seed(case.seed)


@dataclass
class _Html:
    markup: str

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:  # plain-text outputs (e.g. nbconvert to text) stay readable
        return html.unescape(self.markup)


def shown_identity(who: identity.Identity) -> str:
    """The trainee id as shown in notebooks and feedback; masked if it looks like a name."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in who.student):
        return identity.Identity(mask_name(who.student), who.source).describe()
    return who.describe()


class Exercise:
    def __init__(self, assignment: str, folder: Path | str | None = None, course: str | None = None):
        """``course``: the course the exercise belongs to when the caller knows it (the cadre app);
        else the folder tells it where it can (:func:`toolkit.training.trainee.casedata.course_of_folder`)."""
        self.assignment = assignment
        self.folder = Path.cwd() if folder is None else Path(folder)
        self.identity = identity.resolve(self.folder, assignment)
        self.student = self.identity.student
        self.grading = identity.is_grading(self.folder, assignment)
        self.case = trainee_case(assignment, self.student, self.folder.resolve(), course)

    def show_case(self) -> None:
        """Render the trainee's own case (Chinese Markdown) with a banner naming the trainee."""
        from IPython.display import display

        for shown in self.case_displays():
            display(shown)

    def case_displays(self) -> list:
        """What :meth:`show_case` displays, one object per display (the in-process grader
        formats the same objects: :mod:`toolkit.training.grading.answer_grading`)."""
        from IPython.display import HTML, Markdown

        shown = []
        banner = TEXT["banner"].format(student=shown_identity(self.identity), code=case_code(self.case))
        intro = self.case.intro_markdown
        if SAMPLE_MARK not in intro:
            banner += "<br>" + TEXT["mark"].format(mark=SAMPLE_MARK)
        lines = intro.lstrip().splitlines()
        if lines and lines[0].startswith("#") and lines[0].lstrip("# ").strip() == self.case.title:
            intro = "\n".join(lines[1:])   # the notebook's own heading already shows the title
        if self.grading:   # feedback pages come without table styles
            shown.append(HTML(TABLE_STYLE))
        shown.append(Markdown(f"> {banner}\n\n{intro}"))
        return shown

    def cards(self):
        """The answer cards (interactive), or the submitted answers while autograding."""
        if self.grading:
            from toolkit.training.trainee.answer_table import answers_table_html

            table = answers_table_html(self.case, load_answers(self.folder))
            notes = "".join(
                f"<p>{html.escape(TEXT['manual'].format(label=q.id.lstrip('q'), basis=q.basis))}"
                + (f"<br>{html.escape(TEXT['guide'].format(text=q.explanation))}" if q.explanation else "")
                + "</p>" for q in self.case.questions if q.kind == "text")
            return _Html(f"<h4>{TEXT['graded_answers']}</h4>{table}{notes}")
        from toolkit.training.trainee.cards import AnswerCards

        return AnswerCards(self.case, self.folder, self.student,
                           preview=identity.is_course_preview(self.folder))

    def frames(self) -> dict[str, Any]:
        """The case's tables (lists of records in ``Case.data``) as pandas DataFrames."""
        import pandas as pd

        tables = {name: pd.DataFrame(rows) for name, rows in self.case.data.items()
                  if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)}
        if not tables:
            print(TEXT["no_frames"])
        return tables


def start(assignment: str, folder: Path | str | None = None) -> Exercise:
    """Begin an exercise in the notebook's folder (the current directory by default)."""
    if not identity.is_grading(Path.cwd() if folder is None else Path(folder), assignment):
        _plain_user_errors()      # never while grading: an error there must stay an error
    return Exercise(assignment, folder)


def _plain_user_errors() -> None:
    """In a notebook, a :class:`toolkit.errors.UserError` shows its Chinese message, no traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return
    from toolkit.errors import UserError

    def show(shell, etype, value, tb, tb_offset=None):
        print(str(value))
        return None

    shell.set_custom_exc((UserError,), show)

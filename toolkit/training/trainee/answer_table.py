"""The submitted answers as a static HTML table (autograded notebooks, feedback), without widgets.

The autograder's kernels show this table instead of the interactive cards of
:mod:`toolkit.training.trainee.cards`; keeping it apart keeps ipywidgets (≈ 0.25 s of imports) out of
every graded kernel.
"""

from __future__ import annotations

import html
from typing import Any

from toolkit.cases.base import Case, Question
from toolkit.errors import UserError
from toolkit.training.trainee.parsing import describe_value, parse_response

TEXT = {
    "question_no": "第{no}题",
    "column_question": "题号",
    "column_answer": "学员作答",
    "unreadable": "无法识别：{raw}",
    "unanswered": "（未作答）",
}


def question_label(question: Question) -> str:
    return TEXT["question_no"].format(no=question.id.lstrip("q"))


def answers_table_html(case: Case, answers: dict[str, Any]) -> str:
    """A static table of a trainee's responses (for autograded notebooks and feedback)."""
    rows = []
    for q in case.questions:
        raw = answers.get(q.id)
        try:
            shown = describe_value(q, parse_response(q, raw))
        except UserError:
            shown = TEXT["unreadable"].format(raw=raw)
        body = html.escape(shown if q.kind != "text" else (str(raw or TEXT["unanswered"])))
        if q.kind == "text":
            body = f"<div style='white-space:pre-wrap'>{body}</div>"
        rows.append(f"<tr><td style='white-space:nowrap'>{question_label(q)}</td>"
                    f"<td style='text-align:left'>{body}</td></tr>")
    return (f"<table><thead><tr><th>{TEXT['column_question']}</th>"
            f"<th style='text-align:left'>{TEXT['column_answer']}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")

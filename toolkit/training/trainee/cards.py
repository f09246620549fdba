"""Answer cards: one ipywidgets card per question, each change saved at once to the sidecar.

Cards never say whether an answer is right.  They echo how the input was understood
("识别为 1500元") so a cadre notices a typo, show 已保存 after every save, and a 检查作答 button
lists the questions still unanswered.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import ipywidgets as w

from toolkit.cases.base import Case, Question
from toolkit.errors import UserError
from toolkit.training.trainee.answer_table import question_label
from toolkit.training.trainee.answers import load_answers, save_answer
from toolkit.training.trainee.parsing import describe_value, is_blank, parse_response

# Every text a cadre reads on the cards, in one place for review.
TEXT = {
    "kind": {"number": "填写数字", "choice": "单选题", "multi": "多选题（可选多项）",
             "date": "填写日期", "text": "书面作答（人工评分）"},
    "placeholder_number": "例如 1500 或 1,500.50",
    "placeholder_count": "填写数字，例如 12",
    "placeholder_date": "例如 2018-10-08 或 2018年10月8日",
    "placeholder_text": "在此书写，内容会自动保存",
    "points": "{points:g} 分",
    "saved": "✔ 已保存（{time}）",
    "understood": "识别为：{value}",
    "cleared": "✔ 已清除本题作答（{time}）",
    "unreadable": "⚠ 已保存，但无法识别：{problem}",
    "save_failed": "✘ 保存失败：{problem}。请联系培训老师。",
    "not_answered": "尚未作答",
    "check_button": "检查作答",
    "check_all_done": "全部 {total} 题均已作答。确认无误后，请保存笔记本并提交。",
    "check_missing": "共 {total} 题，还有 {count} 题未作答：{items}。",
    "check_unreadable": "以下题目的填写无法识别，请修改：{items}。",
    "check_note": "（此处只检查是否作答，不显示对错；提交后统一评分。）",
    "header": "答题卡：在每题下方作答，每次修改都会自动保存。",
    "preview_header": "答题卡（预览：这里是课程的 source/release 目录，作答不会保存）。",
    "preview": "预览，不保存 · 识别为：{value}",
    # the phone app (toolkit.training.app): no notebook to save, a 提交 button instead
    "check_all_done_app": "全部 {total} 题均已作答。确认无误后，请点“提交”。",
}

# Classes the phone app's page script reads (toolkit/training/app/voila): the keyboard a box asks for.
INPUT_CLASSES = {"number": "jiuzhu-amount", "count": "jiuzhu-count"}


MANY_OPTIONS = 8


def prompt_html(markdown: str) -> str:
    """A question prompt (Markdown such as ``**不应**``) as HTML; raw HTML in it is escaped."""
    import mistune

    return mistune.create_markdown(escape=True)(markdown)


class AnswerCards:
    """The cards for one trainee's case, bound to the assignment folder's sidecar."""

    def __init__(self, case: Case, folder: Path | str, student: str,
                 clock: Callable[[], datetime] = datetime.now, preview: bool = False, phone: bool = False):
        self.case = case
        self.preview = preview
        self.phone = phone          # the phone app: full-width boxes, numeric keyboards, date pickers
        self.folder = Path(folder)
        self.student = student
        self._clock = clock
        self._raw: dict[str, Any] = {} if preview else load_answers(self.folder)
        self.inputs: dict[str, Any] = {}
        self.status: dict[str, w.HTML] = {}
        self.check_output = w.HTML()
        self.check_button = w.Button(description=TEXT["check_button"], button_style="info",
                                     icon="check", layout=w.Layout(width="auto"))
        self.check_button.on_click(lambda _button: self.check())
        self.widget = w.VBox(
            [w.HTML(f"<b>{html.escape(TEXT['preview_header' if preview else 'header'])}</b>")]
            + [self._card(q) for q in case.questions]
            + [w.HBox([self.check_button]), self.check_output],
            layout=w.Layout(width="100%"))

    # ---- building -------------------------------------------------------------------------
    def _card(self, question: Question) -> w.Widget:
        head = (f"<div style='font-size:1.05em'><b>{question_label(question)}</b>"
                f"（{TEXT['kind'][question.kind]}，{TEXT['points'].format(points=question.points)}）"
                f"{prompt_html(question.prompt)}</div>")
        control = self._control(question)
        status = w.HTML(self._describe(question, self._raw.get(question.id), saved_at=None))
        self.status[question.id] = status
        return w.VBox([w.HTML(head), control, status],
                      layout=w.Layout(border="1px solid #ccc", padding="6px 10px", margin="6px 0",
                                      width="100%"))

    def _control(self, question: Question) -> w.Widget:
        raw = self._raw.get(question.id)
        qid = question.id
        if question.kind == "date" and self.phone:
            return self._date_picker(question, raw)
        if question.kind in ("number", "date"):
            kind = question.kind
            if kind == "number" and question.unit not in ("", "元"):
                kind = "count"
            box = w.Text(value="" if raw is None else str(raw),
                         placeholder=TEXT[f"placeholder_{kind}"],
                         layout=w.Layout(width="100%" if self.phone else "260px"))
            if kind in INPUT_CLASSES:
                box.add_class(INPUT_CLASSES[kind])
            box.observe(lambda change: self.record(qid, change["new"]), names="value")
            self.inputs[qid] = box
            unit = w.HTML(f"&nbsp;{html.escape(question.unit)}") if question.unit else w.HTML("")
            return w.HBox([box, unit], layout=w.Layout(width="100%") if self.phone else w.Layout())
        if question.kind == "choice":
            keys = [o.key for o in question.options]
            radio = w.RadioButtons(
                options=[(o.label, o.key) for o in question.options],
                value=raw if raw in keys else None, layout=w.Layout(width="100%"))
            radio.observe(lambda change: self.record(qid, change["new"] or ""), names="value")
            self.inputs[qid] = radio
            return radio
        if question.kind == "multi":
            picked = set(raw) if isinstance(raw, list) else set()
            boxes = {o.key: w.Checkbox(value=o.key in picked, description=o.label,
                                       indent=False, layout=w.Layout(width="100%"))
                     for o in question.options}

            def on_tick(_change, boxes=boxes):
                self.record(qid, sorted(k for k, box in boxes.items() if box.value))

            for box in boxes.values():
                box.observe(on_tick, names="value")
            self.inputs[qid] = boxes
            if len(boxes) > MANY_OPTIONS:   # long ledgers (m05): columns instead of one long list
                return w.GridBox(list(boxes.values()), layout=w.Layout(
                    grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))", width="100%"))
            return w.VBox(list(boxes.values()))
        area = w.Textarea(value="" if raw is None else str(raw), placeholder=TEXT["placeholder_text"],
                          layout=w.Layout(width="100%", height="180px"))
        area.observe(lambda change: self.record(qid, change["new"]), names="value")
        self.inputs[qid] = area
        return area

    def _date_picker(self, question: Question, raw: Any) -> w.Widget:
        """A native date picker (phones show their calendar); the answer is saved as 2018-10-08."""
        try:
            shown = parse_response(question, raw) if not is_blank(raw) else None
        except UserError:
            shown = None
        picker = w.DatePicker(value=shown, layout=w.Layout(width="100%"))
        picker.observe(lambda change: self.record(question.id, change["new"].isoformat() if change["new"] else ""),
                       names="value")
        self.inputs[question.id] = picker
        return picker

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ---- behaviour ------------------------------------------------------------------------
    def question(self, qid: str) -> Question:
        return next(q for q in self.case.questions if q.id == qid)

    def record(self, qid: str, raw: Any) -> None:
        """Save one changed response at once and show the 已保存 confirmation."""
        question = self.question(qid)
        if self.preview:
            self._raw[qid] = raw
            try:
                shown = describe_value(question, parse_response(question, raw))
            except UserError as err:
                shown = str(err)
            self.status[qid].value = self._line(TEXT["preview"].format(value=shown), "#555")
            return
        try:
            save_answer(self.folder, self.case.assignment, self.student, qid, raw)
        except (OSError, UserError) as err:
            self.status[qid].value = self._line(TEXT["save_failed"].format(problem=err), "#b00020")
            return
        self._raw[qid] = raw
        self.status[qid].value = self._describe(question, raw,
                                                saved_at=self._clock().strftime("%H:%M:%S"))
        refresh_check(self.case.assignment, qid, self.folder)

    def answered(self) -> dict[str, Any]:
        return dict(self._raw)

    def unanswered(self) -> list[str]:
        return [q.id for q in self.case.questions if is_blank(self._raw.get(q.id))]

    def unreadable(self) -> list[str]:
        bad = []
        for q in self.case.questions:
            try:
                parse_response(q, self._raw.get(q.id))
            except UserError:
                bad.append(q.id)
        return bad

    def check(self) -> str:
        """Show (and return) which questions are unanswered or unreadable; never correctness."""
        total = len(self.case.questions)
        missing, bad = self.unanswered(), self.unreadable()
        names = lambda ids: "、".join(question_label(self.question(i)) for i in ids)  # noqa: E731
        lines = []
        if missing:
            lines.append(TEXT["check_missing"].format(total=total, count=len(missing), items=names(missing)))
        if bad:
            lines.append(TEXT["check_unreadable"].format(items=names(bad)))
        if not lines:
            lines.append(TEXT["check_all_done_app" if self.phone else "check_all_done"].format(total=total))
        lines.append(TEXT["check_note"])
        text = "\n".join(lines)
        colour = "#0a6b2c" if not (missing or bad) else "#8a5300"
        self.check_output.value = "".join(self._line(line, colour) for line in lines)
        return text

    def _describe(self, question: Question, raw: Any, saved_at: str | None) -> str:
        if is_blank(raw):
            if saved_at:
                return self._line(TEXT["cleared"].format(time=saved_at), "#555")
            return self._line(TEXT["not_answered"], "#777")
        prefix = TEXT["saved"].format(time=saved_at) + "　" if saved_at else ""
        try:
            value = parse_response(question, raw)
        except UserError as err:
            return self._line(prefix + TEXT["unreadable"].format(problem=err), "#b00020")
        if question.kind == "text":
            return self._line(prefix.strip() or "✔", "#0a6b2c")
        return self._line(prefix + TEXT["understood"].format(value=describe_value(question, value)),
                          "#0a6b2c")

    @staticmethod
    def _line(text: str, colour: str) -> str:
        return f"<div style='color:{colour}'>{html.escape(text)}</div>"


# ---- the grading cells' lines (shown by autograde.check), rewritten after each save ------------
def refresh_check(assignment: str, qid: str, folder: Path) -> None:
    """After a save, rewrite that question's line in its grading cell (if it ran already)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    if get_ipython() is None:
        return
    from IPython.display import update_display

    from toolkit.training.trainee.autograde import check_display_id, check_text

    text = check_text(assignment, qid, folder)
    if text:
        update_display({"text/plain": text}, raw=True, display_id=check_display_id(assignment, qid))

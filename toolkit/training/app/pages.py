"""The phone app's pages as ipywidgets: 我的练习, one exercise (case + answer cards), its feedback.

One Voilà page (``jiuzhu-app.ipynb``, installed by :func:`toolkit.training.app.install_app`) runs
:func:`run`; the pages replace each other inside it, so opening an exercise starts no second kernel.
Every handler shows a Chinese message on failure, never a traceback.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import ipywidgets as w

from toolkit.errors import UserError
from toolkit.training.app import exchange as xc
from toolkit.training.app.labels import TEXT
from toolkit.training.app.status import Action, Facts, Standing, Status, standing


def _button(label: str, on_click: Callable[[], None], kind: str = "primary") -> w.Button:
    button = w.Button(description=label, layout=w.Layout(width="auto", height="auto"))
    button.add_class("jiuzhu-button")
    button.add_class(f"jiuzhu-{kind}")
    button.on_click(lambda _b: on_click())
    return button


def _html(markup: str, cls: str = "") -> w.HTML:
    widget = w.HTML(markup, layout=w.Layout(width="100%"))
    if cls:
        widget.add_class(cls)
    return widget


def _message(text: str, tone: str = "info") -> str:
    return f"<div class='jiuzhu-message jiuzhu-{tone}'>{html.escape(text)}</div>"


def status_text(row: Standing, score: float | None) -> str:
    if row.status is Status.GRADED:
        return (TEXT["status"]["graded"].format(score=f"{score:g}") if score is not None
                else TEXT["status"]["graded_plain"])
    return TEXT["status"][row.status.value]


class App:
    def __init__(self, home: Path | str, student: str, exchange: xc.Exchange | None = None):
        self.home = Path(home)
        self.student = student
        self._exchange = exchange
        self.message = _html("")
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.root = w.VBox([self.message, self.body], layout=w.Layout(width="100%"))
        self.root.add_class("jiuzhu-app")
        self.exercises: list[xc.Exercise] = []
        self.cards = None
        self.confirm = w.HBox()

    @property
    def exchange(self) -> xc.Exchange:
        """nbgrader's exchange, imported on first use (a second or more: after the page is shown)."""
        if self._exchange is None:
            self._exchange = xc.Exchange(self.home)
        return self._exchange

    # ---- plumbing -------------------------------------------------------------------------
    def safely(self, action: Callable[[], None]) -> None:
        """Run a page action; a problem becomes a Chinese message at the top of the page."""
        try:
            action()
        except UserError as err:
            self.say(TEXT["error"].format(problem=str(err).rstrip("。")), "error")
        except Exception as err:   # noqa: BLE001 - a cadre never sees a traceback
            self.say(TEXT["error"].format(problem=TEXT["unknown"] + f"：{type(err).__name__}"), "error")

    def say(self, text: str = "", tone: str = "info") -> None:
        self.message.value = _message(text, tone) if text else ""

    def show(self, *children: w.Widget) -> None:
        self.body.children = children

    # ---- 我的练习 ---------------------------------------------------------------------------
    def load(self) -> list[xc.Exercise]:
        exercises = self.exchange.exercises(self.student)
        stale = [e for e in exercises if e.latest and e.latest.get("has_exchange_feedback")
                 and (not e.latest.get("has_local_feedback") or e.latest.get("feedback_updated"))]
        for exercise in stale:              # feedback released: bring it home, so the score shows
            self.exchange.fetch_feedback(exercise)
        self.exercises = self.exchange.exercises(self.student) if stale else exercises
        return self.exercises

    def home_page(self) -> None:
        self.cards = None
        self.confirm = w.HBox()
        self.load()
        rows = [self.row(e) for e in self.exercises]
        if not rows:
            rows = [_html(_message(TEXT["none"]))]
        self.show(_html(f"<h1 class='jiuzhu-h1'>{TEXT['app_title']}</h1><p>{TEXT['intro']}</p>"), *rows,
                  _button(TEXT["refresh"], lambda: self.safely(self.home_page), "secondary"))

    def standing_of(self, exercise: xc.Exercise) -> tuple[Standing, Facts]:
        from toolkit.training.trainee.answers import read_sidecar

        answers = {}
        if exercise.folder and exercise.folder.is_dir():
            try:
                answers = read_sidecar(exercise.folder)["answers"]
            except UserError:        # an unreadable answers file: the exercise page says so
                pass
        facts = xc.facts(exercise, self.question_count(exercise), answers)
        return standing(facts), facts

    def question_count(self, exercise: xc.Exercise) -> int:
        from toolkit.training.trainee.casedata import delivered_case

        try:
            return len((delivered_case(exercise.assignment_id, self.student, exercise.course_id) or {})["questions"])
        except (KeyError, TypeError):
            return 0

    def row(self, exercise: xc.Exercise) -> w.Widget:
        row, facts = self.standing_of(exercise)
        lines = [f"<div class='jiuzhu-title'>{html.escape(exercise.title)}</div>",
                 f"<span class='jiuzhu-chip jiuzhu-{row.status.value}'>{html.escape(status_text(row, facts.score))}</span>"]
        if exercise.course_title:
            lines.append(f"<div class='jiuzhu-detail'>{html.escape(TEXT['course'].format(title=exercise.course_title))}</div>")
        if facts.fetched and facts.total and row.status is Status.IN_PROGRESS:
            lines.append(f"<div class='jiuzhu-detail'>{TEXT['progress'].format(answered=min(facts.answered, facts.total), total=facts.total)}</div>")
        if exercise.deadline:
            late = TEXT["deadline_passed"] if exercise.deadline < datetime.now(timezone.utc) and not facts.has_submission else ""
            lines.append(f"<div class='jiuzhu-detail'>{TEXT['deadline'].format(when=xc.beijing(exercise.deadline))}{late}</div>")
        if facts.submitted_at:
            lines.append(f"<div class='jiuzhu-detail'>{TEXT['submitted_at'].format(when=xc.beijing(facts.submitted_at))}</div>")
        if row.changed_after_submit:
            lines.append(f"<div class='jiuzhu-detail jiuzhu-warn'>{TEXT['changed_after_submit']}</div>")
        buttons = [_button(TEXT["action"][row.action.value], lambda: self.safely(lambda: self.act(exercise, row.action)))]
        if row.feedback_too:
            buttons.append(_button(TEXT["action"]["feedback"], lambda: self.safely(lambda: self.feedback_page(exercise)),
                                   "secondary"))
        box = w.VBox([_html("".join(lines)), w.HBox(buttons, layout=w.Layout(flex_flow="row wrap"))],
                     layout=w.Layout(width="100%"))
        box.add_class("jiuzhu-row")
        return box

    def act(self, exercise: xc.Exercise, action: Action) -> None:
        self.say()
        if action is Action.START:
            self.say(TEXT["fetching"])
            self.exchange.fetch(exercise)
            exercise = self.refreshed(exercise)
            self.say()
        if action is Action.FEEDBACK:
            self.feedback_page(exercise)
            return
        self.exercise_page(exercise, submit=action is Action.SUBMIT)

    def refreshed(self, exercise: xc.Exercise) -> xc.Exercise:
        self.load()
        return next((e for e in self.exercises if e.key == exercise.key), exercise)

    # ---- one exercise ---------------------------------------------------------------------
    def exercise_page(self, exercise: xc.Exercise, submit: bool = False) -> None:
        import mistune

        from toolkit.training.trainee.cards import AnswerCards
        from toolkit.training.trainee.exercise import Exercise

        if exercise.folder is None or not exercise.folder.is_dir():
            raise UserError(TEXT["not_fetched"])
        from toolkit.training.trainee.casedata import CaseMissing

        try:
            ex = Exercise(exercise.assignment_id, exercise.folder, exercise.course_id)
        except CaseMissing:
            raise UserError(TEXT["no_case"]) from None
        render = mistune.create_markdown(escape=False, plugins=["table"])
        case = "".join(render(shown.data) if hasattr(shown, "data") and not str(shown.data).startswith("<style")
                       else "" for shown in ex.case_displays())
        self.cards = AnswerCards(ex.case, exercise.folder, ex.student, phone=True)
        outcome = _html("")
        self.confirm = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        submit_button = _button(TEXT["action"]["submit"], lambda: self.safely(lambda: self.check_and_submit(exercise, outcome)))
        back = lambda kind="secondary": _button(TEXT["back"], lambda: self.safely(self.home_page), kind)  # noqa: E731
        self.show(back("link"),
                  _html(f"<h1 class='jiuzhu-h1'>{html.escape(exercise.title)}</h1>"),
                  _html(f"<div class='jiuzhu-case'>{case}</div>"),
                  self.cards.widget, submit_button, outcome, self.confirm, back())
        if submit:
            self.check_and_submit(exercise, outcome)

    def check_and_submit(self, exercise: xc.Exercise, outcome: w.HTML) -> None:
        cards = self.cards
        if cards is not None and (cards.unanswered() or cards.unreadable()):
            text = cards.check()
            cards.check_output.value = ""          # said once, next to the 提交 button
            anyway = _button(TEXT["submit_anyway"], lambda: self.safely(lambda: self.submit(exercise, outcome)))
            keep = _button(TEXT["keep_answering"], lambda: self.clear_confirm(outcome), "secondary")
            outcome.value = _message(TEXT["submit_check_title"] + text, "warn")
            self.confirm.children = (anyway, keep)
            return
        self.submit(exercise, outcome)

    def submit(self, exercise: xc.Exercise, outcome: w.HTML) -> None:
        self.confirm.children = ()
        outcome.value = _message(TEXT["submitting"])
        self.exchange.submit(exercise)
        latest = self.refreshed(exercise).latest
        when = (xc.parse_timestamp(latest.get("timestamp", "")) if latest else None) or datetime.now(timezone.utc)
        outcome.value = _message(TEXT["submitted_ok"].format(when=xc.beijing(when)), "ok")
        self.confirm.children = ()

    def clear_confirm(self, outcome: w.HTML) -> None:
        outcome.value = ""
        self.confirm.children = ()

    # ---- feedback -------------------------------------------------------------------------
    def feedback_page(self, exercise: xc.Exercise) -> None:
        latest = exercise.latest
        if latest and latest.get("has_exchange_feedback") and (not latest.get("has_local_feedback")
                                                               or latest.get("feedback_updated")):
            self.exchange.fetch_feedback(exercise)
            exercise = self.refreshed(exercise)
        page = exercise.feedback_file()
        back = lambda kind="secondary": _button(TEXT["back"], lambda: self.safely(self.home_page), kind)  # noqa: E731
        if page is None:
            self.show(back("link"), _html(_message(TEXT["feedback_missing"])), back())
            return
        text = page.read_text(encoding="utf-8", errors="replace")
        score = xc.feedback_score(text)
        summary = TEXT["feedback_score"].format(score=f"{score[0]:g}", total=f"{score[1]:g}") if score else ""
        frame = (f"<iframe class='jiuzhu-feedback' title='{html.escape(TEXT['feedback_title'].format(title=exercise.title))}' "
                 f"sandbox='' srcdoc=\"{html.escape(phone_feedback(text), quote=True)}\"></iframe>")
        self.show(back("link"),
                  _html(f"<h1 class='jiuzhu-h1'>{html.escape(TEXT['feedback_title'].format(title=exercise.title))}</h1>"
                        f"<p class='jiuzhu-score'>{html.escape(summary)}</p>"),
                  _html(frame), back())


PHONE_FEEDBACK_CSS = ("<style>html,body{max-width:100%;overflow-x:hidden}body{padding:8px!important;font-size:16px!important}"
                      ".container{width:auto!important;padding:0!important}table{display:block;overflow-x:auto;max-width:100%}"
                      "pre{white-space:pre-wrap;word-break:break-all}img{max-width:100%}</style>")


def phone_feedback(page: str) -> str:
    """The feedback page with styles that keep it inside a phone's width (no scripts run: sandbox)."""
    return page.replace("</head>", PHONE_FEEDBACK_CSS + "</head>", 1) if "</head>" in page else PHONE_FEEDBACK_CSS + page


def run(home: Path | str | None = None) -> None:
    """What the app notebook's one cell calls: show 我的练习 for the trainee whose server this is."""
    from IPython.display import HTML, display

    try:
        from toolkit.training.trainee import identity

        home = Path.cwd() if home is None else Path(home)
        app = App(home, identity.resolve(home).student)
        # the list is read before the page is sent: the kernel must be idle when the phone asks for the
        # widgets (reading it after the cell raced with that request under load: "model not found")
        app.safely(app.home_page)
        display(app.root)
    except Exception as err:   # noqa: BLE001 - the page shows Chinese, never a traceback
        problem = str(err).rstrip("。") if isinstance(err, UserError) else TEXT["unknown"]
        display(HTML(_message(TEXT["error"].format(problem=problem), "error")))

"""The shapes every case generator returns, and how a response to one question is scored.

The training layer renders :class:`Case` objects as answer cards and grades responses with
:meth:`Question.score`; generators never render or grade themselves.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

QuestionKind = Literal["number", "choice", "multi", "date", "text"]


@dataclass(frozen=True)
class Option:
    key: str        # stable key stored in the answers file, e.g. "A" or a rule id
    label: str      # Chinese text shown on the card


@dataclass(frozen=True)
class Question:
    id: str                      # stable within the assignment, e.g. "q1"
    kind: QuestionKind
    prompt: str                  # Chinese question text
    points: float                # nbgrader points of its test cell
    basis: str                   # document and article, shown in feedback
    rule: str                    # rule id for analytics (which rule is misunderstood)
    answer: Any = None           # Decimal | str | frozenset[str] | date | None (text: graded by hand)
    options: tuple[Option, ...] = ()
    tolerance: Decimal = Decimal("0.01")   # number questions: accepted absolute difference
    unit: str = ""               # e.g. "元", "天" — shown next to a number input
    explanation: str = ""        # Chinese, shown in feedback next to the right answer

    def score(self, response: Any) -> float | None:
        """Fraction of this question's points earned by an already-parsed response.

        ``None`` for free-text questions (graded by hand).  Missing responses earn 0.
        Multiple choice earns (right picks − wrong picks) / right answers, never below 0.
        """
        if self.kind == "text":
            return None
        if response is None or response == "" or response == ():
            return 0.0
        if self.kind == "number":
            return 1.0 if abs(Decimal(str(response)) - Decimal(str(self.answer))) <= self.tolerance else 0.0
        if self.kind in ("choice", "date"):
            return 1.0 if response == self.answer else 0.0
        if self.kind == "multi":
            picked, right = frozenset(response), frozenset(self.answer)
            if not right:
                return 1.0 if not picked else 0.0
            earned = len(picked & right) - len(picked - right)
            return max(0.0, earned / len(right))
        raise ValueError(f"unknown question kind {self.kind!r}")

    def answer_text(self) -> str:
        """The right answer as Chinese text for feedback."""
        if self.kind == "text":
            return "（人工评分）"
        if self.kind == "number":
            return f"{self.answer}{self.unit}"
        if self.kind == "date":
            d: date = self.answer
            return f"{d.year}年{d.month}月{d.day}日"
        labels = {o.key: o.label for o in self.options}
        if self.kind == "choice":
            return labels.get(self.answer, str(self.answer))
        return "；".join(labels.get(k, k) for k in sorted(self.answer)) or "（无）"


@dataclass(frozen=True)
class Case:
    assignment: str              # e.g. "m01_means_test"
    title: str                   # Chinese assignment title
    seed: int
    intro_markdown: str          # the case as Chinese Markdown (tables allowed)
    questions: tuple[Question, ...]
    data: dict = field(default_factory=dict)   # structured case data (e.g. a ledger for pandas)
    code: str = ""               # short code shown to the trainee (set for delivered cases)


# Exercise id (what users see, in course order) → module under toolkit.cases.  An id not listed here
# (a trainer's own exercise) is its module's name.
CASE_MODULES = {
    "m01_means_test": "m01_income",
    "m02_procedure": "m02_procedure",
    "m03_case_file": "m03_case_file",
    "m04_one_window": "m04_one_window",
    "m05_funds": "m05_funds",
    "m06_special": "m06_special",
}


def case_module(assignment: str):
    """The generator module of exercise ``assignment`` (``generate``, ``TITLE``, ``ASSIGNMENT``)."""
    return importlib.import_module(f"toolkit.cases.{CASE_MODULES.get(assignment, assignment)}")


def seed_for(course: str, assignment: str, student_id: str) -> int:
    """Stable per-trainee seed: first 8 bytes of SHA-256 over course, assignment and student id."""
    digest = hashlib.sha256(f"{course}\x1f{assignment}\x1f{student_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def case_for(course: str, assignment: str, student_id: str) -> Case:
    """The case a given trainee sees for an assignment."""
    return case_module(assignment).generate(seed_for(course, assignment, student_id))


# ---- answers apart from givens (issue 10, item 2) --------------------------------------------
# What a trainee's kernel may hold is the case *without* its answer key: ``givens(case)`` is that
# data (JSON-ready) and ``case_from_givens`` turns it back into a Case whose questions have no
# answer.  The seed of the case a trainee sees is keyed by a course secret kept on the trainer's
# side (``keyed_seed``), so no one can regenerate another trainee's case -- or their own answers.

GIVENS_FORMAT = 1


def keyed_seed(secret: bytes, course: str, assignment: str, student_id: str) -> int:
    """Per-trainee seed keyed by the course secret: first 8 bytes of HMAC-SHA256."""
    import hmac

    message = f"{course}\x1f{assignment}\x1f{student_id}".encode("utf-8")
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")


def generate(assignment: str, seed: int) -> Case:
    """The case of ``assignment`` for ``seed``."""
    return case_module(assignment).generate(seed)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return Decimal(value["$decimal"])
        if set(value) == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def givens(case: Case, code: str = "") -> dict:
    """The trainee-side data of a case: text, tables and questions, no answers or explanations.

    ``code`` is the short case code shown to the trainee (not the seed).
    """
    questions = [{"id": q.id, "kind": q.kind, "prompt": q.prompt, "points": q.points, "basis": q.basis,
                  "rule": q.rule, "options": [[o.key, o.label] for o in q.options],
                  "tolerance": str(q.tolerance), "unit": q.unit} for q in case.questions]
    return {"format": GIVENS_FORMAT, "assignment": case.assignment, "title": case.title, "code": code,
            "intro_markdown": case.intro_markdown, "questions": questions, "data": _plain(case.data)}


def case_from_givens(data: dict) -> Case:
    """A Case from ``givens`` data: the questions carry no answer (``answer`` is ``None``)."""
    questions = tuple(Question(id=q["id"], kind=q["kind"], prompt=q["prompt"], points=float(q["points"]),
                               basis=q.get("basis", ""), rule=q.get("rule", ""), answer=None,
                               options=tuple(Option(k, label) for k, label in q.get("options", [])),
                               tolerance=Decimal(q.get("tolerance", "0.01")), unit=q.get("unit", ""),
                               explanation=q.get("explanation", ""))
                      for q in data["questions"])
    return Case(assignment=data["assignment"], title=data["title"], seed=0,
                intro_markdown=data["intro_markdown"], questions=questions, data=_typed(data.get("data", {})),
                code=str(data.get("code", "")))

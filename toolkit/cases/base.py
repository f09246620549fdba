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


def seed_for(course: str, assignment: str, student_id: str) -> int:
    """Stable per-trainee seed: first 8 bytes of SHA-256 over course, assignment and student id."""
    digest = hashlib.sha256(f"{course}\x1f{assignment}\x1f{student_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def case_for(course: str, assignment: str, student_id: str) -> Case:
    """The case a given trainee sees for an assignment."""
    module = importlib.import_module(f"toolkit.cases.{assignment}")
    return module.generate(seed_for(course, assignment, student_id))

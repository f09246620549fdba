"""Test helpers: a process-independent rendering of a case, and its answers by question id."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from toolkit.cases import Case


def canonical(case: Case) -> str:
    """A process-independent JSON rendering of a case (sets sorted, dates ISO)."""
    def plain(value):
        if isinstance(value, (frozenset, set)):
            return sorted(plain(v) for v in value)
        if isinstance(value, (date, Decimal)):
            return str(value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    questions = [{"id": q.id, "kind": q.kind, "prompt": q.prompt, "points": q.points, "basis": q.basis,
                  "rule": q.rule, "answer": plain(q.answer), "options": [[o.key, o.label] for o in q.options],
                  "tolerance": str(q.tolerance), "unit": q.unit, "explanation": q.explanation}
                 for q in case.questions]
    return json.dumps({"assignment": case.assignment, "title": case.title, "seed": case.seed,
                       "intro": case.intro_markdown, "questions": questions, "data": plain(case.data)},
                      ensure_ascii=False, sort_keys=True)


def digest(case: Case) -> str:
    return hashlib.sha256(canonical(case).encode("utf-8")).hexdigest()


def answers(case: Case) -> dict:
    """Question id → right answer."""
    return {q.id: q.answer for q in case.questions}

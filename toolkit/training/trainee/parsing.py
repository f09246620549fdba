"""Raw answer-card text → a value :meth:`Question.score` understands.

Forgiving on purpose: cadres type ``１５００元``, ``1,500``, ``2018年10月8日``, or an option's
label instead of its key.  Amounts and dates go through the policy engine's own parsers
(``toolkit.policy.inputs``) so training and the engine accept exactly the same input.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from toolkit.cases.base import Question
from toolkit.errors import InputError
from toolkit.policy.inputs import normalize_text, parse_amount, parse_date


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple, set, frozenset)):
        return len(raw) == 0
    return False


def parse_response(question: Question, raw: Any) -> Any:
    """The parsed value of ``raw`` for ``question``; ``None`` when blank.

    Raises :class:`toolkit.errors.InputError` (Chinese message naming the question) when the
    text cannot be read, e.g. ``十五`` for an amount or ``2018年13月1日`` for a date.
    """
    if is_blank(raw):
        return None
    where = f"第{question.id.lstrip('q')}题（{question.id}）"
    kind = question.kind
    if kind == "number":
        return _parse_number(question, raw, where)
    if kind == "date":
        return parse_date(raw, where)
    if kind == "choice":
        return _option_key(question, raw, where)
    if kind == "multi":
        return frozenset(_option_key(question, item, where) for item in _as_list(raw, where))
    if kind == "text":
        return str(raw).strip()
    raise ValueError(f"unknown question kind {kind!r}")


def describe_value(question: Question, value: Any) -> str:
    """Chinese echo of a parsed value ("识别为 …"), never saying whether it is right."""
    if value is None:
        return "（未作答）"
    if question.kind == "number":
        return f"{value}{question.unit}"
    if question.kind == "date":
        d: date = value
        return f"{d.year}年{d.month}月{d.day}日"
    labels = {o.key: o.label for o in question.options}
    if question.kind == "choice":
        return labels.get(value, str(value))
    if question.kind == "multi":
        return "；".join(labels.get(k, k) for k in sorted(value)) or "（未选）"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _parse_number(question: Question, raw: Any, where: str) -> Decimal:
    if isinstance(raw, str):
        text = normalize_text(raw)
        if question.unit and question.unit != "元" and text.endswith(question.unit):
            text = text[: -len(question.unit)]
        raw = text
    try:
        return parse_amount(raw, where)
    except InputError:
        unit = question.unit or "数字"
        raise InputError(where, raw, "不是有效的数字",
                         f"请只填写数字，例如 1500 或 1,500.50（单位：{unit}）") from None


def _as_list(raw: Any, where: str) -> list:
    if isinstance(raw, (list, tuple, set, frozenset)):
        return list(raw)
    text = str(raw).strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise InputError(where, raw, "无法识别", "请在答题卡中勾选选项") from None
        if isinstance(value, list):
            return value
    # typed by hand: "A、C" / "A,C" / "A C"
    for sep in ("、", "，", ",", ";", "；", " "):
        text = text.replace(sep, "\n")
    return [part for part in text.split("\n") if part]


def _option_key(question: Question, raw: Any, where: str) -> str:
    text = str(raw).strip()
    folded = normalize_text(text).upper()
    for option in question.options:
        if text == option.key or folded == normalize_text(option.key).upper():
            return option.key
    for option in question.options:
        if text == option.label.strip():
            return option.key
    keys = "、".join(o.key for o in question.options)
    raise InputError(where, raw, "不是本题的选项", f"请从选项 {keys} 中选择")

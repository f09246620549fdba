"""Small text helpers shared by the case generators: Markdown tables, Chinese dates and money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from toolkit import SAMPLE_MARK

FICTION_NOTE = f"> **{SAMPLE_MARK}**：本案例由系统按学员随机生成，人物、地点（示例市）均为虚构，仅供培训使用。"

WEEKDAYS = "一二三四五六日"


def cn_date(day: date, weekday: bool = False) -> str:
    """2018年10月8日 (optionally followed by （星期一))."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（星期{WEEKDAYS[day.weekday()]}）" if weekday else text


def yuan(amount: Decimal | int | float) -> str:
    """1,234.50 元 style without the unit: whole amounts without decimals."""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(Decimal('0.01')):,}"


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        lines.append("| " + " | ".join(str(cell).replace("|", "／") for cell in row) + " |")
    return "\n".join(lines)


def join_blocks(*blocks: str) -> str:
    return "\n\n".join(b.strip("\n") for b in blocks if b)

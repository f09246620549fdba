"""Throw-away generator used only by tests/training (never course content).

Follows toolkit/cases/base.py: ``generate(seed) -> Case`` with one question of every kind.
Its answers are simple functions of the seed so tests can tell variants apart.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from toolkit.cases.base import Case, Option, Question

ASSIGNMENT = "t01_practice"
TITLE = "测试练习：各类题型"


def generate(seed: int) -> Case:
    rng = random.Random(seed)
    income = Decimal(rng.randrange(300, 3000, 10))
    members = rng.randint(1, 5)
    day = date(2018, 9, 1) + timedelta(days=rng.randrange(0, 60))
    right = rng.choice("ABC")
    picks = frozenset(rng.sample(["A", "B", "C", "D"], 2))
    questions = (
        Question("q1", "number", f"家庭月收入合计 {income} 元，共 {members} 人，人均收入是多少？", 2,
                 "《测试依据》第一条", "per_capita", (income / members).quantize(Decimal("0.01")),
                 unit="元", explanation="人均收入 = 家庭收入 ÷ 人数。"),
        Question("q2", "choice", "正确的选项是？", 1, "《测试依据》第二条", "choice_rule", right,
                 options=(Option("A", "甲"), Option("B", "乙"), Option("C", "丙"))),
        Question("q3", "multi", "哪些做法违反规定？", 2, "《测试依据》第三条", "multi_rule", picks,
                 options=(Option("A", "做法一"), Option("B", "做法二"), Option("C", "做法三"),
                          Option("D", "做法四"))),
        Question("q4", "date", "截止日期是哪一天？", 1, "《测试依据》第四条", "deadline", day),
        Question("q5", "text", "写出一次性告知书。", 3, "《测试依据》第五条", "notice",
                 explanation="评分要点：列明全部缺少的材料。"),
    )
    intro = f"示例市东湖区某家庭，共 {members} 人，月收入 {income} 元。"
    data = {"ledger": [{"row": i, "amount": rng.randrange(100, 900)} for i in range(1, 4)]}
    return Case(ASSIGNMENT, TITLE, seed, intro, questions, data)

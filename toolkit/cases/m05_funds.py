"""m05 资金发放核对: a three-month payment ledger checked against the 低保 roster.

Every case contains all four kinds of fault — payments after a recipient's death, duplicate
payments, wrong amounts and payments after a stop — on different households, in numbers and
rows drawn by seed.  Each roster amount is the engine's monthly benefit for that household
(:func:`toolkit.policy.assess`).  Roster and ledger are in ``Case.data`` as lists of dicts so
街镇 staff can load them with pandas.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from toolkit.cases.base import Case, Option, Question
from toolkit.cases.fiction import distinct_names, place
from toolkit.cases.standards import last_case_day, standard_text, teachable
from toolkit.cases.render import FICTION_NOTE, cn_date, join_blocks, md_table
from toolkit.policy import assess, standard_on
from toolkit.policy import basis

ASSIGNMENT = "m05_funds"
TITLE = "资金发放核对"

MONTHS = 3
FIRST_MONTH = date(2019, 5, 1)
_LAST_ON_FILE = last_case_day()
# the first month of the last ledger whose MONTHS months all have a standard on file
LAST_MONTH = date(_LAST_ON_FILE.year + (_LAST_ON_FILE.month - MONTHS) // 12, (_LAST_ON_FILE.month - MONTHS) % 12 + 1, 1)
CENT = Decimal("0.01")

Q_PROMPTS = {
    "q1": "发放明细中，哪些记录是在救助对象**死亡后**仍在发放的？（按流水号多选）",
    "q2": "哪些记录属于**重复发放**？（同一户同一月份发放两次的，选后发放的那一条）",
    "q3": "哪些记录的**发放金额与花名册核定金额不一致**？",
    "q4": "哪些记录是在**停发月份之后**仍在发放的？",
    "q5": "以上问题中，应当追回的资金合计多少元？",
    "q6": "以上问题中，应当补发的资金合计多少元？",
}
POINTS = {"q1": 1, "q2": 1, "q3": 2, "q4": 1, "q5": 3, "q6": 2}


@dataclass
class _Household:
    key: str
    head: str
    size: int
    amount: Decimal            # approved monthly benefit (engine)
    status: str = "正常"
    died: date | None = None
    stop_from: date | None = None   # first month not to be paid


def _months(rng: random.Random) -> list[date]:
    while True:
        span = (LAST_MONTH.year - FIRST_MONTH.year) * 12 + LAST_MONTH.month - FIRST_MONTH.month
        offset = rng.randint(0, span)
        first = date(FIRST_MONTH.year + (FIRST_MONTH.month - 1 + offset) // 12, (FIRST_MONTH.month - 1 + offset) % 12 + 1, 1)
        months = [_add_months(first, i) for i in range(MONTHS)]
        standard = teachable(months[0])         # H or M only: training teaches facts
        if standard is not None and standard == teachable(months[-1]):   # one standard for the whole ledger
            return months


def _add_months(day: date, n: int) -> date:
    index = day.month - 1 + n
    return date(day.year + index // 12, index % 12 + 1, 1)


def _approved(rng: random.Random, month: date, head: str, size: int, names: list[str]) -> Decimal:
    standard = standard_on(month).value
    members = [{"name": head, "income": {"pension" if rng.random() < 0.5 else "wage":
                                         int(standard * size * Decimal(str(rng.uniform(0.1, 0.8))))}}]
    members += [{"name": n} for n in names[: size - 1]]
    result = assess({"region": "shanghai", "date": month.isoformat(), "members": members})
    assert result["eligible"], result["reasons"]
    return Decimal(str(result["monthly_benefit"])).quantize(CENT)


def _month_label(day: date) -> str:
    return f"{day.year}年{day.month}月"


def generate(seed: int) -> Case:
    rng = random.Random(seed)
    months = _months(rng)
    where = place(rng)
    count = rng.randint(7, 9)
    heads = distinct_names(rng, count)
    extra_names = distinct_names(rng, 3, avoid=set(heads))
    prefix = f"{months[0].year}"
    keys = sorted(f"{prefix}-{n:03d}" for n in rng.sample(range(1, 400), count))
    households: list[_Household] = []
    for key, head in zip(keys, heads):
        size = rng.choice((1, 1, 2, 2, 3))
        households.append(_Household(key, head, size, _approved(rng, months[0], head, size, extra_names)))

    # faults on distinct households
    deceased, stopped, duplicated, *wrong = rng.sample(households, 3 + rng.randint(1, 2))
    deceased.size = 1
    deceased.amount = _approved(rng, months[0], deceased.head, 1, extra_names)
    death_month = rng.choice(months[:2])
    deceased.died = death_month + timedelta(days=rng.randint(0, 25))
    deceased.status = "死亡"
    stopped.stop_from = rng.choice(months[1:])
    stopped.status = "停保"

    ledger: list[dict] = []
    bad: dict[str, set[str]] = {"deceased": set(), "duplicate": set(), "wrong": set(), "stopped": set()}
    recover, top_up = Decimal(0), Decimal(0)
    wrong_rows = {id(h): rng.choice(months) for h in wrong}
    for month in months:
        paid_on = month + timedelta(days=rng.randint(2, 9))
        entries = []
        for h in households:
            amount = h.amount
            kind = None
            if h is deceased and month > death_month:
                kind = "deceased"
            elif h is stopped and month >= stopped.stop_from:
                kind = "stopped"
            elif id(h) in wrong_rows and wrong_rows[id(h)] == month:
                delta = Decimal(rng.choice((10, 50, 100, 100, 200))) * rng.choice((-1, 1, 1))
                amount = h.amount + delta
                kind = "wrong"
            entries.append((h, amount, kind, paid_on))
            if h is duplicated and month == months[1]:
                entries.append((h, amount, "duplicate", paid_on + timedelta(days=rng.randint(5, 15))))
        for h, amount, kind, day in entries:
            ledger.append({"h": h, "month": month, "amount": amount, "kind": kind, "paid_on": day})
    ledger.sort(key=lambda r: (r["month"], r["paid_on"], r["h"].key))
    rows = []
    for n, row in enumerate(ledger, 1):
        row_key = f"F{n:03d}"
        h, kind, amount = row["h"], row["kind"], row["amount"]
        if kind:
            bad[kind].add(row_key)
        if kind in ("deceased", "stopped", "duplicate"):
            recover += amount
        elif kind == "wrong":
            if amount > h.amount:
                recover += amount - h.amount
            else:
                top_up += h.amount - amount
        rows.append({"流水号": row_key, "发放月份": row["month"].strftime("%Y-%m"), "户号": h.key, "户主": h.head,
                     "金额": float(amount), "发放日期": row["paid_on"].isoformat()})

    roster = []
    for h in households:
        note = ""
        if h.died:
            note = f"户主于{cn_date(h.died)}死亡"
        elif h.stop_from:
            note = f"经复核家庭收入超过标准，自{_month_label(h.stop_from)}起停发"
        roster.append({"户号": h.key, "户主": h.head, "保障人数": h.size, "核定月低保金": float(h.amount),
                       "状态": h.status, "备注": note})

    standard = standard_on(months[0])
    intro = join_blocks(
        f"## {TITLE}",
        FICTION_NOTE,
        f"{where.town}对{where.district}民政局{_month_label(months[0])}至{_month_label(months[-1])}的低保金发放明细进行核对。"
        f"同期本市低保标准为每人每月 {standard_text(standard, ' 元')}，花名册中的核定月低保金均已按家庭收入核定。",
        "**低保对象花名册**",
        md_table(("户号", "户主", "保障人数", "核定月低保金（元）", "状态", "备注"),
                 [(r["户号"], r["户主"], r["保障人数"], f"{r['核定月低保金']:.2f}", r["状态"], r["备注"]) for r in roster]),
        "**低保金发放明细**",
        md_table(("流水号", "发放月份", "户号", "户主", "金额（元）", "发放日期"),
                 [(r["流水号"], r["发放月份"], r["户号"], r["户主"], f"{r['金额']:.2f}", r["发放日期"]) for r in rows]),
        "**本案口径（案例设定）**：救助对象死亡的，自死亡次月起停止发放，死亡当月已发的不追回；停保的自停发月份起不再发放；"
        "多发的应追回，少发的应补发。街镇工作人员也可以在下方代码单元格中用 pandas 读取 `case.data[\"roster\"]` 和 "
        "`case.data[\"ledger\"]` 进行核对。",
    )
    options = tuple(Option(r["流水号"], f"{r['流水号']}｜{r['发放月份']}｜{r['户主']}｜{r['金额']:.2f} 元") for r in rows)
    fund_basis = f"{basis.INTERIM_MEASURES}第五条（专项管理、分账核算、专款专用）"
    stop_basis = f"{basis.INTERIM_MEASURES}第十三条；{basis.sh('第四十五条')}"

    def listed(kind: str) -> str:
        return "、".join(sorted(bad[kind]))

    questions = (
        Question("q1", "multi", Q_PROMPTS["q1"], POINTS["q1"], stop_basis, "funds_deceased",
                 answer=frozenset(bad["deceased"]), options=options,
                 explanation=f"{deceased.head}（{deceased.key}）于{cn_date(deceased.died)}死亡，自次月起不应再发放："
                             f"{listed('deceased')}。"),
        Question("q2", "multi", Q_PROMPTS["q2"], POINTS["q2"], fund_basis, "funds_duplicate",
                 answer=frozenset(bad["duplicate"]), options=options,
                 explanation=f"{duplicated.head}（{duplicated.key}）{_month_label(months[1])}发放了两次，"
                             f"后一笔为重复发放：{listed('duplicate')}。"),
        Question("q3", "multi", Q_PROMPTS["q3"], POINTS["q3"], fund_basis, "funds_amount",
                 answer=frozenset(bad["wrong"]), options=options,
                 explanation=f"与花名册核定金额不一致的记录：{listed('wrong')}。"),
        Question("q4", "multi", Q_PROMPTS["q4"], POINTS["q4"], stop_basis, "funds_after_stop",
                 answer=frozenset(bad["stopped"]), options=options,
                 explanation=f"{stopped.head}（{stopped.key}）自{_month_label(stopped.stop_from)}起停发，"
                             f"此后的发放应追回：{listed('stopped')}。"),
        Question("q5", "number", Q_PROMPTS["q5"], POINTS["q5"], fund_basis, "funds_recovery",
                 answer=recover.quantize(CENT), unit="元",
                 explanation=f"死亡后发放、停发后发放、重复发放的记录全额追回，金额多发的追回差额，合计 {recover:.2f} 元。"),
        Question("q6", "number", Q_PROMPTS["q6"], POINTS["q6"], fund_basis, "funds_top_up",
                 answer=top_up.quantize(CENT), unit="元",
                 explanation=f"金额少发的按核定金额补足差额，合计 {top_up:.2f} 元"
                             + ("（本案没有少发，填 0）。" if not top_up else "。")),
    )
    return Case(ASSIGNMENT, TITLE, seed, intro, questions, {"roster": roster, "ledger": rows})

"""A district of 11 街镇 with Qingpu's real 街镇 names; every household is fictional (a sample for tests and benchmarks).

Fills the templates written by ``jiuzhu org template`` the way a clerk would (rows under the header
of the data sheet), so the tests exercise the templates a bureau receives.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from toolkit.cells import safe_row
from toolkit.privacy import id_check_digit

DISTRICT = "青浦区"
STREETS = ("夏阳", "盈浦", "香花桥")
TOWNS = ("朱家角", "练塘", "金泽", "赵巷", "徐泾", "华新", "重固", "白鹤")
UNITS = [(f"{n}街道", "街道") for n in STREETS] + [(f"{n}镇", "镇") for n in TOWNS]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = "明华强芳伟静磊洋艳勇军杰娟涛超"


def id_number(rng: random.Random, born: date) -> str:
    first17 = f"310118{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


def households(per_unit: int = 25, seed: int = 7, units=UNITS, district: str = DISTRICT) -> list[list]:
    """Register rows in template column order (档案编号 … 备注); fictional people."""
    rng = random.Random(seed)
    rows = []
    for u, (unit, _kind) in enumerate(units):
        for i in range(per_unit):
            accepted = date(2018, 1, 1) + timedelta(days=rng.randrange(600))
            approved = accepted + timedelta(days=rng.randrange(5, 30))
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(18000))
            rows.append([f"QP{u + 1:02d}{i + 1:04d}", district, unit,
                         rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                         id_number(rng, born), rng.randint(1, 5), accepted, approved,
                         rng.choice(("在保", "在保", "在保", "不予批准", "停保")),
                         f"139{rng.randrange(10**8):08d}", ""])
    return rows


def fill(template: Path, rows: list[list], out: Path | None = None) -> Path:
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    for row in rows:
        ws.append(safe_row(row))
    out = out or template
    wb.save(out)
    return out


def fill_templates(folder: Path, per_unit: int = 25) -> tuple[Path, Path]:
    org = fill(folder / "区街镇名册.xlsx", [[DISTRICT, unit, kind, ""] for unit, kind in UNITS])
    register = fill(folder / "低保档案名册.xlsx", households(per_unit))
    return org, register


def fill_forms(store, round_id: str, forms: list[Path], quality: float = 0.85) -> None:
    """Fill generated forms with plausible fictional results, as a team would in Excel."""
    import pandas as pd
    from sqlalchemy import select

    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import fill_form
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import make_submission

    engine = st.open_store(store, create=False)
    ctx = load_context(engine, round_id, today=date(2020, 1, 15))
    with engine.connect() as conn:
        rows = conn.execute(select(st.households.c.case_id, st.households.c.accepted_on,
                                   st.households.c.status)).all()
    engine.dispose()
    by_id = pd.DataFrame([tuple(r) for r in rows], columns=["case_id", "accepted_on", "status"]).set_index("case_id")
    by_name = {f"{u.district}_{u.name}": u for u in ctx.units.values()}
    for form in forms:
        unit = next(u for key, u in by_name.items() if key in form.name)
        fill_form(form, make_submission(ctx, unit, by_id, quality, seed=3), ctx)

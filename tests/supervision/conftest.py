"""Shared fixtures for the supervision tests.

One small fictional city (4 districts, 2–3 街镇 each) with a 2019 plan and filled, not yet
imported forms is built once per session; each test gets its own copy of the store and forms.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST_DIR = ROOT / "checklists"
SMALL_DISTRICTS = ["东湖区", "云岭区", "梅溪区", "松涛区"]
TODAY = date(2020, 1, 15)


@pytest.fixture(scope="session")
def checklists():
    from toolkit.checklists import load_checklists

    return load_checklists(CHECKLIST_DIR)


@dataclass
class City:
    store: Path
    forms: list[Path]
    folder: Path

    def form(self, fragment: str = "") -> Path:
        return next(p for p in self.forms if fragment in p.name)


@pytest.fixture(scope="session")
def small_city_base(tmp_path_factory, checklists) -> City:
    from toolkit.inspections.store import store as st
    from toolkit.files import save_workbook
    from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.plan.plan import make_plan
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import build_city, make_submission, write_city

    base = tmp_path_factory.mktemp("city")
    store = base / "jiuzhu.sqlite"
    engine = st.open_store(store)
    units, households = build_city(5, SMALL_DISTRICTS, (2, 3), 1200)
    write_city(engine, units, households)
    make_plan(engine, "2019", checklists, seed=1, is_sample=True)
    ctx = load_context(engine, "2019", today=TODAY)
    by_id = households.set_index("case_id")
    forms = []
    for unit in sorted(ctx.units.values(), key=lambda u: (u.district, u.name)):
        sub = make_submission(ctx, unit, by_id, 0.8, 5)
        wb = fill_workbook(build_form(ctx, unit), sub, ctx)
        forms.append(save_workbook(wb, base / "forms" / form_filename(ctx, unit)))
    engine.dispose()
    return City(store, forms, base / "forms")


@pytest.fixture
def city(small_city_base, tmp_path) -> City:
    shutil.copy(small_city_base.store, tmp_path / "jiuzhu.sqlite")
    shutil.copytree(small_city_base.folder, tmp_path / "forms")
    return City(tmp_path / "jiuzhu.sqlite", sorted((tmp_path / "forms").glob("*.xlsx")), tmp_path / "forms")


@pytest.fixture
def fingerprint():
    return store_fingerprint


def store_fingerprint(store: Path) -> dict[str, int]:
    """Row counts of every results table: equal before and after a rejected import."""
    from sqlalchemy import func, select

    from toolkit.inspections.store import store as st

    engine = st.open_store(store)
    with engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                  for t in (st.imports, st.unit_results, st.item_results, st.case_checks)}
    engine.dispose()
    return counts

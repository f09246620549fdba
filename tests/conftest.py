"""Shared fixtures of the supervision, report, loop and demo tests (tests/inspections, tests/reports,
tests/loop, tests/demo): fictional cities in an inspection store.

One small fictional city (4 districts, 2–3 街镇 each) with a 2019 plan and filled, not yet
imported forms is built once per session; each test gets its own copy of the store and forms.

Suite-wide collection rule: ``make test`` runs the suite on two pytest-xdist workers (``--dist
loadgroup``). Tests that start a JupyterHub with system accounts or drive a browser share machine-wide
things (system accounts, the hub runtime, Chromium's memory): they run one after another in one
worker, in the group ``shared-machine``, while the other worker takes everything else.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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


NO_DATA_DISTRICT = "松涛区"  # planned for 2019 but its forms were never imported (tests name it too)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory) -> Path:
    """A small fictional city (4 districts, 2–3 街镇 each), rounds 2018 (complete) and 2019
    (松涛区 not imported), built with the supervision code's own sample-data pieces."""
    import datetime as dt

    from toolkit.checklists import load_checklists
    from toolkit.inspections.store import store as st
    from toolkit.files import save_workbook
    from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.plan.plan import make_plan
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import build_city, make_submission, write_city

    base = tmp_path_factory.mktemp("city")
    store = base / "jiuzhu.sqlite"
    checklists = load_checklists()
    engine = st.open_store(store)
    units, households = build_city(7, SMALL_DISTRICTS, (2, 3), 900)
    write_city(engine, units, households)
    by_id = households.set_index("case_id")
    for round_id, quality, today in (("2018", 0.7, dt.date(2018, 12, 20)),
                                     ("2019", 0.85, dt.date(2019, 12, 20))):
        make_plan(engine, round_id, checklists, seed=3, is_sample=True)
        ctx = load_context(engine, round_id, today=today)
        forms = []
        for unit in sorted(ctx.units.values(), key=lambda u: (u.district, u.name)):
            if round_id == "2019" and unit.district == NO_DATA_DISTRICT:
                continue
            sub = make_submission(ctx, unit, by_id, quality, 7)
            wb = fill_workbook(build_form(ctx, unit), sub, ctx)
            forms.append(save_workbook(wb, base / "forms" / round_id / form_filename(ctx, unit)))
        import_files(engine, round_id, forms, imported_by="测试", today=today)
    engine.dispose()
    return store


LOOP_DISTRICT = "东湖区"
LOOP_ISSUED = "2019-01-07"     # 下发日期 of the 2018 整改清单


@pytest.fixture(scope="session")
def loop_store(small_store, tmp_path_factory):
    """The small city with 东湖区's 2018 整改清单 (written by a real kernel) filled in and imported:
    one problem that 2019 finds again 整改中 (so it must not be marked 反弹), the rest 已整改."""
    import datetime as dt
    import shutil

    import openpyxl

    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.rectification.rectification_returns import import_returns
    from toolkit.reports.compose.inspection_round import run_round_reports

    base = tmp_path_factory.mktemp("loop")
    store = base / "jiuzhu.sqlite"
    shutil.copy(small_store, store)
    run = run_round_reports(str(store), "2018", [LOOP_DISTRICT], out=base / "reports", workers=1,
                            formats=("xlsx",), issue_date=LOOP_ISSUED, progress=False)
    assert not run.failures, [r.failure.describe() for r in run.failures]
    again = {(f.unit, f.item_id) for f in load_findings(store, "2019", LOOP_DISTRICT).itertuples()}
    book = run.out_dir / LOOP_DISTRICT / "整改清单.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 12) if any(c.value == "问题编号" for c in ws[r]))
    col = {c.value: c.column for c in ws[header]}
    rows = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, col["问题编号"]).value]
    found_again = [r for r in rows if (ws.cell(r, col["街镇"]).value, ws.cell(r, col["检查项"]).value) in again]
    in_progress = (found_again or rows)[0]
    for row in rows:
        values = ({"整改措施": "正在补正", "完成情况": "整改中", "说明": "等待低保对象补交材料"} if row == in_progress else
                  {"整改措施": "修订制度并补正档案", "完成日期": dt.date(2019, 1, 25), "佐证材料": "补正档案清单",
                   "完成情况": "已整改"})
        for name, value in values.items():
            ws.cell(row, col[name]).value = value
    wb.save(book)
    import_returns(store, "2018", [book], imported_by="测试", today=dt.date(2019, 3, 1))
    return store


SHARED_MACHINE = "shared-machine"
# Words in a test's path or name (its node id) that mean it starts a hub or uses system accounts.
SHARED_MACHINE_WORDS = ("e2e", "hub")


def _shares_the_machine(item: pytest.Item) -> bool:
    where = item.nodeid.lower()
    return item.get_closest_marker("e2e") is not None or any(w in where for w in SHARED_MACHINE_WORDS)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _shares_the_machine(item):
            item.add_marker(pytest.mark.xdist_group(SHARED_MACHINE))

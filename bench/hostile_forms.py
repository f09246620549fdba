"""Refusing hostile forms costs about what importing a sound one does: wall time and peak memory
of ``jiuzhu inspect import`` (one child process each) for a sound form and for the hostile forms
of issue 10 (a stray cell at XFD1048576 or XFD2000, tens of thousands of remark-only rows).

Prints figures and ratios to the sound import, asserts nothing (the table-driven test
``tests/inspections/intake/test_form_bad_input.py`` checks the behaviour under resource limits).

Run: .venv/bin/python bench/hostile_forms.py [--rows 60000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TINY_ARGS = ["--rows", "2000"]
CASE_SHEET = "低保档案材料核查表"


def _checklist_dir() -> Path:
    return ROOT / "checklists"


def make_round(folder: Path) -> tuple[Path, Path]:
    """A fictional round (3 districts, one 街镇 each) and one filled form: (store, form)."""
    from toolkit.checklists import load_checklists
    from toolkit.files import save_workbook
    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.plan.plan import make_plan
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import build_city, make_submission, write_city

    store = folder / "store.sqlite"
    engine = st.open_store(store)
    units, households = build_city(7, ["东湖区", "云岭区", "梅溪区"], (1, 1), 600)
    write_city(engine, units, households)
    make_plan(engine, "2019", load_checklists(_checklist_dir()), seed=1, is_sample=True)
    ctx = load_context(engine, "2019", today=date(2020, 1, 15))
    unit = sorted(ctx.units.values(), key=lambda u: u.name)[0]
    sub = make_submission(ctx, unit, households.set_index("case_id"), 0.8, 5)
    form = save_workbook(fill_workbook(build_form(ctx, unit), sub, ctx), folder / "forms" / form_filename(ctx, unit))
    engine.dispose()
    return store, form


def hostile_variant(form: Path, target: Path, kind: str, rows: int) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(form)
    sheet = book[CASE_SHEET]
    if kind == "XFD1048576":
        sheet["XFD1048576"] = "x"
    elif kind == "XFD2000":
        sheet["XFD2000"] = "x"
    elif kind == "remark rows":
        start = sheet.max_row + 1
        for row in range(start, start + rows):
            sheet.cell(row=row, column=31, value="备注")
    book.save(target)
    return target


def run_import(store: Path, form: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit status) of one ``jiuzhu inspect import`` child process."""
    work = form.parent / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    copy = work / form.name
    shutil.copy(form, copy)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "toolkit", "inspect", "import", "--store", str(store),
                              str(copy), "--round", "2019", "--by", "bench"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="remark-only rows of the large form")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, form = make_round(folder)
        pristine = folder / "store.pristine"
        shutil.copy(store, pristine)
        print(f"{'form':<28}{'size KB':>9}{'exit':>6}{'wall s':>9}{'peak MiB':>10}{'× sound':>9}")
        base = None
        for kind in ("sound", "XFD1048576", "XFD2000", "remark rows"):
            path = form if kind == "sound" else hostile_variant(form, folder / f"{kind}.xlsx", kind, args.rows)
            shutil.copy(pristine, store)            # each import starts from the same store
            wall, peak, code = run_import(store, path)
            base = base or (wall, peak)
            label = f"{kind} ({args.rows:,})" if kind == "remark rows" else kind
            print(f"{label:<28}{path.stat().st_size / 1024:>9.0f}{code:>6}{wall:>9.2f}{peak:>10.0f}"
                  f"{wall / base[0]:>8.2f}×")
        print("Before issue 10: XFD1048576 aborted asking for 512 GiB, XFD2000 cost 1.4 GB, "
              "60,000 remark rows 214 s and 3.9 GB.")


if __name__ == "__main__":
    main()

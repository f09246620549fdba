"""One function per ``jiuzhu inspect`` sub-command that is more than a single call elsewhere."""

from __future__ import annotations

from pathlib import Path

from toolkit.checklists import load_checklists
from toolkit.inspections.store import store as st
from toolkit.inspections.forms.forms import build_form, form_filename
from toolkit.files import save_workbook
from toolkit.inspections.plan.plan import Plan, make_plan
from toolkit.inspections.store.rounds import RoundError, load_context


def plan_round(store, round_id: str, seed: int = 1, out_dir: Path | None = None,
               checklist_dir: Path | str | None = None, kind: str | None = None,
               district: str | None = None) -> Plan:
    """Fix the round's checklists, draw the plan and the sample, write out_dir/plan.xlsx."""
    st.open_store(store, create=False).dispose()      # a missing store: say so before reading checklists
    return make_plan(store, str(round_id), load_checklists(checklist_dir), seed=seed, out_dir=out_dir,
                     kind=kind, district=district)


def write_forms(store, round_id: str, out_dir: Path, districts: list[str] | None = None) -> list[Path]:
    """One blank workbook per inspected 街镇 of the round (optionally only some districts)."""
    ctx = load_context(st.open_store(store, create=False), str(round_id))
    unknown = [d for d in districts or [] if d not in ctx.districts]
    if unknown:
        raise RoundError(f"区“{'、'.join(unknown)}”不存在。可选：{'、'.join(ctx.districts)}")
    chosen = sorted((u for u in ctx.units.values() if not districts or u.district in districts),
                    key=lambda u: (u.district, u.name))
    return [save_workbook(build_form(ctx, unit), Path(out_dir) / form_filename(ctx, unit)) for unit in chosen]

"""Scenario 4 of issue 6: an inspector corrects one result in ``inspections/data_entry.ipynb``.

The inspector opens the notebook in JupyterLab, types the store path into the parameters cell,
runs it, loads one 街镇 in the widget form, changes one yes/no item, saves — and the store
(read back through the scores API the reports use) shows the change.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from e2e_support import REPO, lab_menu, open_lab, wait_kernel_idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]   # a real browser and JupyterLab


def first_yes_no_item(store, round_id):
    """(district, unit, checklist id, item) of the first yes/no item of a 街镇 checklist."""
    from toolkit.inspections.store import store as st
    from toolkit.inspections.store.rounds import load_context

    ctx = load_context(st.open_store(store), round_id)
    district = ctx.districts[0]
    unit = sorted(ctx.units_of(district))[0]
    for checklist in ctx.checklists.values():
        if checklist.kind != "unit":
            continue
        for item in checklist.items:
            if item.scoring == "yes_no" and not item.applies_when:
                return ctx, district, unit, checklist.id, item
    raise AssertionError("示例检查表中没有是/否检查项")


def stored(store, ctx, district, unit, checklist_id, item_id):
    """(value entered, score) of one item as the store and the scores API see it."""
    from toolkit.inspections.forms.entry import load_submission
    from toolkit.inspections.scores.scores import load_round_scores

    value = load_submission(store, ctx, ctx.units[(district, unit)]).items[(checklist_id, item_id)][0]
    items = load_round_scores(store, ctx.round_id, district=district).items
    row = items[(items["unit"] == unit) & (items["checklist_id"] == checklist_id) & (items["item_id"] == item_id)]
    assert len(row) == 1
    return value, float(row["score"].iloc[0])


def test_inspector_corrects_one_item_in_the_widget_form(sample_store, lab_factory, page, shot, tmp_path):
    from toolkit.checklists.model import NO, YES
    from toolkit.inspections.scores.scores import list_rounds

    root = tmp_path / "work"
    (root / "inspections").mkdir(parents=True)
    (root / "data").mkdir()
    store = root / "data" / "jiuzhu.sqlite"
    shutil.copy(sample_store, store)
    shutil.copy(REPO / "inspections" / "data_entry.ipynb", root / "inspections" / "data_entry.ipynb")
    round_id = list_rounds(store)[-1]
    ctx, district, unit, checklist_id, item = first_yes_no_item(store, round_id)
    before_value, before_score = stored(store, ctx, district, unit, checklist_id, item.id)
    new_value = NO if before_value == YES else YES

    lab = lab_factory("inspector", root)
    open_lab(page, lab, "inspections/data_entry.ipynb")
    wait_kernel_idle(page)

    # Fill the parameters cell (store path and round), then run everything.
    parameters = page.locator(".jp-CodeCell").first.locator(".cm-content")
    parameters.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(f'store = "{store}"\nround_id = "{round_id}"\n')
    lab_menu(page, "Run", "Run All Cells")
    form = page.locator(".jp-OutputArea .widget-vbox").filter(has_text="督导检查结果录入").first
    form.wait_for()
    expect(form).to_contain_text("示例数据")
    wait_kernel_idle(page)

    # Choose the 街镇 and load what is stored.
    form.locator(".widget-dropdown", has_text="被检查区").locator("select").select_option(label=district)
    form.locator(".widget-dropdown", has_text="街镇").last.locator("select").select_option(label=unit)
    form.get_by_role("button", name="载入").click()
    expect(form).to_contain_text(f"已载入 {district} {unit}")

    # Correct one item and save.
    row = form.locator(".widget-hbox").filter(
        has=page.locator(".widget-html", has_text=item.text)).first
    select = row.locator("select").first
    expect(select).to_have_value(before_value)
    select.select_option(label=new_value)
    row.scroll_into_view_if_needed()
    shot(page, "inspector-01-corrected-item")
    form.get_by_role("button", name="校验并保存到数据库").click()
    expect(form).to_contain_text(f"已保存 {district} {unit}")
    shot(page, "inspector-02-saved")

    after_value, after_score = stored(store, ctx, district, unit, checklist_id, item.id)
    assert after_value == new_value
    expected_score = item.points if new_value == YES else 0.0
    assert after_score == expected_score != before_score

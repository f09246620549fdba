"""The data-entry form (ipywidgets) uses the import's checks and saves all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.inspections.intake.importer import import_files

TODAY = date(2020, 1, 15)


@pytest.fixture
def form(city):
    from toolkit.inspections.forms.entry_widgets import EntryForm

    import_files(city.store, "2019", city.forms[:1], today=TODAY)
    entry = EntryForm(city.store, "2019", today=TODAY)
    district, unit = city.forms[0].name.split("_")[1:3]
    entry.district.value = district
    entry.unit.value = unit
    entry.load()
    return entry


def test_first_unit_is_preselected_and_nothing_chosen_is_explained(city):
    from toolkit.inspections.forms.entry_widgets import EntryForm

    entry = EntryForm(city.store, "2019", today=TODAY)
    assert entry.district.value and entry.unit.value in entry.ctx.units_of(entry.district.value)
    entry.unit.value = None
    entry.load()
    assert "请先选择区和街镇" in entry.message.value
    assert not entry.save() and "请先选择区和街镇" in entry.message.value


def test_correcting_stored_results(form, fingerprint, city):
    from toolkit.inspections.scores.scores import load_round_scores

    assert form.inspectors.value and "已有结果" in form.message.value
    assert form.show() is not None
    value, remarks = form.items[("town_street", "TS-01")]
    value.value = "否"
    remarks.value = "未见调研报告"
    assert form.save(), form.message.value
    assert "替换" in form.message.value
    s = load_round_scores(city.store, "2019")
    row = s.items[(s.items["item_id"] == "TS-01") & (s.items["unit"] == form.unit.value)].iloc[0]
    assert row["score"] == 0 and row["remarks"] == "未见调研报告"


def test_bad_values_are_refused_with_the_import_messages(form, fingerprint, city):
    before = fingerprint(city.store)
    form.items[("service_window", "SW-04")][0].value = "１２０%"
    form.inspected_on.value = "2030-01-01"
    assert not form.save()
    assert "比例不能大于 1" in form.message.value and "日期不能在将来" in form.message.value
    assert fingerprint(city.store) == before


def test_case_file_fields_use_the_same_rules_and_stay_masked(form):
    form.case_select.value = form.case_select.options[0]
    assert form.case_fields["id_number"].value == ""          # personal data never shown back
    assert "*" in form.case_message.value
    form.case_fields["date:accept"].value = "2031-02-01"
    assert not form.save_case()
    assert "日期不能在将来" in form.case_message.value
    form.case_fields["date:accept"].value = "2019-03-04"
    form.case_fields["id_number"].value = "990101198001011230"
    assert not form.save_case() and "GB 11643" in form.case_message.value


@pytest.mark.slow
def test_data_entry_notebook_runs_with_papermill(city, tmp_path):
    import papermill

    from toolkit.cli import main

    assert main(["inspect", "entry", "--out", str(tmp_path / "copy")]) == 0     # the packaged notebook, copied
    notebook = tmp_path / "copy" / "data_entry.ipynb"
    out = tmp_path / "executed.ipynb"
    papermill.execute_notebook(str(notebook), str(out), parameters={"store": str(city.store), "round_id": "2019"},
                               kernel_name="python3", shutdown_kernel="immediate", progress_bar=False,
                               cwd=str(tmp_path))
    import nbformat

    outputs = nbformat.read(out, as_version=4).cells[-1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)

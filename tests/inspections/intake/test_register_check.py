"""Forms that agree with the register: pre-filled from it; what differs is an error or, when the
inspectors mark it, a 档案不一致 note kept with the case file — never taken silently."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from toolkit.privacy import id_check_digit, mask_id_number, mask_name

TODAY = date(2020, 1, 15)
NAME, OTHER_NAME = "张国强", "李国强"


def valid_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


ID, OTHER_ID = valid_id("31011819800101123"), valid_id("31011819790505222")


@pytest.fixture
def registered(city):
    """The city with register names and 身份证号 for every sampled household; (store, ctx, unit, case id)."""
    from toolkit.inspections.store import store as st
    from toolkit.inspections.store.rounds import load_context

    engine = st.open_store(city.store)
    with st.write_transaction(engine) as conn:
        sampled = [r[0] for r in conn.execute(select(st.samples.c.case_id).where(st.samples.c.round_id == "2019"))]
        conn.execute(update(st.households).where(st.households.c.case_id.in_(sampled))
                     .values(head_name=NAME, id_number=ID))
    ctx = load_context(engine, "2019", today=TODAY)
    unit = sorted(ctx.units.values(), key=lambda u: (u.district, u.name))[0]
    engine.dispose()
    return city.store, ctx, unit, ctx.sample[unit.id][0]


def test_the_case_file_sheet_is_prefilled_from_the_register(registered):
    from toolkit.inspections.forms.forms import FIRST_ROW, build_form

    store, ctx, unit, case_id = registered
    wb = build_form(ctx, unit)
    ws = wb.worksheets[-1]
    header = [c.value for c in ws[FIRST_ROW - 1]]
    row = [c.value for c in ws[FIRST_ROW]]
    assert row[0] == case_id
    assert row[header.index("户主姓名")] == NAME and row[header.index("身份证号")] == ID
    accepted = ctx.registered[case_id].accepted_on
    got = row[header.index("受理日期")]
    assert (got.date() if hasattr(got, "date") else got) == accepted


CASES = [
    # (field changed, new value, 备注, imported?, words of the message or the stored note)
    ("head_name", OTHER_NAME, "", False, f"户主姓名）：“{mask_name(OTHER_NAME)}” 与低保档案名册不一致（名册为 {mask_name(NAME)}"),
    ("id_number", OTHER_ID, "", False, f"与低保档案名册不一致（名册为 {mask_id_number(ID)}，表格为 {mask_id_number(OTHER_ID)}）"),
    ("accept", "shift", "", False, "受理日期"),
    ("head_name", OTHER_NAME, "档案与名册不一致，户主已变更", True, f"户主姓名（名册 {mask_name(NAME)}，档案 {mask_name(OTHER_NAME)}）"),
    ("accept", "shift", "档案与名册不一致", True, "受理日期（名册 "),
    ("id_number", ID.lower(), "", True, ""),                                   # the same number
]


@pytest.mark.parametrize("field,value,remarks,imported,words", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_what_differs_from_the_register_is_never_taken_silently(registered, tmp_path, field, value, remarks, imported,
                                                                words, fingerprint):
    import pandas as pd

    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.intake.importer import ImportRejected, import_files
    from toolkit.demo.sample_data import make_submission
    from toolkit.files import save_workbook

    store, ctx, unit, case_id = registered
    with st.open_store(store).connect() as conn:
        rows = conn.execute(select(st.households.c.case_id, st.households.c.accepted_on, st.households.c.status,
                                   st.households.c.head_name, st.households.c.id_number)).all()
    by_id = pd.DataFrame([tuple(r) for r in rows],
                         columns=["case_id", "accepted_on", "status", "head_name", "id_number"]).set_index("case_id")
    sub = make_submission(ctx, unit, by_id, 0.9, seed=5)
    first = sub.case_files[0]
    assert first.case_id == case_id and first.head_name == NAME         # the sample agrees with the register
    if field == "accept":
        first.dates["accept"] = first.dates["accept"] - timedelta(days=3)     # an earlier day, steps still after
    else:
        setattr(first, field, value)
    sub.case_files[0] = dataclasses.replace(first, remarks=remarks)
    form = save_workbook(fill_workbook(build_form(ctx, unit), sub, ctx), tmp_path / form_filename(ctx, unit))
    before = fingerprint(store)
    if not imported:
        with pytest.raises(ImportRejected) as err:
            import_files(store, "2019", [form], today=TODAY)
        text = "\n".join(str(p) for p in err.value.problems)
        assert words in text and NAME not in text and OTHER_NAME not in text and OTHER_ID not in text
        assert fingerprint(store) == before
        return
    import_files(store, "2019", [form], today=TODAY)
    with st.open_store(store).connect() as conn:
        note = conn.execute(select(st.case_checks.c.remarks).where(st.case_checks.c.case_id == case_id)).scalar()
    if words:
        assert "档案与名册不一致：" in note and words in note and NAME not in note
    else:
        assert "档案与名册不一致" not in note

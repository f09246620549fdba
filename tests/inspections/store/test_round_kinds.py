"""Issue 15 item 2: 自查, 区级督导 and 各区互检 on a city-wide store (4 fictional districts)."""

from __future__ import annotations

import pytest

from toolkit.cli import main
from tests.conftest import TODAY


@pytest.mark.parametrize("argv,words", [
    (["--kind", "区级督导"], "须用 --district 指定一个区"),
    (["--kind", "各区互检", "--district", "东湖区"], "不能用 --district"),
    (["--kind", "自查", "--district", "西山区"], "不在数据库中"),
])
def test_kind_and_scope_mistakes_are_refused_in_chinese(city, tmp_path, capsys, fingerprint, argv, words):
    before = fingerprint(city.store)
    assert main(["inspect", "plan", "--round", "2020", "--store", str(city.store), "--out", str(tmp_path), *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert fingerprint(city.store) == before and not (tmp_path / "plan.xlsx").exists()


def test_district_supervision_covers_one_district_with_its_own_team(city, tmp_path, capsys):
    from toolkit.inspections.store import store as st
    from toolkit.inspections.store.rounds import load_context

    assert main(["inspect", "plan", "--round", "2020-督导", "--kind", "区级督导", "--district", "云岭区",
                 "--store", str(city.store), "--out", str(tmp_path)]) == 0
    assert "区级督导计划" in capsys.readouterr().out
    ctx = load_context(st.open_store(city.store), "2020-督导", today=TODAY)
    assert ctx.kind == "区级督导" and ctx.teams == {"云岭区": "云岭区"}
    assert {d for d, _ in ctx.units} == {"云岭区"}
    assert set(ctx.sample) == {u.id for u in ctx.units.values()}
    assert main(["inspect", "forms", "--round", "2020-督导", "--store", str(city.store), "--out", str(tmp_path / "f")]) == 0
    assert all("云岭区" in p.name for p in (tmp_path / "f").glob("*.xlsx"))


def test_self_inspection_names_each_town_as_its_own_team_and_imports(city, tmp_path, capsys):
    from toolkit.files import save_workbook
    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import make_submission

    assert main(["inspect", "plan", "--round", "2020-自查", "--kind", "自查", "--store", str(city.store),
                 "--out", str(tmp_path)]) == 0
    ctx = load_context(st.open_store(city.store), "2020-自查", today=TODAY)
    unit = sorted(ctx.units.values(), key=lambda u: u.name)[0]
    assert ctx.kind == "自查" and ctx.team_for(unit.district, unit.name) == unit.name
    wb = build_form(ctx, unit)
    cells = [c.value for row in wb["基本信息"].iter_rows() for c in row]
    assert unit.name in cells and "检查组（本街镇自查）" in cells
    import pandas as pd
    from sqlalchemy import select

    with st.open_store(city.store).connect() as conn:
        rows = conn.execute(select(st.households.c.case_id, st.households.c.accepted_on, st.households.c.status)).all()
    by_id = pd.DataFrame([tuple(r) for r in rows], columns=["case_id", "accepted_on", "status"]).set_index("case_id")
    path = save_workbook(fill_workbook(wb, make_submission(ctx, unit, by_id, 0.8, 1), ctx),
                         tmp_path / form_filename(ctx, unit))
    capsys.readouterr()
    assert main(["inspect", "import", str(path), "--round", "2020-自查", "--store", str(city.store)]) == 0, \
        capsys.readouterr().err


def test_titles_and_summary_follow_kind_and_scope():
    from toolkit.inspections.store import round_kinds as rk

    assert rk.report_title("自查", "青浦区").endswith("街镇自查报告")
    assert rk.report_title("区级督导", "青浦区").endswith("区级督导检查报告")
    assert rk.report_title("各区互检", "东湖区").endswith("互检报告")
    assert (rk.summary_name(["青浦区"]), rk.summary_name(["东湖区", "云岭区", "梅溪区"])) == ("全区汇总", "全市汇总")
    assert rk.summary_title("区级督导", ["青浦区"]).startswith("青浦区") and "全区汇总" in rk.summary_title("区级督导", ["青浦区"])
    assert rk.default_kind(["青浦区"]) == "区级督导" and rk.default_kind(["东湖区", "云岭区"]) == "各区互检"

"""Training feeds the inspection: the 培训台账 proposes TS-25 in each form; the import shows kept vs changed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from toolkit.cli import main


def write_ledger_for(path, towns: dict[str, list[tuple]]):
    """A 培训台账.xlsx by the course's own writer: towns → [(村居, 是否通过)], one trainee per row, as a
    ledger from before the 培训对象 column; [(村居, 是否通过, 岗位)]: a ledger with 岗位 and 培训对象."""
    from toolkit.policy.audiences import audience_of
    from toolkit.training.analytics.analytics import TrainingStats
    from toolkit.training.analytics.ledger import write_ledger

    rows = []
    for town, people in towns.items():
        for n, (village, result, *role) in enumerate(people):
            rows.append({"学员编号": f"t{len(rows):03d}",   # roster ids are ASCII (others are masked)
                         "姓名": "张*", "街镇": town, "村居": village,
                         **({"岗位": role[0], "培训对象": audience_of(role[0])} if role else {}),
                         "练习": "m01_means_test", "培训内容": "家庭收入核算与低保金计算",
                         "提交时间": None if result == "未提交" else f"2019-0{n + 3}-10 09:00",
                         "得分": None, "满分": None, "得分率": None, "是否通过": result, "备注": ""})
    ledger = pd.DataFrame(rows)
    empty = pd.DataFrame()
    stats = TrainingStats(ledger, empty, empty, empty, empty, empty, empty, 0.6, True, datetime(2019, 12, 1))
    return write_ledger(stats, path)


def test_prefilled_item_kept_and_overridden_are_both_recorded(city, tmp_path, capsys):
    from openpyxl import load_workbook

    from toolkit.inspections.forms.forms import FIRST_ROW, REMARK_COL, RESULT_COL
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.store.rounds import load_context
    from toolkit.inspections.store import store as st
    from toolkit.reports.compose.training_figures import proposal_outcomes

    ctx = load_context(st.open_store(city.store), "2019")
    units = sorted(ctx.units.values(), key=lambda u: (u.district, u.name))
    full, part = units[0], units[1]
    ledger = write_ledger_for(tmp_path / "培训台账.xlsx", {
        full.name: [("甲村", "通过"), ("乙村", "未通过")],
        part.name: [("丙村", "通过"), ("丁村", "未提交")]})
    out = tmp_path / "prefilled"
    assert main(["inspect", "forms", "--round", "2019", "--out", str(out), "--training", str(ledger),
                 "--store", str(city.store)]) == 0
    printed = capsys.readouterr().out
    assert "只预填 TS-25，TS-24（街镇经办人员参加区级培训）由检查组填写" in printed   # an old ledger: one line says so
    checklist = ctx.checklists["town_street"]
    row = FIRST_ROW + [i.id for i in checklist.items].index("TS-25")
    staff_row = FIRST_ROW + [i.id for i in checklist.items].index("TS-24")

    def cell(path, at=row):
        ws = load_workbook(path)[checklist.title[:31]]
        return ws.cell(at, RESULT_COL).value, ws.cell(at, REMARK_COL).value

    value, note = cell(next(out.glob(f"*{full.name}*.xlsx")))
    assert value == "覆盖全部村居"
    assert "来源：培训台账】" in note and "学员 2 人，2/2 个村居有学员完成练习" in note and "通过率 50%" in note
    value, note = cell(next(out.glob(f"*{part.name}*.xlsx")))
    assert value == "覆盖部分村居" and "1/2 个村居" in note and "完成率 50%" in note
    others = [p for p in out.glob("*.xlsx") if full.name not in p.name and part.name not in p.name]
    assert cell(others[0]) == ("未开展", cell(others[0])[1]) and "没有本街镇的学员" in cell(others[0])[1]
    assert cell(next(out.glob(f"*{full.name}*.xlsx")), staff_row) == (None, None)   # TS-24 left to the inspectors

    # the inspectors keep the proposal for one 街镇 and change it for the other
    chosen = []
    for unit, result in ((full, "覆盖全部村居"), (part, "未开展")):
        form = city.form(unit.name)
        wb = load_workbook(form)
        wb[checklist.title[:31]].cell(row, RESULT_COL).value = result
        wb.save(form)
        chosen.append(form)
    import_files(city.store, "2019", chosen, imported_by="测试")
    outcomes = proposal_outcomes(city.store, "2019").set_index("街镇")
    assert outcomes.loc[full.name, "处理"] == "采纳" and outcomes.loc[full.name, "建议值"] == "覆盖全部村居"
    assert outcomes.loc[part.name, "处理"] == "修改" and outcomes.loc[part.name, "导入值"] == "未开展"
    assert outcomes.loc[part.name, "建议值"] == "覆盖部分村居"
    assert (outcomes.drop(index=[full.name, part.name])["处理"] == "未导入").all()
    assert main(["inspect", "proposals", "--round", "2019", "--store", str(city.store)]) == 0
    assert "采纳 1 项，修改 1 项" in capsys.readouterr().out


def test_unreadable_ledger_writes_no_form(city, tmp_path, capsys):
    bad = tmp_path / "培训台账.xlsx"
    bad.write_text("不是表格", encoding="utf-8")
    out = tmp_path / "new-forms"
    assert main(["inspect", "forms", "--round", "2019", "--out", str(out), "--training", str(bad),
                 "--store", str(city.store)]) == 2
    assert "无法读取工作表“培训台账”" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_staff_and_cadre_rows_propose_both_items_and_an_override_is_recorded(city, tmp_path, capsys):
    from openpyxl import load_workbook

    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import FIRST_ROW, REMARK_COL, RESULT_COL
    from toolkit.inspections.intake.importer import import_files
    from toolkit.inspections.store.rounds import load_context
    from toolkit.reports.compose.training_figures import proposal_outcomes

    ctx = load_context(st.open_store(city.store), "2019")
    units = sorted(ctx.units.values(), key=lambda u: (u.district, u.name))
    town, other = units[0], units[1]
    ledger = write_ledger_for(tmp_path / "培训台账.xlsx", {
        town.name: [("街道办事处", "通过", "街镇救助经办人"), ("甲村", "通过", "社会救助专干"), ("乙村", "未提交", "民政协理员")],
        other.name: [("街道办事处", "未提交", "街镇经办人员"), ("丙村", "通过", "")]})     # no 岗位: a village cadre
    out = tmp_path / "prefilled"
    assert main(["inspect", "forms", "--round", "2019", "--out", str(out), "--training", str(ledger),
                 "--store", str(city.store)]) == 0
    assert "TS-24" not in capsys.readouterr().out          # both items proposed: no note
    checklist = ctx.checklists["town_street"]
    ids = [i.id for i in checklist.items]

    def cell(fragment, item_id):
        ws = load_workbook(next(out.glob(f"*{fragment}*.xlsx")))[checklist.title[:31]]
        at = FIRST_ROW + ids.index(item_id)
        return ws.cell(at, RESULT_COL).value, ws.cell(at, REMARK_COL).value

    value, note = cell(town.name, "TS-24")
    assert value == "是" and "来源：培训台账】" in note and "街镇经办人员 1 人，1 人完成练习" in note
    assert "提交时间 2019年3月10日至2019年3月10日" in note
    value, note = cell(town.name, "TS-25")          # the staff row is not counted as a village cadre
    assert value == "覆盖部分村居" and "村居干部 2 人，1/2 个村居有学员完成练习" in note and "通过率 50%" in note
    value, note = cell(other.name, "TS-24")
    assert value == "否" and "街镇经办人员 1 人，0 人完成练习" in note
    assert cell(other.name, "TS-25")[0] == "覆盖全部村居"
    rest = next(u for u in units if u.name not in (town.name, other.name))
    assert cell(rest.name, "TS-24")[0] == "否" and "没有本街镇的街镇经办人员" in cell(rest.name, "TS-24")[1]

    # the inspectors keep TS-25 and change TS-24 for one 街镇 (the sign-in sheets show the staff attended)
    form = city.form(town.name)
    wb = load_workbook(form)
    sheet = wb[checklist.title[:31]]
    sheet.cell(FIRST_ROW + ids.index("TS-24"), RESULT_COL).value = "否"
    sheet.cell(FIRST_ROW + ids.index("TS-25"), RESULT_COL).value = "覆盖部分村居"
    wb.save(form)
    import_files(city.store, "2019", [form], imported_by="测试")
    outcomes = proposal_outcomes(city.store, "2019")
    mine = outcomes[outcomes["街镇"] == town.name].set_index("检查项")
    assert mine.loc["TS-24", ["建议值", "导入值", "处理"]].tolist() == ["是", "否", "修改"]
    assert mine.loc["TS-25", ["建议值", "导入值", "处理"]].tolist() == ["覆盖部分村居", "覆盖部分村居", "采纳"]
    assert main(["inspect", "proposals", "--round", "2019", "--store", str(city.store)]) == 0
    printed = capsys.readouterr().out
    assert f"{len(units) * 2} 项，采纳 1 项，修改 1 项" in printed and "TS-24" in printed

"""The city summary's line per district counts 街镇, not proposals (TS-24 and TS-25 of one 街镇 count once)."""

import pandas as pd

from toolkit.reports.compose.training_figures import CHANGED, COLUMNS, KEPT, district_lines, split_note


def test_one_town_with_both_items_counts_once():
    figures = pd.DataFrame([
        ["东湖区", "东湖街道", "TS-24", "街镇经办人员 2 人", "台账.xlsx", "是", "是", KEPT],
        ["东湖区", "东湖街道", "TS-25", "村居干部 12 人", "台账.xlsx", "覆盖全部村居", "覆盖部分村居", CHANGED],
        ["东湖区", "湖滨街道", "TS-25", "村居干部 3 人", "台账.xlsx", "未开展", "未开展", KEPT],
    ], columns=COLUMNS)
    line = district_lines(figures).iloc[0]
    assert (line["区"], line["预填街镇数"], line[KEPT], line[CHANGED], line["来源"]) == ("东湖区", 2, 2, 1, "台账.xlsx")


def test_the_note_splits_into_source_and_figures():
    note = "【建议值，来源：培训台账.xlsx】街镇经办人员 2 人，2 人完成练习。请检查组核实后确认或修改"
    assert split_note(note) == ("培训台账.xlsx", "街镇经办人员 2 人，2 人完成练习")

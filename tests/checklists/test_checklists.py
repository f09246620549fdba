"""Checklist loading and validation: the shipped checklists, and bad checklists as inline tables."""

from __future__ import annotations

import textwrap

import pytest

from toolkit.checklists import ChecklistInvalid, parse_checklist, validate_files

GOOD = """\
id: demo
title: 示例检查表
kind: unit
total_points: 10
grade_bands:
  - {grade: 合格, min_pct: 60}
  - {grade: 不合格, min_pct: 0}
sections:
  - name: 制度建设
    items:
      - id: A-01
        text: 建立审核审批制度
        evidence: 制度文本
        method: 查阅资料
        scoring: yes_no
        points: 4
        severity: 一般
        basis: 青民〔2018〕44号
      - id: A-02
        text: 窗口人员熟悉政策
        evidence: 座谈
        method: 座谈
        scoring: levels
        levels:
          - {label: 熟悉, points: 6}
          - {label: 不熟悉, points: 0}
        points: 6
        severity: 轻微
        basis: 青民〔2018〕44号
"""


def test_shipped_checklists_are_valid_and_total_100(checklists):
    assert set(checklists) == {"town_street", "case_file", "service_window"}
    for checklist in checklists.values():
        assert sum(i.points for i in checklist.items) == checklist.total_points == 100
        assert [b.grade for b in checklist.grade_bands] == ["优秀", "良好", "合格", "不合格"]
    town = checklists["town_street"]
    assert town.sections == ["调研与专项治理", "制度建设", "流程规范", "窗口服务", "社会力量参与",
                             "绩效评价", "宣传与培训", "示范创建"]
    rules = {i.check.get("rule") for i in checklists["case_file"].items} - {None}
    assert {"steps_order", "notice_period", "separation_of_duties", "investigators"} <= rules


def test_good_checklist_parses_with_levels_and_grades():
    checklist = parse_checklist(GOOD, "demo.yaml")
    assert checklist.item("A-02").choices() == ("熟悉", "不熟悉")
    assert checklist.grade(59.9) == "不合格" and checklist.grade(60) == "合格"


def test_hash_ignores_comments_but_not_meaning():
    base = parse_checklist(GOOD).version_hash
    assert parse_checklist("# 注释\n" + GOOD).version_hash == base
    assert parse_checklist(GOOD.replace("建立审核审批制度", "建立审批制度")).version_hash != base


def _bad(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


BAD_CASES = [
    # (what is wrong, yaml text, expected fragment, line, item id)
    ("duplicate id", _bad("id: A-02", "id: A-01"), "编号重复（第 11 行已使用）", 19, "A-01"),
    ("points do not add up", _bad("total_points: 10", "total_points: 12"), "合计 10 与 total_points 12 不符", 1, None),
    ("unknown field", _bad("        severity: 一般", "        severity: 一般\n        weight: 2"), "未知字段“weight”", 11, "A-01"),
    ("bad condition fact", _bad("        severity: 一般", "        severity: 一般\n        applies_when: {district: 东湖区}"),
     "条件“district”无效", 11, "A-01"),
    ("bad condition value", _bad("        severity: 一般", "        severity: 一般\n        applies_when: {unit_type: 村}"),
     "unit_type 的取值", 11, "A-01"),
    ("unknown method", _bad("method: 查阅资料", "method: 电话"), "检查方法“电话”无效", 11, "A-01"),
    ("level above points", _bad("{label: 熟悉, points: 6}", "{label: 熟悉, points: 8}"), "分值在 0 到 6 之间", 19, "A-02"),
    ("missing field", _bad("        evidence: 制度文本\n", ""), "缺少必填字段“evidence”", 11, "A-01"),
    ("check outside case_file", _bad("        severity: 一般", "        severity: 一般\n        check: {rule: notice_period}"),
     "只有档案核查表", 11, "A-01"),
    ("no lowest band", _bad("{grade: 不合格, min_pct: 0}", "{grade: 不合格, min_pct: 10}"), "min_pct: 0", 1, None),
]


@pytest.mark.parametrize("what,text,fragment,line,item_id", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_checklist_names_file_line_and_item(what, text, fragment, line, item_id):
    with pytest.raises(ChecklistInvalid) as info:
        parse_checklist(text, "bad.yaml")
    problem = next(p for p in info.value.problems if fragment in p)
    assert problem.startswith(f"bad.yaml 第 {line} 行")
    if item_id:
        assert f"检查项 {item_id}" in problem


def test_several_problems_are_all_reported():
    text = _bad("id: A-02", "id: A-01").replace("total_points: 10", "total_points: 11")
    with pytest.raises(ChecklistInvalid) as info:
        parse_checklist(text, "bad.yaml")
    assert any("编号重复" in p for p in info.value.problems)
    assert any("合计 10 与 total_points 11 不符" in p for p in info.value.problems)


def test_unknown_procedure_rule_in_case_file_checklist():
    text = textwrap.dedent("""\
        id: cf
        title: 档案
        kind: case_file
        total_points: 5
        grade_bands: [{grade: 合格, min_pct: 0}]
        sections:
          - name: 程序
            items:
              - {id: C-1, text: 公示, evidence: 公示, method: 抽查档案, scoring: proportion,
                 check: {rule: notice_days}, points: 5, severity: 严重, basis: 民发〔2021〕57号第十九条}
        """)
    with pytest.raises(ChecklistInvalid) as info:
        parse_checklist(text, "cf.yaml")
    assert "规则编号“notice_days”不存在" in str(info.value)


def test_validate_files_collects_all_problems_of_all_files(tmp_path):
    (tmp_path / "a.yaml").write_text(_bad("id: A-02", "id: A-01"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: [unclosed", encoding="utf-8")
    problems = validate_files([tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "missing.yaml"])
    assert any("a.yaml" in p and "编号重复" in p for p in problems)
    assert any("b.yaml" in p and "不是有效的 YAML" in p for p in problems)
    assert any("missing.yaml" in p and "找不到" in p for p in problems)

"""Findings drive training: a round's findings → the exercises each 街镇 should take, and why."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main

REPO = Path(__file__).resolve().parents[2]

COLUMNS = ["district", "unit", "item_id", "item_text", "kind", "failed", "finding", "basis"]


def known_findings():
    return pd.DataFrame([
        ("东湖区", "凤枫街道", "CF-14", "公示期满 7 天", "case_file", 3, "抽查 10 份档案中 3 份公示不足 7 天", "民发〔2012〕220号 第十八条"),
        ("东湖区", "凤枫街道", "CF-01", "低保申请书", "case_file", 2, "抽查 10 份档案中 2 份缺少申请书", "档案管理要求"),
        ("东湖区", "凤枫街道", "TS-18", "一次性告知", "unit", 0, "未一次性告知需补正的全部材料", "青民〔2018〕44号"),
        ("东湖区", "湖滨镇", "CF-13", "调查人员不少于两人", "case_file", 1, "抽查 8 份档案中 1 份调查人员不足两人", "民发〔2012〕220号 第十二条"),
        ("东湖区", "湖滨镇", "TS-01", "调研走访", "unit", 0, "未开展调研走访", "青民〔2018〕44号 二（一）1"),
    ], columns=COLUMNS)


CHECKS = {"CF-14": {"rule": "notice_period"}, "CF-01": {"document": "application"}, "CF-13": {"rule": "investigators"}}


def test_known_findings_map_to_the_expected_exercises_rules_counts_and_basis():
    from toolkit.loop.training_plan import training_plan, unit_overview, unmatched

    plan = training_plan(known_findings(), CHECKS)
    rows = {(r.街镇, r.练习, r.规则): (r.次数, r.依据, r.发现的问题) for r in plan.itertuples()}
    assert rows == {
        ("凤枫街道", "m02_procedure", "notice_period"): (3, "民发〔2012〕220号 第十八条", "抽查 10 份档案中 3 份公示不足 7 天"),
        ("凤枫街道", "m03_case_file", "file_missing"): (2, "档案管理要求", "抽查 10 份档案中 2 份缺少申请书"),
        ("凤枫街道", "m04_one_window", "one_time_notice"): (1, "青民〔2018〕44号", "未一次性告知需补正的全部材料"),
        # investigators: no question names it, the m02 question on all violations teaches it
        ("湖滨镇", "m02_procedure", "procedure_violations"): (1, "民发〔2012〕220号 第十二条", "抽查 8 份档案中 1 份调查人员不足两人"),
    }
    assert set(plan["规则说明"]) >= {"公示期不少于7天", "档案应有材料", "一次性告知补正材料"}
    overview = unit_overview(plan).set_index("街镇")
    assert overview.loc["凤枫街道", "应学练习"] == "《审核确认流程与时限》、《档案材料核查》、《一口受理与一次性告知》"
    assert list(unmatched(known_findings(), CHECKS)["检查项"]) == ["TS-01"]


def test_course_plan_from_an_imported_round_writes_the_workbook(city, tmp_path, capsys):
    from openpyxl import load_workbook

    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.intake.importer import import_files

    import_files(city.store, "2019", city.forms, imported_by="测试")
    assert main(["course", "plan", "--from-round", "2019", "--store", str(city.store), "--out", str(tmp_path)]) == 0
    assert "已写出培训计划" in capsys.readouterr().out
    wb = load_workbook(tmp_path / "培训计划.xlsx")
    assert wb.sheetnames == ["按街镇汇总"]                 # the roll-up: one row per 街镇
    overview = _rows(wb["按街镇汇总"], "区")
    findings = load_findings(city.store, "2019")
    assert {(r["区"], r["街镇"]) for r in overview} == set(zip(findings["district"], findings["unit"]))
    assert "示例数据" in str(wb["按街镇汇总"]["A2"].value)
    # each 街镇 its own plan: the exercises in detail and the findings no exercise teaches
    towns = sorted((tmp_path / "培训计划（各街镇）").glob("*/培训计划（*）.xlsx"))
    assert len(towns) == len(overview)
    notice = findings[findings["item_id"] == "CF-14"]
    assert len(notice), "the sample round has short 公示 in some 街镇"
    for f in notice.itertuples():      # every 街镇 with short 公示 is sent to m02 with its file count
        book = load_workbook(tmp_path / "培训计划（各街镇）" / f.district / f"培训计划（{f.unit}）.xlsx")
        assert book.sheetnames == ["培训计划明细", "无对应练习的问题"]
        assert book["培训计划明细"]["A1"].value.startswith(f"{f.district}{f.unit}培训计划（依据2019年度督导检查")
        match = [r for r in _rows(book["培训计划明细"], "练习") if r["规则"] == "notice_period"]
        assert len(match) == 1 and match[0]["练习"] == "m02_procedure" and match[0]["次数"] == f.failed
        unmatched = {r["检查项"] for r in _rows(book["无对应练习的问题"], "检查项")}
        row = next(r for r in overview if r["街镇"] == f.unit and r["区"] == f.district)
        assert row["无对应练习的问题"] == len(unmatched) and row["审核确认流程与时限"] >= 1   # m02, one column per exercise
    assert main(["course", "plan", "--from-round", "2030", "--store", str(city.store), "--out", str(tmp_path)]) == 2


def _rows(ws, first: str) -> list[dict]:
    header_row = next(r for r in range(1, 6) if ws.cell(r, 1).value == first)
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=header_row + 1)]


def test_release_list_sends_each_trainee_of_a_town_to_its_exercises(city, tmp_path):
    from openpyxl import load_workbook

    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.intake.importer import import_files
    from toolkit.training.course.roster import Roster, Trainee, write_roster_xlsx

    import_files(city.store, "2019", city.forms, imported_by="测试")
    findings = load_findings(city.store, "2019")
    district, town = findings[findings["item_id"] == "CF-14"][["district", "unit"]].iloc[0]
    roster = write_roster_xlsx(Roster((Trainee("s001", "王小明", town, "甲村", "村居干部"),
                                       Trainee("s002", "李华", town, "乙村", "街镇经办人员"),
                                       Trainee("s003", "赵强", "不在本轮的街道", "丙村", "村居干部"))),
                               tmp_path / "花名册.xlsx")
    assert main(["course", "plan", "--from-round", "2019", "--store", str(city.store), "--out", str(tmp_path),
                 "--roster", str(roster)]) == 0
    assert "发布名单" not in load_workbook(tmp_path / "培训计划.xlsx").sheetnames   # each 街镇's list is in its plan
    ws = load_workbook(tmp_path / "培训计划（各街镇）" / district / f"培训计划（{town}）.xlsx")["发布名单"]
    rows = _rows(ws, "学员编号")
    assert {r["学员编号"] for r in rows} == {"s001", "s002"}          # nobody from a town without findings
    m02 = [r for r in rows if r["练习"] == "m02_procedure"]
    assert {r["学员编号"] for r in m02} == {"s001", "s002"} and all("公示期不少于7天" in r["原因"] for r in m02)
    assert {r["姓名"] for r in rows} == {"王**", "李*"}           # masked: surname only


def _planned_round(city, tmp_path, prefix: str = "s"):
    """An imported round, a 街镇 with short 公示 and a roster: two trainees there, one elsewhere."""
    from toolkit.inspections.rectification.findings import load_findings
    from toolkit.inspections.intake.importer import import_files
    from toolkit.training.course.roster import Roster, Trainee, write_roster_xlsx

    import_files(city.store, "2019", city.forms, imported_by="测试")
    findings = load_findings(city.store, "2019")
    town = findings[findings["item_id"] == "CF-14"]["unit"].iloc[0]
    return write_roster_xlsx(Roster((Trainee(f"{prefix}001", "王小明", town, "甲村", "社会救助专干"),
                                     Trainee(f"{prefix}002", "李华", town, "街道办事处", "街镇经办人员"),
                                     Trainee(f"{prefix}003", "赵强", "不在本轮的街道", "丙村", "村居干部"))),
                             tmp_path / "花名册.xlsx")


def test_assign_writes_per_exercise_lists_that_nbgrader_imports(city, tmp_path, capsys):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from nbgrader.api import Gradebook
    from openpyxl import load_workbook

    roster = _planned_round(city, tmp_path)
    out = tmp_path / "plan"
    assert main(["course", "plan", "--from-round", "2019", "--store", str(city.store), "--out", str(out),
                 "--roster", str(roster), "--assign"]) == 0
    assert "按练习的发布名单" in capsys.readouterr().out
    ws = load_workbook(out / "培训计划.xlsx")["按练习发布"]
    header_row = next(r for r in range(1, 6) if ws.cell(r, 1).value == "练习")
    header = [c.value for c in ws[header_row]]
    rows = {row[0].value: dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=header_row + 1)}
    assert rows["m02_procedure"]["学员编号"] == "s001、s002" and rows["m02_procedure"]["学员数"] == 2
    assert rows["m02_procedure"]["发布命令"] == "jiuzhu course release m02_procedure"
    # ids, commands and file names stay in the file for the trainer's tools, never on paper
    hidden = {c.value for c in ws[header_row] if ws.column_dimensions[c.column_letter].hidden}
    assert hidden == {"练习", "发布命令", "名单文件"}
    rollup = load_workbook(out / "培训计划.xlsx")["按街镇汇总"]
    assert rollup["A1"].value.startswith("培训计划（依据2019年度督导检查发现的问题")
    lists = sorted(p.stem for p in (out / "发布名单").glob("*.csv"))
    assert lists == sorted(rows) and "m02_procedure" in lists
    text = (out / "发布名单" / "m02_procedure.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "id,first_name,last_name" and "王小明" not in text and "s003" not in text

    # the list is what nbgrader's own student import reads
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    run = subprocess.run([sys.executable, "-m", "nbgrader", "db", "student", "import", str(out / "发布名单" / "m02_procedure.csv"),
                          f"--CourseDirectory.root={tmp_path}", f"--CourseDirectory.db_url={db}",
                          "--CourseDirectory.course_id=jiuzhu"], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    assert run.returncode == 0, run.stderr[-2000:]
    with Gradebook(db, "jiuzhu") as gb:
        students = {s.id: s.first_name for s in gb.students}
    assert students == {"s001": "王**", "s002": "李*"}


def test_assign_on_the_hub_puts_the_planned_trainees_into_the_course_group_hub_start_loads(city, tmp_path, capsys):
    from toolkit.hub.config import trainees
    from toolkit.hub.layout import open_hub

    roster = _planned_round(city, tmp_path)
    hub = open_hub(tmp_path / "hub")
    out = tmp_path / "plan"
    base = ["course", "plan", "--from-round", "2019", "--store", str(city.store), "--out", str(out), "--roster", str(roster)]
    assert main([*base, "--hub", str(hub.root), "--course", "jiezhen"]) == 2            # --assign missing
    assert "--assign" in capsys.readouterr().err
    assert main([*base, "--assign", "--hub", str(tmp_path / "nohub"), "--course", "jiezhen"]) == 2
    assert "不是平台目录" in capsys.readouterr().err and not (tmp_path / "nohub").exists()
    assert main([*base, "--assign", "--hub", str(hub.root), "--course", "nosuch"]) == 2
    assert not out.exists()                                                           # nothing written on refusal

    assert main([*base, "--assign", "--hub", str(hub.root), "--course", "jiezhen"]) == 0
    printed = capsys.readouterr().out
    assert "已把 2 名学员放进平台课程 街镇培训（jiezhen）" in printed
    assert "平台未运行：下次启动（jiuzhu hub start）时他们在课程分组 nbgrader-jiezhen 中" in printed
    reopened = open_hub(hub.root)
    assert trainees(reopened.course("jiezhen")) == ["s001", "s002"]   # the members of nbgrader-jiezhen at hub start
    assert trainees(reopened.course("quji")) == []
    # the district's course takes the 街镇 staff only (岗位 街镇经办人员)
    assert main([*base, "--assign", "--hub", str(hub.root), "--course", "quji", "--audience", "街镇经办人员"]) == 0
    assert "已把 1 名学员放进平台课程 区级培训（quji）" in capsys.readouterr().out
    assert trainees(open_hub(hub.root).course("quji")) == ["s002"]
    with pytest.raises(SystemExit) as refused:                                         # not an audience
        main([*base, "--assign", "--audience", "县级干部"])
    assert refused.value.code == 2 and "参数 --audience 的取值 '县级干部' 无效" in capsys.readouterr().err


@pytest.mark.slow
def test_assign_adds_the_planned_trainees_to_the_course_group_of_a_running_hub(city, tmp_path, capsys):
    """A real JupyterHub (with its proxy and the course's formgrader service), started and stopped here."""
    import secrets

    from toolkit.hub.accounts import delete_account, make_accounts
    from toolkit.hub.layout import open_hub
    from toolkit.hub.members import group_members
    from toolkit.hub.server import HubProcess

    assert os.geteuid() == 0, "the hub's formgrader runs as a system account of its own: run as root"
    runtime = Path(os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub"))
    if not (runtime / "bin" / "jupyterhub-singleuser").exists():       # a clean machine: make it once
        subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh")], check=True, capture_output=True)
    tag = "jp" + secrets.token_hex(2)           # accounts of this run only
    roster = _planned_round(city, tmp_path, prefix=f"{tag}-s")
    ids = [f"{tag}-s001", f"{tag}-s002"]
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-", dir="/tmp"))
    (root / "hub.yaml").write_text(f"bind: 127.0.0.1:0\nruntime: {runtime}\ncourses:\n"
                                   f"  - {{id: {tag}-jz, title: 街镇培训, audience: 村居干部, trainers: [{tag}-tj]}}\n",
                                   encoding="utf-8")
    hub = open_hub(root)
    course = hub.courses[0]
    process = HubProcess(hub, "127.0.0.1:0")
    plan = ["course", "plan", "--from-round", "2019", "--store", str(city.store), "--out", str(tmp_path / "plan"),
            "--roster", str(roster), "--assign", "--hub", str(root), "--course", course.id]
    made = [course.grader]
    try:
        process.start()
        assert group_members(hub, course) == []
        assert main(plan) == 0                     # on the course roster; no system accounts yet
        printed = capsys.readouterr().out
        assert "已有账号的 0 名学员" in printed and "另有 2 名学员还没有账号" in printed
        assert group_members(hub, course) == []
        _, accounts = make_accounts(hub, course.id)
        made += [a.user for a in accounts]
        assert main(plan) == 0                     # the trainer runs it again once the accounts exist
        assert f"已有账号的 2 名学员加入课程分组 nbgrader-{course.id}，立即生效" in capsys.readouterr().out
        assert group_members(hub, course) == ids
        assert main(plan) == 0                     # again: nothing new, no error
        assert group_members(hub, course) == ids
    finally:
        process.stop()
        for user in made:
            delete_account(user)
        shutil.rmtree(root, ignore_errors=True)
    assert process.process.poll() is not None


def test_a_town_name_planned_in_two_districts_is_refused_for_a_roster_without_districts():
    """The roster has no 区: a 新华街道 in two districts would put each one's trainees (and reasons)
    into the other's plan, so the release list is refused and --district named."""
    from toolkit.errors import InputError
    from toolkit.loop.training_plan import release_list
    from toolkit.training.course.roster import Roster, Trainee

    plan = pd.DataFrame([("东湖区", "新华街道", "m02_procedure", "审核确认程序", "公示期不少于7天", 2),
                         ("西山区", "新华街道", "m02_procedure", "审核确认程序", "公示期不少于7天", 1),
                         ("西山区", "湖滨镇", "m02_procedure", "审核确认程序", "公示期不少于7天", 1)],
                        columns=["区", "街镇", "练习", "练习名称", "规则说明", "次数"])
    elsewhere = Roster((Trainee("s001", "王小明", "湖滨镇", "甲村", "村居干部"),))
    assert set(release_list(plan, elsewhere)["学员编号"]) == {"s001"}       # an unambiguous town is fine
    same_name = Roster((Trainee("s002", "李华", "新华街道", "乙村", "村居干部"),))
    with pytest.raises(InputError, match="东湖区、西山区都有.*--district"):
        release_list(plan, same_name)


# (区, 街镇 of the finding) → the plan's file under 培训计划（各街镇）and its title: a finding at the district
# office itself (no 街镇) goes to the district's own plan, never to "培训计划（）"
TOWN_PLANS = [
    ("东湖区", "凤枫街道", "东湖区/培训计划（凤枫街道）.xlsx", "东湖区凤枫街道培训计划（"),
    ("东湖区", "", "东湖区/培训计划（区本级）.xlsx", "东湖区本级培训计划（"),
    ("西山区", None, "西山区/培训计划（区本级）.xlsx", "西山区本级培训计划（"),
    ("西山区", "新华/街道", "西山区/培训计划（新华_街道）.xlsx", "西山区新华/街道培训计划（"),
]


@pytest.mark.parametrize("district, unit, path, title", TOWN_PLANS)
def test_each_town_plan_is_named_for_its_town_and_a_finding_without_one_for_the_district(tmp_path, district, unit,
                                                                                      path, title):
    from openpyxl import load_workbook

    from toolkit.loop.course_plan import write_town_plans
    from toolkit.loop.training_plan import rollup, training_plan, unmatched

    findings = known_findings()
    findings[["district", "unit"]] = [district, unit]             # every finding in the one place of the case
    plan, others = training_plan(findings, CHECKS), unmatched(findings, CHECKS)
    written = write_town_plans(plan, others, tmp_path, "依据2019年度督导检查发现的问题", [])
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [path]
    book = load_workbook(written[0])
    for ws in book:
        assert str(ws["A1"].value).startswith(title) and "（）" not in str(ws["A1"].value)
    # nothing lost: every planned rule and every finding no exercise teaches is in the one plan
    assert _rows(book["培训计划明细"], "练习").__len__() == len(plan) == 4
    assert [r["检查项"] for r in _rows(book["无对应练习的问题"], "检查项")] == ["TS-01"]
    assert list(rollup(plan, others)["街镇"]) == [unit or "区本级"]


def test_a_town_called_like_the_district_office_is_refused_not_merged_into_its_plan(tmp_path):
    from toolkit.errors import InputError
    from toolkit.loop.course_plan import write_town_plans
    from toolkit.loop.training_plan import training_plan, unmatched

    findings = known_findings()
    findings.loc[findings["unit"] == "凤枫街道", "unit"] = "区本级"
    findings.loc[findings["unit"] == "湖滨镇", "unit"] = ""
    with pytest.raises(InputError, match="区本级.*同一份文件"):
        write_town_plans(training_plan(findings, CHECKS), unmatched(findings, CHECKS), tmp_path, "依据", [])
    assert not list(tmp_path.rglob("*.xlsx"))

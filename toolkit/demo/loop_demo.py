"""``jiuzhu demo`` stage: the loop closed on the sample city.

Round 2018's 整改清单 (the real district reports, Excel only) → each 街镇 fills them in (some on
time, some late, some in progress, some silent; ``inspections.sample_returns``) → imported and
tracked in working days → 整改情况通报 for 2018 → 培训计划 from 2018's findings, with release lists
for trainees invented for one district's 街镇 (``training.sample_ledger``) → their simulated
培训台账 pre-fills the training items of that district's round-2019 forms (TS-24 from the 街镇
staff, TS-25 from the village cadres), compared with the results the inspectors entered →
整改情况通报 for 2019 with the problems that came back after being reported fixed marked 反弹 →
that district's round-2019 督导检查报告 again, now marking 反弹 and citing the training figures.
Composes inspections, reports and training, so it lives beside ``toolkit.demo.run``, above the layers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

AREA = "loop"
ISSUED_2018 = "2019-01-07"      # assumed date the 2018 reports and 整改清单 went out
RETURNED_ON = dt.date(2019, 6, 28)
ROSTER_NAME = "示例花名册（按问题培训）.xlsx"
LEDGER_NAME = "培训台账.xlsx"
FORMS_2019 = "2019检查表格（预填培训数字）"
REPORTS_2019 = "2019督导报告（反弹与培训数字）"
FORMATS = ("html", "docx", "xlsx")        # what the stage writes and lists of each report run


def run_demo_stage(out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    from toolkit.checklists.text_table import format_table
    from toolkit.demo.inspections_demo import demo_store
    from toolkit.inspections.rectification.rectification_returns import SKIPPED, import_returns
    from toolkit.inspections.rectification.rectification_status import district_summary, problem_status, recurrences, unit_summary
    from toolkit.demo.sample_returns import fill_sample_returns
    from toolkit.inspections.scores.scores import list_districts
    from toolkit.policy import add_workdays
    from toolkit.reports.compose.inspection_round import run_round_reports

    folder = Path(out_dir) / AREA
    store = demo_store(out_dir)
    if not store.is_file():
        from toolkit.demo.sample_data import generate

        say("没有找到督导检查示例数据库，先生成示例数据……")
        store = generate(folder / "sample-data", say=say).store
    written: list[Path] = []
    say(f"1. 轮次 2018 的整改清单（下发日期按 {ISSUED_2018} 计）……")
    districts = list_districts(store, "2018")         # the districts' own books, not the city-wide one
    books = run_round_reports(str(store), "2018", districts, out=folder / "2018整改清单", formats=("xlsx",), force=True,
                              issue_date=ISSUED_2018, progress=False)
    paths = sorted(p for p in books.written if p.name == "整改清单.xlsx")
    say(f"2. 各街镇填报整改情况（示例：多数按期完成，部分逾期、整改中或未报送），{RETURNED_ON} 导入：")
    for path in paths:
        fill_sample_returns(path, 1, today=RETURNED_ON)
    records = import_returns(store, "2018", paths, imported_by="示例", today=RETURNED_ON)
    say(f"   已导入 {sum(r.action != SKIPPED for r in records)} 个街镇的整改清单")
    written += paths
    summary = district_summary(unit_summary(problem_status(store, "2018", as_of=RETURNED_ON)))
    say(format_table(list(summary.columns), [[*r[:-1], f"{r[-1]:.0%}"] for r in summary.itertuples(index=False)]))
    say("3. 整改情况通报（轮次 2018）……")
    written += _rectification_report(store, "2018", folder, say, as_of=RETURNED_ON.isoformat())
    written += _plan_and_train(store, folder, districts[0], say)
    say("6. 轮次 2019 的整改情况通报：标出 2018 年报告“已整改”、2019 年再次发现的问题（反弹）……")
    issued = issued_2019(store)
    written += _rectification_report(store, "2019", folder, say, as_of=add_workdays(issued, 10).date.isoformat(),
                                     issued=issued.isoformat())
    again = recurrences(store, "2019", "2018")
    say(f"   反弹问题 {len(again)} 处，涉及 {again['街镇'].nunique()} 个街镇")
    written += _district_report_2019(store, folder, districts[0], again, say, issued.isoformat())
    return written


def issued_2019(store) -> dt.date:
    """As the report stage assumes: the working day after 2019's inspection ended (never before it)."""
    from toolkit.inspections.store.round_dates import earliest_issue_date

    return earliest_issue_date(store, "2019")


def _district_report_2019(store, folder: Path, district: str, again, say, issued: str) -> list[Path]:
    """Step 7: the district's round-2019 report, made again now that 2018's returns and the training
    proposals are in the store: 反弹 marked against 2018, the 宣传与培训 figures cited."""
    from toolkit.reports.compose.inspection_round import run_round_reports

    mine = again[again["区"] == district]
    say(f"7. {district} 轮次 2019 的督导检查报告：与轮次 2018 比较标出反弹问题 {len(mine)} 处，"
        "并引用预填的培训数字（一、基本情况（五）宣传与培训）……")
    run = run_round_reports(str(store), "2019", [district], out=folder / REPORTS_2019, formats=FORMATS,
                            force=True, issue_date=issued, previous_round="2018", progress=False)
    return _documents(run, say)


def _documents(run, say) -> list[Path]:
    """Print a report run's summary; return the documents it wrote (not the notebooks or manifest)."""
    from toolkit.reports.compose import summary_text

    say(summary_text.render(run))
    return [p for p in run.written if p.suffix in tuple(f".{f}" for f in FORMATS)]


def _rectification_report(store, round_id: str, folder: Path, say, as_of: str, issued: str = "") -> list[Path]:
    from toolkit.reports.compose.rectification_round import run_rectification_report

    run = run_rectification_report(str(store), round_id, out=folder, force=True, progress=False, as_of=as_of,
                                   issued=issued, formats=FORMATS)
    return _documents(run, say)


def _plan_and_train(store, folder: Path, district: str, say) -> list[Path]:
    """Steps 4 and 5: the plan with release lists for one district's invented trainees, their
    simulated 培训台账, and that district's 2019 forms with the training items pre-filled."""
    from toolkit.checklists.text_table import format_table
    from toolkit.loop.course_plan import LISTS, TOWNS, write_plan
    from toolkit.inspections.store import store as st
    from toolkit.inspections.store.rounds import load_context
    from toolkit.loop.training_facts import write_forms_with_training
    from toolkit.reports.compose.training_figures import proposal_outcomes
    from toolkit.training.analytics.ledger import write_ledger
    from toolkit.loop.training_plan import unit_overview
    from toolkit.training.course.roster import write_roster_xlsx
    from toolkit.demo.sample_ledger import sample_town_roster, simulated_stats

    towns = sorted(u.name for u in load_context(st.open_store(store, create=False), "2019").units.values()
                   if u.district == district)
    roster = sample_town_roster(towns)
    roster_path = write_roster_xlsx(roster, folder / ROSTER_NAME)
    plan_path, plan, town_plans = write_plan(store, "2018", folder, roster=roster_path, assign=True)
    overview = unit_overview(plan)
    say(f"4. 培训计划：按轮次 2018 发现的问题，为 {len(overview)} 个街镇安排练习 → {plan_path}")
    say(f"   每个街镇一份培训计划（{len(town_plans)} 份）→ {folder / TOWNS}")
    say(f"   {district} {len(towns)} 个街镇的 {len(roster.trainees)} 名示例学员（花名册 {roster_path.name}）"
        f"按练习的发布名单 → {folder / LISTS}")
    mine = plan[plan["街镇"].isin(towns)]
    exercises = sorted(set(mine["练习"])) or sorted(set(plan["练习"]))[:1] or ["m01_means_test"]
    ledger = write_ledger(simulated_stats(roster, exercises), folder / LEDGER_NAME)
    say(f"5. 学员完成练习（模拟），培训台账 → {ledger}")
    say(f"   用它预填 {district} 轮次 2019 检查表格“宣传与培训”中的 TS-24（街镇经办人员）和 TS-25（村居干部）：")
    forms = write_forms_with_training(store, "2019", folder / FORMS_2019, [district], ledger, say=say)
    outcomes = proposal_outcomes(store, "2019")
    outcomes = outcomes[outcomes["区"] == district]
    counts = "，".join(f"{k} {int((outcomes['处理'] == k).sum())} 项" for k in ("采纳", "修改", "未导入"))
    say(f"   {len(forms)} 份表格 → {folder / FORMS_2019}")
    say(f"   建议值 {len(outcomes)} 项，与检查组已导入的结果相比：{counts}（jiuzhu inspect proposals --round 2019）")
    shown = outcomes.drop(columns=["来源"]).head(6)
    say(format_table(list(shown.columns), [list(r) for r in shown.itertuples(index=False)]))
    return [roster_path, plan_path, *town_plans, *sorted((folder / LISTS).glob("*.csv")), ledger, *forms]

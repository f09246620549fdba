"""``jiuzhu demo`` stage: the loop closed on the sample city.

Round 2018's 整改清单 (the real district reports, Excel only) → each 街镇 fills them in (some on
time, some late, some in progress, some silent; ``inspections.sample_returns``) → imported and
tracked in working days → 整改情况通报 for 2018 → 培训计划 from 2018's findings → 整改情况通报
for 2019 with the problems that came back after being reported fixed marked 反弹.  Composes
inspections, reports and training, so it lives beside ``toolkit.demo``, above the layers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

AREA = "loop"
ISSUED_2018 = "2019-01-07"      # assumed date the 2018 reports and 整改清单 went out
RETURNED_ON = dt.date(2019, 6, 28)
ISSUED_2019 = "2019-12-02"      # as the report stage assumes for 2019


def run_demo_stage(out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    from toolkit.checklists.text_table import format_table
    from toolkit.cli.course_plan import write_plan
    from toolkit.inspections.demo import demo_store
    from toolkit.inspections.rectification_returns import import_returns
    from toolkit.inspections.rectification_status import district_summary, problem_status, recurrences, unit_summary
    from toolkit.inspections.sample_returns import fill_sample_returns
    from toolkit.inspections.scores import list_districts
    from toolkit.reports import summary_text
    from toolkit.reports.inspection_round import run_round_reports
    from toolkit.reports.rectification_round import run_rectification_report
    from toolkit.training.plan import unit_overview

    folder = Path(out_dir) / AREA
    store = demo_store(out_dir)
    if not store.is_file():
        from toolkit.inspections.sample_data import generate

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
    say(f"   已导入 {len(records)} 个街镇的整改清单")
    written += paths
    summary = district_summary(unit_summary(problem_status(store, "2018", as_of=RETURNED_ON)))
    say(format_table(list(summary.columns), [[*r[:-1], f"{r[-1]:.0%}"] for r in summary.itertuples(index=False)]))
    say("3. 整改情况通报（轮次 2018）……")
    for round_id, issued, as_of in (("2018", "", RETURNED_ON.isoformat()), ("2019", ISSUED_2019, "2019-12-13")):
        run = run_rectification_report(str(store), round_id, out=folder, force=True, progress=False, as_of=as_of,
                                       issued=issued, formats=("html", "docx", "xlsx"))
        say(summary_text.render(run))
        written += [p for p in run.written if p.suffix in (".html", ".docx", ".xlsx")]
        if round_id == "2018":
            plan_path, plan = write_plan(store, "2018", folder)
            overview = unit_overview(plan)
            say(f"4. 培训计划：按轮次 2018 发现的问题，为 {len(overview)} 个街镇安排练习 → {plan_path}")
            written.append(plan_path)
            say("5. 轮次 2019 的整改情况通报：标出 2018 年报告“已整改”、2019 年再次发现的问题（反弹）……")
    again = recurrences(store, "2019", "2018")
    say(f"   反弹问题 {len(again)} 处，涉及 {again['街镇'].nunique()} 个街镇")
    return written

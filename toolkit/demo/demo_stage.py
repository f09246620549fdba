"""``jiuzhu demo`` stage: the full set of supervision reports for the latest sample round.

Runs after the supervision stage and uses the sample store it wrote
(``toolkit.demo.inspections_demo.demo_store``); when run on its own it generates the sample data
first under ``<out>/reports/sample-data``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

FORMATS = ("html", "docx", "xlsx", "pdf")


def run_demo_stage(out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    from toolkit.demo.inspections_demo import demo_store
    from toolkit.inspections.scores.scores import list_rounds
    from toolkit.fonts import NO_CJK_FONT, find_cjk_font
    from toolkit.reports.compose.inspection_round import run_round_reports
    from toolkit.reports.compose import summary_text

    folder = Path(out_dir) / "reports"
    store = demo_store(out_dir)
    if not store.is_file():
        from toolkit.demo.sample_data import generate

        say("没有找到督导检查示例数据库，先生成示例数据……")
        store = generate(folder / "sample-data", say=say).store
    round_id = list_rounds(store)[-1]
    issue_date = f"{round_id[:4]}-12-02"  # assumed date the sample reports are issued
    if find_cjk_font() is None:
        say(NO_CJK_FONT)
    say(f"用示例数据库 {store} 生成轮次 {round_id} 的各区报告和全市汇总（下发日期按 {issue_date} 计）……")
    summary = run_round_reports(str(store), round_id, out=folder, formats=FORMATS, force=True,
                                issue_date=issue_date, progress=True)
    say(summary_text.render(summary))
    return [p for p in summary.written if p.suffix in (".html", ".docx", ".xlsx", ".pdf", ".json")]

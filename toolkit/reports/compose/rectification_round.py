"""整改情况通报 for one round: one notebook job (``notebooks/rectification_report.ipynb``).

Like ``inspection_round`` it checks the round and district against the store before any kernel
starts (through ``toolkit.inspections.rectification.rectification_status``), then hands the job to the runner.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.errors import InputError
from toolkit.reports.compose.inspection_round import DEFAULT_TIMEOUT, NOTEBOOK_DIR
from toolkit.reports.runner.jobs import DEFAULT_FORMATS, NotebookJob

RECTIFICATION_NOTEBOOK = NOTEBOOK_DIR / "rectification_report.ipynb"
REPORT_NAME = "整改情况通报"
CITY = "全市"


def plan_rectification_report(store: str, round_id: str, district: str | None = None, *, as_of: str = "",
                              issued: str = "", previous_round: str = "", formats=DEFAULT_FORMATS,
                              timeout: float = DEFAULT_TIMEOUT) -> NotebookJob:
    """Validate the inputs (a wrong name fails here, not in a kernel) and return the job."""
    from toolkit.reports.compose.rectification_report import TITLE
    from toolkit.inspections.rectification.rectification_status import problem_status
    from toolkit.inspections.scores.scores import list_rounds, load_round_scores

    if "://" not in str(store):
        if not Path(store).is_file():
            raise InputError("--store", str(store), "不存在", "请指定督导检查数据库文件")
        store = str(Path(store).resolve())
    rounds = list_rounds(store)
    for option, value in (("--round", round_id), ("--previous-round", previous_round)):
        if value and value not in rounds:
            raise InputError(option, value, "不是检查数据库中的轮次", f"可选轮次：{'、'.join(rounds) or '（无）'}")
    for option, value in (("--as-of", as_of), ("--issued", issued)):
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError as err:
                raise InputError(option, value, "不是有效日期", "请写成 2020-01-15 这样的格式") from err
    # the same checks the notebook meets (unknown district, no 下发日期), before a kernel starts
    problem_status(store, round_id, district, as_of=dt.date.fromisoformat(as_of) if as_of else None,
                   issued=dt.date.fromisoformat(issued) if issued else None)
    title = f"{district or ''}{TITLE}"
    return NotebookJob(name=district or CITY, notebook=RECTIFICATION_NOTEBOOK,
                       parameters={"round_id": round_id, "store": str(store), "district": district or "",
                                   "previous_round": previous_round, "as_of": as_of, "issued": issued,
                                   "title": title},
                       title=title, formats=tuple(formats), timeout=timeout,
                       sample=bool(load_round_scores(store, round_id).is_sample))


def run_rectification_report(store: str, round_id: str, district: str | None = None, *,
                             out: Path = Path("build/reports"), force: bool = False, progress: bool = True,
                             **options):
    """Run the 整改情况通报 into ``out/<round_id>/整改情况通报/全市/`` (or ``…/<district>/``)."""
    from toolkit.reports.runner.runner import run_notebooks

    job = plan_rectification_report(store, round_id, district, **options)
    inputs = {"store": Path(store)} if Path(str(store)).is_file() else {}
    return run_notebooks([job], Path(out) / round_id / REPORT_NAME, workers=1, force=force, progress=progress,
                         inputs=inputs, manifest_extra={"round": round_id, "report": REPORT_NAME})

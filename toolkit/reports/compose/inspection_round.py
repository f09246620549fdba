"""Supervision reports for one inspection round: every district and the city summary.

The only part of ``toolkit.reports`` that knows the inspection store (through the scores API of
``toolkit.inspections.scores.scores``, one layer down); it knows nothing of policy.  It checks the
round and district names against the store before any kernel starts, turns them into
:class:`NotebookJob` s for ``inspections/*.ipynb`` and hands them to the generic runner.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from toolkit.errors import InputError, UserError
from toolkit.reports.runner.jobs import DEFAULT_FORMATS, JobFailure, JobResult, NotebookJob

NOTEBOOK_DIR = Path(str(resources.files("toolkit.inspections.notebooks")))  # package data: the top-level inspections/
DISTRICT_NOTEBOOK = NOTEBOOK_DIR / "district_report.ipynb"
SUMMARY_NOTEBOOK = NOTEBOOK_DIR / "cross_district_summary.ipynb"
SUMMARY_NAME = "全市汇总"
DEFAULT_TIMEOUT = 600.0


def plan_round(store: str, round_id: str, districts: list[str] | None = None, *,
               formats=DEFAULT_FORMATS, issue_date: str = "", timeout: float = DEFAULT_TIMEOUT,
               previous_round: str = ""):
    """Validate names against the store and return ``(jobs, unrunnable, manifest_extra)``.

    ``previous_round`` (compared with, and whose 已整改 returns mark 反弹): default the round before.

    ``unrunnable`` are districts known to the round but without imported data: they are listed
    as failures without starting a kernel, and the other districts still run.
    """
    from toolkit.inspections.store import store as st
    from toolkit.inspections.store.rounds import load_context
    from toolkit.inspections.scores.scores import list_districts, list_rounds, load_round_scores

    if "://" not in str(store):
        if not Path(store).is_file():
            raise InputError("--store", str(store), "不存在",
                             "请指定督导检查数据库文件（可先用 jiuzhu sample-data 生成示例数据）")
        # Kernels run in other working directories: hand them an absolute path.
        store = str(Path(store).resolve())
    rounds = list_rounds(store)
    for option, value in (("--round", round_id), ("--previous-round", previous_round)):
        if (value or option == "--round") and value not in rounds:
            raise InputError(option, value, "不是检查数据库中的轮次",
                             f"可选轮次：{'、'.join(rounds) or '（数据库中还没有轮次）'}")
    if previous_round == round_id:
        raise InputError("--previous-round", previous_round, "与 --round 相同",
                         "请给出要与之比较的另一个轮次，或不加此选项（自动取上一轮）")
    from toolkit.inspections.store import round_kinds as rk

    ctx = load_context(st.open_store(store, create=False), round_id)
    planned = sorted(ctx.teams)                                  # districts inspected this round
    with_data = set(list_districts(store, round_id))
    unknown = [d for d in districts or [] if d not in planned]
    if unknown:
        raise UserError(f"--district：轮次 {round_id} 的{ctx.kind}计划中没有 {'、'.join(unknown)}。"
                        f"可选的区：{'、'.join(planned)}")
    if issue_date:
        try:
            dt.date.fromisoformat(issue_date)
        except ValueError as err:
            raise InputError("--issue-date", issue_date, "不是有效日期", "请写成 2025-03-03 这样的格式") from err
    scores = load_round_scores(store, round_id)
    chosen = list(dict.fromkeys(districts)) if districts else planned
    common = {"round_id": round_id, "store": str(store), "issue_date": issue_date, "previous_round": previous_round}
    formats = tuple(formats)
    jobs, unrunnable = [], []
    for district in chosen:
        if district not in with_data:
            unrunnable.append(JobResult(
                name=district, ok=False, output_dir="", failure=JobFailure(
                    kind="data", message=f"轮次 {round_id} 中没有{district}的检查数据，请先导入该区的检查表")))
            continue
        jobs.append(NotebookJob(name=district, notebook=DISTRICT_NOTEBOOK,
                                parameters={**common, "district": district,
                                            "title": rk.report_title(ctx.kind, district)},
                                title=rk.report_title(ctx.kind, district), formats=formats, timeout=timeout,
                                sample=bool(scores.is_sample)))
    if not districts:  # the whole round: the city (or, with one district, the district) summary too
        # The summary reads the store, not the district reports, and takes longest: start it first.
        summary_title = rk.summary_title(ctx.kind, planned)
        jobs.append(NotebookJob(name=rk.summary_name(planned), notebook=SUMMARY_NOTEBOOK,
                                parameters={**common, "title": summary_title},
                                title=summary_title, formats=formats, timeout=timeout,
                                sample=bool(scores.is_sample), priority=1))
    # the manifest names the store without a password (give one through PGPASSWORD or ~/.pgpass)
    extra = {"round": round_id, "kind": ctx.kind, "store": st.shown_store(store), "sample_data": bool(scores.is_sample),
             "checklists": scores.checklists.to_dict(orient="records")}
    return jobs, unrunnable, extra


def run_round_reports(store: str, round_id: str, districts: list[str] | None = None, *,
                      out: Path = Path("build/reports"), workers: int | None = None,
                      scheduler: str | None = None, formats=DEFAULT_FORMATS, force: bool = False,
                      issue_date: str = "", timeout: float = DEFAULT_TIMEOUT, progress: bool = True,
                      previous_round: str = ""):
    """Run the round's reports into ``out/<round_id>/``; returns the runner's ``RunSummary``."""
    import os

    from toolkit.reports.runner.executors import open_executor, warm_up
    from toolkit.reports.runner.runner import run_notebooks

    workers = workers or os.cpu_count() or 1
    if districts:
        workers = min(workers, len(set(districts)))
    # Workers start (and import papermill) while the store is checked; no kernel starts
    # before every name has been validated.
    with open_executor(workers, scheduler, (DISTRICT_NOTEBOOK, SUMMARY_NOTEBOOK)) as (executor, description):
        warm_up(executor, workers, (DISTRICT_NOTEBOOK, SUMMARY_NOTEBOOK))
        jobs, unrunnable, extra = plan_round(store, round_id, districts, formats=formats,
                                             issue_date=issue_date, timeout=timeout, previous_round=previous_round)
        inputs = {"store": Path(store)} if Path(str(store)).is_file() else {}
        return run_notebooks(jobs, Path(out) / round_id, force=force, progress=progress,
                             inputs=inputs, manifest_extra=extra, pre_failed=unrunnable,
                             executor=(executor, description))

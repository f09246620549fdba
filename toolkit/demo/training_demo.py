"""The training stage of ``jiuzhu demo``: course → release → simulated trainees → grade → feedback → report.

Everything is written under ``<out>/training/``: a fresh copy of the course (``course/``), the
sample roster workbook, the gradebook, feedback HTML and the training report.  The sample roster
has 60 fictional cadres; to stay within about three minutes on two cores every trainee submits
the first assignment (``DEMO_ASSIGNMENTS``) while all six assignments are built and released.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

DEMO_ASSIGNMENTS = ("m01_means_test",)
DEMO_DUE = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)     # 18:00 Beijing time
ROSTER_NAME = "示例花名册.xlsx"


def run_demo_stage(out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    from toolkit.training.course.course import course
    from toolkit.training.course.course import ensure_venv_on_path
    from toolkit.training.course.course_config import write_course_config
    from toolkit.training.grading.grading import format_summary, grade_course
    from toolkit.training.analytics.report import write_training_report
    from toolkit.training.course.course import import_roster
    from toolkit.training.course.roster import write_roster_xlsx
    from toolkit.training.course.simulate import plan_kinds, sample_roster, set_due_dates, simulate_submissions

    ensure_venv_on_path()
    area = Path(out_dir) / "training"
    root = area / "course"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    write_course_config(root)

    say("生成并发布六个练习……")
    course.build(root)
    course.release(root)

    roster = sample_roster(60)
    roster_file = write_roster_xlsx(roster, area / ROSTER_NAME)
    import_roster(root, roster_file)
    set_due_dates(root, {a: DEMO_DUE for a in DEMO_ASSIGNMENTS})
    say(f"导入示例花名册：{len(roster.trainees)} 名学员（均为虚构）。")
    course.cases(root, None, [t.id for t in roster.trainees])
    say("已为每位学员生成各自的案例（不含答案，位于 course/cases/）。")

    plan = plan_kinds([t.id for t in roster.trainees], list(DEMO_ASSIGNMENTS))
    made = simulate_submissions(root, plan, due={a: DEMO_DUE for a in DEMO_ASSIGNMENTS})
    kinds = {k: sum(m.kind == k for m in made) for k in dict.fromkeys(m.kind for m in made)}
    say(f"模拟提交 {len(made)} 份：" + "，".join(f"{KIND_TEXT[k]} {n}" for k, n in kinds.items()))

    run = grade_course(root, jobs=2, timeout=120)
    say(format_summary(run))

    say("生成反馈……")
    feedback = course.feedback(root, list(DEMO_ASSIGNMENTS)).written
    report = write_training_report(root, area / "report")
    written = [roster_file, *report.values()]
    if feedback:
        written.append(feedback[0].parents[2])          # the feedback folder
    written.append(Path(root / "gradebook.db"))
    return written


KIND_TEXT = {"correct": "全对", "partly_wrong": "部分答错", "blank": "空白", "broken": "文件损坏",
             "tampered": "改动了测试单元格", "late": "逾期"}

"""``jiuzhu course report``: statistics, charts with Chinese labels and the ledger workbook.

Writes into the output folder: ``培训台账.xlsx`` (ledger and all tables, charts embedded),
``规则答错比例.png``, ``题目答错比例.png`` and ``街镇完成率与通过率.png``.  Every file is written to
a temporary name first and renamed into place.  Outputs made from the sample roster carry
"示例数据" in their titles.
"""

from __future__ import annotations

from pathlib import Path

from toolkit import SAMPLE_MARK
from toolkit.errors import InputError
from toolkit.training.analytics.analytics import TrainingStats, collect

LEDGER_NAME = "培训台账.xlsx"


def write_training_report(course_root, out_dir, *, db_url: str | None = None,
                          pass_rate: float = 0.6) -> dict[str, Path]:
    """Compute the statistics of a course and write the ledger and charts; return the paths."""
    from toolkit.training.course.course import load_course
    from toolkit.training.course.roster import load_roster

    if not 0 < pass_rate <= 1:
        raise InputError("--pass-rate", pass_rate, "应在 0 到 1 之间", "例如 0.6 表示得分率 60% 及以上为通过")
    _, coursedir = load_course(Path(course_root), db_url)
    roster = load_roster(coursedir.db_url)
    stats = collect(coursedir.db_url, roster, pass_rate=pass_rate, course_id=coursedir.course_id)
    return write_outputs(stats, Path(out_dir))


def write_outputs(stats: TrainingStats, out_dir: Path) -> dict[str, Path]:
    from toolkit.training.analytics.ledger import write_ledger

    out_dir.mkdir(parents=True, exist_ok=True)
    charts = write_charts(stats, out_dir)
    ledger = write_ledger(stats, out_dir / LEDGER_NAME, list(charts.values()))
    return {"培训台账": ledger, **charts}


def format_report_paths(paths: dict[str, Path]) -> str:
    return "已生成培训统计：\n" + "\n".join(f"  {name}：{path}" for name, path in paths.items())


# --------------------------------------------------------------------------- charts

def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from toolkit.fonts import use_cjk_font

    use_cjk_font()
    return plt


def _title(text: str, sample: bool) -> str:
    return f"{text}（{SAMPLE_MARK}）" if sample else text


def _save(fig, path: Path) -> Path:
    from toolkit.files import atomic_path

    with atomic_path(path, ".png") as tmp:
        fig.savefig(tmp, dpi=130, bbox_inches="tight")
    return path


def write_charts(stats: TrainingStats, out_dir: Path) -> dict[str, Path]:
    plt = _pyplot()
    written: dict[str, Path] = {}

    rules = stats.rules.head(15).iloc[::-1]
    if not rules.empty:
        labels = [name or "（未命名规则）" for name in rules["规则名称"]]
        fig, ax = plt.subplots(figsize=(8, 0.45 * len(rules) + 1.6))
        bars = ax.barh(labels, rules["答错比例"] * 100, color="#c0504d")
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in rules["答错比例"]], padding=3, fontsize=9)
        ax.set_xlim(0, 110)
        ax.set_xlabel("答错比例（%）")
        ax.set_title(_title("各规则答错比例（答错或部分答错的人次占比）", stats.sample))
        written["规则答错比例图"] = _save(fig, out_dir / "规则答错比例.png")
        plt.close(fig)

    questions = stats.questions
    if not questions.empty:
        labels = [f"{a[:3]} {q}" for a, q in zip(questions["练习"], questions["题号"])]
        fig, ax = plt.subplots(figsize=(max(6, 0.38 * len(questions) + 2), 4))
        ax.bar(labels, questions["答错比例"] * 100, color="#4f81bd")
        ax.set_ylim(0, 100)
        ax.set_ylabel("答错比例（%）")
        ax.set_title(_title("各题答错比例", stats.sample))
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        written["题目答错比例图"] = _save(fig, out_dir / "题目答错比例.png")
        plt.close(fig)

    towns = stats.towns
    if not towns.empty:
        fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(towns) + 2), 4))
        positions = range(len(towns))
        ax.bar([p - 0.2 for p in positions], towns["完成率"] * 100, width=0.4, label="完成率", color="#4f81bd")
        ax.bar([p + 0.2 for p in positions], towns["通过率"] * 100, width=0.4, label="通过率", color="#9bbb59")
        ax.set_xticks(list(positions), towns["街镇"])
        ax.set_ylim(0, 118)
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel("%")
        ax.legend(loc="upper center", ncol=2, frameon=False)
        ax.set_title(_title(f"各街镇完成率与通过率（通过线 {stats.pass_rate:.0%}）", stats.sample))
        written["街镇完成率与通过率图"] = _save(fig, out_dir / "街镇完成率与通过率.png")
        plt.close(fig)
    return written

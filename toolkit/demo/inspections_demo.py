"""The supervision stage of ``jiuzhu demo``: sample data → plan → forms → import → scores.

Writes under ``out_dir/supervision/``; the store the report stage reads is
``out_dir/supervision/jiuzhu.sqlite`` (rounds 2018 and 2019).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from toolkit.demo.sample_data import generate
from toolkit.inspections.scores.scores import load_round_scores
from toolkit.inspections.scores.views import import_text, scores_text

AREA = "supervision"


def demo_store(out_dir: Path) -> Path:
    """Where the demo's inspection store is (for later demo stages)."""
    return Path(out_dir) / AREA / "jiuzhu.sqlite"


def run_demo_stage(out_dir: Path, say: Callable[[str], None], checklists=None) -> list[Path]:
    """``checklists``: the bureau's own (``jiuzhu demo --checklists 目录``), else the packaged ones."""
    folder = Path(out_dir) / AREA
    say("生成示例数据（示例市，均为虚构），制定两轮互检计划，生成并填写检查表格，校验后导入：")
    result = generate(folder, seed=1, say=say, checklists=checklists)
    say(import_text(result.imports["2019"][:5]) + f"\n  …… 共 {len(result.imports['2019'])} 个街镇")
    text = scores_text(load_round_scores(result.store, "2019"))
    say(text)
    scores_file = folder / "scores_2019.txt"
    scores_file.write_text(text + "\n", encoding="utf-8")
    return [result.store, *result.plans, folder / "forms" / "2018", folder / "forms" / "2019", scores_file]

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
    errors = rejected_form(result.store, result.forms[-1], folder / "forms" / MISTAKES, say)
    return [result.store, *result.plans, folder / "forms" / "2018", folder / "forms" / "2019", scores_file, errors]


MISTAKES = "填错的表格（示例）"


def rejected_form(store: Path, form: Path, folder: Path, say: Callable[[str], None]) -> Path:
    """A copy of a 2019 form with a 受理日期 that is no date, imported: refused whole, with the
    error list written beside it (what an inspection team sends back to be corrected)."""
    import shutil

    from openpyxl import load_workbook

    from toolkit.files import save_workbook
    from toolkit.inspections.forms.forms import FIRST_ROW
    from toolkit.inspections.intake.importer import ImportRejected, import_files

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("导入错误清单_*.xlsx"):
        old.unlink()
    bad = folder / form.name
    shutil.copy(form, bad)
    book = load_workbook(bad)
    sheet = book.worksheets[-1]                                 # 低保档案材料核查表
    column = [c.value for c in sheet[FIRST_ROW - 1]].index("受理日期") + 1
    sheet.cell(FIRST_ROW, column, "2019年13月45日")
    save_workbook(book, bad)
    try:
        import_files(store, "2019", [bad])
    except ImportRejected as rejected:
        say(f"一份填错的表格（受理日期写成 2019年13月45日）：整份不导入，错误清单 → {rejected.report}")
        return rejected.report
    raise RuntimeError("the form with a bad date was imported")

"""``jiuzhu demo``: the end-to-end story on built-in sample data.

Each flow contributes one stage: a function ``(out_dir: Path, say) -> list[Path]`` that writes
its outputs under ``out_dir`` and returns the paths it wrote.  Stages run in order; every path
is printed so a user knows where to look.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Callable

# (stage name, title shown to the user, "module:function" — each stage's module is imported only when
# its turn comes, so the first lines appear at once; every target is a module of toolkit.demo)
STAGES: list[tuple[str, str, str]] = [
    ("policy", "一、低保政策计算示例", "toolkit.demo.run:policy_stage"),
    ("inspections", "二、督导检查数据：示例数据、互检计划、检查表格、导入与评分",
     "toolkit.demo.inspections_demo:run_demo_stage"),
    ("reports", "三、督导检查报告：各区报告与全市汇总", "toolkit.demo.demo_stage:run_demo_stage"),
    ("training", "四、政策培训：模拟学员的评分、反馈与培训台账", "toolkit.demo.training_demo:run_demo_stage"),
    ("loop", "五、整改闭环：整改清单填报与跟踪、整改情况通报、按问题制定培训计划、反弹标记",
     "toolkit.demo.loop_demo:run_demo_stage"),
]


def run(out_dir: Path, say: Callable[[str], None] = print, options: dict | None = None) -> list[Path]:
    """Run every stage; ``options``: keyword arguments per stage name (e.g. ``{"inspections": {"checklists": …}}``)."""
    options = options or {}
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, title, target in STAGES:
        module_name, func_name = target.split(":")
        say(f"\n=== {title} ===")
        started = time.perf_counter()
        stage = getattr(importlib.import_module(module_name), func_name)
        paths = stage(out_dir, say, **options.get(name, {}))
        written.extend(paths)
        say(f"（用时 {time.perf_counter() - started:.1f} 秒）")
    say("\n=== 输出文件 ===")
    for path in written:
        say(f"  {path}")
    return written


def _write_json(path: Path, data) -> Path:
    import json

    from toolkit.files import write_text_atomic

    return write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2))


def policy_stage(out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    """Worked households and timelines through the policy engine; JSON results under policy/."""
    from toolkit import SAMPLE_MARK
    from toolkit.policy import assess, check_procedure
    from toolkit.policy.examples import HOUSEHOLDS, TIMELINES

    folder = out_dir / "policy"
    written = []
    for index, (title, household) in enumerate(HOUSEHOLDS, 1):
        result = assess(household)
        verdict = (f"符合条件，月低保金 {result['monthly_benefit']:.2f} 元" if result["eligible"]
                   else "不符合条件：" + "；".join(result["reasons"]))
        say(f"[{SAMPLE_MARK}] 家庭{index}：{title}")
        say(f"    标准 {result['standard']} 元，{result['household_size']} 人，计入收入 {result['counted_income']:.2f} 元，"
            f"人均 {result['per_capita_income']:.2f} 元 → {verdict}")
        for item in result["supplements"]:
            say(f"    分类施保：{item['member']} 每月增发 {item['monthly_amount']:.2f} 元（{item['basis']}）")
        written.append(_write_json(folder / f"household_{index}.json",
                                   {"mark": SAMPLE_MARK, "title": title, "result": result}))
    for index, (title, case) in enumerate(TIMELINES, 1):
        result = check_procedure(case)
        say(f"[{SAMPLE_MARK}] 案件{index}：{title}")
        if result["compliant"]:
            say(f"    适用 {result['rule_set_title']}：流程合规")
        for violation in result["violations"]:
            say(f"    ✗ {violation['message']}（{violation['basis']}）")
        written.append(_write_json(folder / f"timeline_{index}.json",
                                   {"mark": SAMPLE_MARK, "title": title, "result": result}))
    return written

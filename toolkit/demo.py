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

# (title shown to the user, "module:function")
STAGES: list[tuple[str, str]] = [
    ("一、低保政策计算示例", "toolkit.policy.examples:run_demo_stage"),
]


def run(out_dir: Path, say: Callable[[str], None] = print) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for title, target in STAGES:
        module_name, func_name = target.split(":")
        say(f"\n=== {title} ===")
        started = time.perf_counter()
        stage = getattr(importlib.import_module(module_name), func_name)
        paths = stage(out_dir, say)
        written.extend(paths)
        say(f"（用时 {time.perf_counter() - started:.1f} 秒）")
    say("\n=== 输出文件 ===")
    for path in written:
        say(f"  {path}")
    return written

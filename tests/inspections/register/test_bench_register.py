"""bench/register_import.py runs end to end on a tiny register (the figures are printed, not asserted)."""

import importlib.util
from pathlib import Path

import pytest


@pytest.mark.slow
def test_register_benchmark_runs_tiny(capsys):
    path = Path(__file__).resolve().parents[3] / "bench" / "register_import.py"
    spec = importlib.util.spec_from_file_location("register_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--size", "40"]) == 0
    out = capsys.readouterr().out
    assert "register import of 40 households" in out and "re-import as GB18030 CSV" in out

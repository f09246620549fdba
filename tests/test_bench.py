"""Benchmarks cannot rot: every bench/*.py imports, follows the convention of bench/README.md and
runs end to end on its tiny size.  Figures are printed by the benchmarks, never asserted here."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
MODULES = sorted(BENCH.glob("*.py"))


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_benchmarks_and_make_bench_runs_them_all():
    assert len(MODULES) >= 5
    makefile = (BENCH.parent / "Makefile").read_text(encoding="utf-8")
    assert "bench/*.py" in makefile


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_benchmark_imports_and_follows_the_convention(path):
    module = load(path)
    assert callable(getattr(module, "main", None)), f"{path.name}: no main(argv)"
    assert list(inspect.signature(module.main).parameters) == ["argv"], f"{path.name}: main(argv=None)"
    assert isinstance(getattr(module, "TINY_ARGS", None), list), f"{path.name}: no TINY_ARGS"
    assert 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_benchmark_runs_on_its_tiny_size(path, capfd):
    module = load(path)
    module.main(list(module.TINY_ARGS))
    out, _ = capfd.readouterr()
    assert any(ch.isdigit() for ch in out), f"{path.name} printed no figures:\n{out[-2000:]}"

"""The built wheel ships what the repository holds: every toolkit module and data file, the default
checklists of the top-level ``checklists/`` and the notebooks of the top-level ``inspections/``
(mapped into the package by ``package-dir`` in pyproject.toml), and nothing at the top level but
``toolkit``."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".ipynb", ".css", ".html", ".txt", ".j2"}
MAPPED = {"checklists": "toolkit/checklists/defaults", "inspections": "toolkit/inspections/notebooks"}


def _repo_files() -> set[str]:
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "toolkit").rglob("*")
             if p.is_file() and p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts}
    for folder, package in MAPPED.items():
        files |= {f"{package}/{p.name}" for p in (ROOT / folder).iterdir() if p.suffix in DATA_SUFFIXES}
    return files


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, timeout=600)
    (wheel,) = out.glob("jiuzhu_toolkit-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


@pytest.mark.slow
def test_wheel_ships_checklists_and_inspection_notebooks(wheel_names):
    checklists = {n for n in wheel_names if n.startswith("toolkit/checklists/defaults/") and n.endswith(".yaml")}
    notebooks = {n for n in wheel_names if n.startswith("toolkit/inspections/notebooks/") and n.endswith(".ipynb")}
    assert {Path(n).name for n in checklists} == {p.name for p in (ROOT / "checklists").glob("*.yaml")} != set()
    assert {Path(n).name for n in notebooks} == {p.name for p in (ROOT / "inspections").glob("*.ipynb")} >= {
        "district_report.ipynb", "cross_district_summary.ipynb", "rectification_report.ipynb", "data_entry.ipynb"}


@pytest.mark.slow
def test_wheel_ships_every_module_and_data_file_and_nothing_else_at_the_top(wheel_names):
    missing = sorted(_repo_files() - wheel_names)
    assert not missing, f"missing from the wheel (list the package in pyproject.toml): {missing[:20]}"
    tops = {n.split("/", 1)[0] for n in wheel_names if not n.split("/", 1)[0].endswith((".dist-info", ".data"))}
    assert tops == {"toolkit"}
    # data-files: only the phone app's Voilà template, where Voilà looks (<prefix>/share/jupyter)
    data = {n.split("/", 1)[1] for n in wheel_names if n.split("/", 1)[0].endswith(".data")}
    template = "toolkit/training/app/share/voila/templates/jiuzhu/"
    assert data == {"data/share/jupyter/voila/templates/jiuzhu/" + n[len(template):]
                    for n in wheel_names if n.startswith(template)} != set()

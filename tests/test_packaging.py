"""Set-up files stay in step: environment.yml lists exactly pyproject.toml's requirements."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_norm(r) for r in pip if not r.startswith("-e")}
    assert listed == {_norm(r) for r in project["dependencies"]}
    assert "-e .[dev]" in pip


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


def test_top_level_layout():
    for name in ("courses", "toolkit", "tests", "bench",
                 "environment.yml", "README.md", "pyproject.toml", "Makefile"):
        assert (ROOT / name).exists(), name


def test_every_toolkit_folder_is_a_listed_package():
    """pyproject lists its packages (package-dir mappings rule out discovery): a new folder must be listed."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    folders = {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "toolkit").rglob("*")
               if p.is_dir() and p.name != "__pycache__" and any(f.is_file() for f in p.iterdir())}
    folders.add("toolkit")
    assert not folders - listed, f"add to [tool.setuptools] packages: {sorted(folders - listed)}"

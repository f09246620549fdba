"""``manifest.json``: what went in (input hashes, checklist versions, parameters, versions) and
what came out (files with hashes, timings) of a report run."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from toolkit.files import sha256_file, write_text_atomic
from toolkit.reports.runner.jobs import JobResult, NotebookJob

MANIFEST_NAME = "manifest.json"
_PACKAGES = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client",
             "pandas", "numpy", "matplotlib", "python-docx", "openpyxl", "weasyprint",
             "distributed", "chinesecalendar", "SQLAlchemy")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "未安装"
    return versions


def write_manifest(out_dir: Path, *, jobs: list[NotebookJob], results: list[JobResult],
                   inputs: dict[str, Path], extra: dict, executor: str, wall_s: float) -> Path:
    """Write ``out_dir/manifest.json``; entries of jobs not in this run are kept from before."""
    from toolkit import __version__

    path = Path(out_dir) / MANIFEST_NAME
    previous = {}
    if path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8")).get("jobs", {})
        except (OSError, ValueError):
            previous = {}
    by_name = {job.name: job for job in jobs}
    entries = dict(previous)
    for result in results:
        job = by_name.get(result.name)
        folder = Path(out_dir) / result.name
        outputs = {}
        if result.ok and folder.is_dir():
            outputs = {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.is_file()}
        entries[result.name] = {
            "notebook": Path(job.notebook).name if job else None,
            "parameters": {k: v for k, v in job.parameters.items() if k != "output_dir"} if job else {},
            "ok": result.ok,
            "failure": result.failure.describe() if result.failure else None,
            "attempts": result.attempts,
            "timings": result.timings,
            "worker": result.worker,
            "outputs": outputs,
        }
    notebooks = {Path(job.notebook).name: Path(job.notebook) for job in jobs}
    manifest = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "toolkit_version": __version__,
        "python": platform.python_version(),
        "packages": package_versions(),
        "executor": executor,
        "inputs": {name: {"path": str(p), "sha256": sha256_file(p)}
                   for name, p in {**inputs, **notebooks}.items() if Path(p).is_file()},
        **extra,
        "wall_s": round(wall_s, 3),
        "jobs": entries,
    }
    write_text_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return path

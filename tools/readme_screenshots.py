"""Regenerate the README pictures: a district report's first page, its first findings page and
a form page, printed by LibreOffice to PDF and rasterised with pdftoppm (poppler-utils).

    .venv/bin/python tools/readme_screenshots.py build/demo   # after `make demo`
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from toolkit.reports.export.office import convert

IMG = Path(__file__).resolve().parents[1] / "docs" / "img"
DPI = "70"


def _page_with(pdf: Path, text: str) -> int:
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    return next(n for n, page in enumerate(pages, start=1) if text in page)


def _png(pdf: Path, page: int, name: str) -> Path:
    stem = IMG / name
    subprocess.run(["pdftoppm", "-r", DPI, "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def main(demo: Path) -> None:
    report = next((demo / "reports").glob("*/东湖区/报告.docx"))
    form = sorted((demo / "supervision" / "forms").glob("*/*东湖区*.xlsx"))[-1]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = convert(report, "pdf", Path(tmp))
        print(_png(pdf, 1, "report-first-page"))
        print(_png(pdf, _page_with(pdf, "方面的问题"), "report-findings-page"))
        sheet = convert(form, "pdf", Path(tmp))
        print(_png(sheet, _page_with(sheet, "评分标准"), "form-page"))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/demo"))

"""HTML report → PDF with weasyprint (pure Python, embeds the CJK font it finds)."""

from __future__ import annotations

from pathlib import Path

from toolkit.files import atomic_path


def html_to_pdf(html: str, target: Path) -> Path:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with atomic_path(Path(target), suffix=".pdf") as tmp:
        HTML(string=html).write_pdf(str(tmp))
    return Path(target)

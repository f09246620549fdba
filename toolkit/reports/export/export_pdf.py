"""report.pdf: the 报告.docx as printed — LibreOffice's rendering of the same file, fonts
embedded — so the PDF an office files is the document it signs (``docx_to_pdf``).  The HTML
stays the on-screen version; ``html_to_pdf`` (weasyprint) prints an HTML page as it is.
"""

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


def docx_to_pdf(docx: Path, target: Path) -> Path:
    """Render ``docx`` with LibreOffice into ``target`` (written beside it, renamed into place)."""
    import tempfile

    from toolkit.reports.export.office import convert

    target = Path(target)
    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=target.parent) as folder:
        rendered = convert(Path(docx), "pdf", Path(folder))
        with atomic_path(target, suffix=".pdf") as tmp:
            rendered.replace(tmp)
    return target

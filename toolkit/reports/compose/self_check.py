"""Extra Word documents a notebook writes beside its report, built without showing them in the page.

A 自查 round's district notebook writes each 街镇's own 自查报告 this way
(``toolkit.inspections.report_body.self_check_documents`` says what they contain; this module only
builds and saves them, so the report runner stays apart from the inspection store).
"""

from __future__ import annotations

from pathlib import Path


def write_documents(documents, output_dir, formats="html,docx,xlsx", *, subtitle: str = "",
                    sample: bool = False) -> list[Path]:
    """``documents``: (file name, title, compose(doc)); one .docx each when 'docx' is in ``formats``."""
    from toolkit import SAMPLE_MARK
    from toolkit.reports.export.document import ReportDocument, quiet
    from toolkit.reports.export.export_docx import write_docx

    wanted = {f.strip() for f in (formats.split(",") if isinstance(formats, str) else formats)}
    if "docx" not in wanted:
        return []
    written = []
    with quiet():
        for name, title, compose in documents:
            doc = ReportDocument(title, subtitle=subtitle, sample=sample)
            compose(doc)
            written.append(write_docx(Path(output_dir) / name, doc.blocks, title=doc.title, subtitle=doc.subtitle,
                                      mark=SAMPLE_MARK if sample else ""))
    return written

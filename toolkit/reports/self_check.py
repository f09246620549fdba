"""A 自查 round's per-街镇 reports: each 街镇's own signed 自查报告 beside its district's roll-up.

Called from the district notebook (``notebooks/district_report.ipynb``) in a 自查 round: one Word
document per 街镇, ``自查报告（街镇）.docx``, built with ``report_body.self_check_report`` in
documents that are not shown in the notebook (the district's report is the page the notebook shows).
"""

from __future__ import annotations

from pathlib import Path



def write_self_check_reports(s, findings, plan, teams, *, district: str, issued, rules, output_dir,
                             formats="html,docx,xlsx") -> list[Path]:
    """One 自查报告 per 街镇 of ``district`` with results (Word; nothing when 'docx' is not wanted)."""
    from toolkit import SAMPLE_MARK
    from toolkit.inspections.report_body import SELF_CHECK_TITLE, self_check_report, unit_book_name
    from toolkit.reports.document import ReportDocument, quiet
    from toolkit.reports.export_docx import write_docx

    wanted = {f.strip() for f in (formats.split(",") if isinstance(formats, str) else formats)}
    if "docx" not in wanted:
        return []
    by_team = {t.team_district: t for t in teams.itertuples()}
    written = []
    units = list(s.units[s.units["district"] == district]["unit"])
    with quiet():
        for unit in units:
            doc = ReportDocument(SELF_CHECK_TITLE.format(unit=unit), subtitle=f"检查轮次：{s.round_id}",
                                 sample=s.is_sample)
            self_check_report(doc, s, findings[findings["unit"] == unit], plan[plan["街镇"] == unit],
                              by_team.get(unit), district=district, unit=unit, issued=issued, rules=rules)
            name = unit_book_name(unit).replace("整改清单", "自查报告").replace(".xlsx", ".docx")
            written.append(write_docx(Path(output_dir) / name, doc.blocks, title=doc.title, subtitle=doc.subtitle,
                                      mark=SAMPLE_MARK if doc.sample else ""))
    return written

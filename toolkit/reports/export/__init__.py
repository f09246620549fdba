"""Documents: the ``ReportDocument`` a notebook builds (``document``) and its HTML, Word, Excel and
PDF writers (``export_*``), column widths (``layout``), LibreOffice (``office``).  Knows nothing of
policy or inspections.

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.reports.export.document": ("ReportDocument",),
    "toolkit.reports.export.export_xlsx": ("Sheet", "write_workbook"),
})

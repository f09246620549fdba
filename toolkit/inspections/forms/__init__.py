"""The Excel forms a team fills in: building and reading them (``forms``), the bounded reading of
a workbook (``workbook_values``, limits in ``form_limits.yaml``), the data-entry widgets
(``entry``, ``entry_widgets``) and their notebook (``package_files``), the ``inspect plan``/``forms``
steps (``commands``).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.forms.forms": ("build_form", "fill_workbook", "form_filename", "read_form"),
    "toolkit.inspections.forms.commands": ("plan_round", "write_forms"),
    "toolkit.inspections.forms.package_files": ("copy_entry_notebook",),
})

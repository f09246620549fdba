"""A bureau's own tables: the organisation and the 低保 register read from .xlsx or CSV
(``tables``), imported all-or-nothing (``register``), their templates (``templates``) and the one
catalogue of their columns and messages (``register_labels``).

The names below are what other stages use; nothing is imported until one is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.inspections.register.register": ("import_org", "import_register", "result_text"),
    "toolkit.inspections.register.templates": ("write_templates",),
})

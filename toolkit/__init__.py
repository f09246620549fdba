"""救助质量工具箱 (Jiuzhu Toolkit): training and supervision for social-assistance administration.

Layers (see shared/design/architecture.md): ``toolkit.policy`` (pure rules) ←
``toolkit.cases`` / ``toolkit.checklists`` ← ``toolkit.training`` / ``toolkit.inspections``;
``toolkit.reports`` runs notebooks; ``toolkit.cli`` is the thin ``jiuzhu`` command.
``toolkit.errors``, ``toolkit.privacy``, ``toolkit.files`` (atomic writes) and ``toolkit.fonts``
(CJK chart fonts) are leaf helpers every layer may use.
"""

__version__ = "0.1.0"

SAMPLE_MARK = "示例数据"
"""Visible mark carried by every output made from built-in sample data."""

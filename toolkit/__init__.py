"""救助质量工具箱 (Jiuzhu Toolkit): training and supervision for social-assistance administration.

Layers (docs/development.md has the map of stages): ``toolkit.policy`` (pure rules) ←
``toolkit.cases`` / ``toolkit.checklists`` ← ``toolkit.training`` / ``toolkit.inspections`` ←
``toolkit.reports`` / ``toolkit.hub`` ← ``toolkit.loop`` ← ``toolkit.demo`` ← ``toolkit.cli`` (the thin
``jiuzhu`` command). ``toolkit.errors``, ``toolkit.privacy``, ``toolkit.files`` (atomic writes),
``toolkit.fonts`` (CJK chart fonts) and ``toolkit.lazy`` are leaf helpers every layer may use.
"""

__version__ = "0.1.0"

SAMPLE_MARK = "示例数据"
"""Visible mark carried by every output made from built-in sample data."""

"""Checklists as data: schema, loading and validation of checklist YAML (defaults in the top-level ``checklists/``, package ``toolkit.checklists.defaults``), grading."""

from toolkit.checklists.loader import (
    ChecklistInvalid, content_hash, default_checklist_dir, init_checklists, load_checklist, load_checklists,
    parse_checklist, validate_files,
)
from toolkit.checklists.model import Checklist, GradeBand, Item, Level

__all__ = [
    "Checklist", "ChecklistInvalid", "GradeBand", "Item", "Level", "content_hash",
    "default_checklist_dir", "init_checklists", "load_checklist", "load_checklists", "parse_checklist", "validate_files",
]

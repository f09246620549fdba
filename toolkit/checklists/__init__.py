"""Checklists as data: schema, loading and validation of ``checklists/*.yaml``, grading."""

from toolkit.checklists.loader import (
    ChecklistInvalid, content_hash, default_checklist_dir, load_checklist, load_checklists,
    parse_checklist, validate_files,
)
from toolkit.checklists.model import Checklist, GradeBand, Item, Level

__all__ = [
    "Checklist", "ChecklistInvalid", "GradeBand", "Item", "Level", "content_hash",
    "default_checklist_dir", "load_checklist", "load_checklists", "parse_checklist", "validate_files",
]

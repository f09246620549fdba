"""toolkit.inspections.intake."""

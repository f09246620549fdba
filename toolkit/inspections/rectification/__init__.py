"""toolkit.inspections.rectification.rectification."""

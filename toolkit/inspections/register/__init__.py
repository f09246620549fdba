"""toolkit.inspections.register.register."""

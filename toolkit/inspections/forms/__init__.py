"""toolkit.inspections.forms.forms."""

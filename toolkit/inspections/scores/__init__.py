"""toolkit.inspections.scores.scores."""

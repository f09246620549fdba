"""toolkit.inspections.plan.plan."""

"""toolkit.inspections.store.store."""

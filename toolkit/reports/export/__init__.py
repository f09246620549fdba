"""toolkit.reports.export."""

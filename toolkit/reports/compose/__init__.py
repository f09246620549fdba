"""toolkit.reports.compose."""

"""toolkit.reports.runner.runner."""

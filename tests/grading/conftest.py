"""Fixtures of the grading tests; the helpers live in :mod:`grading_course`."""

from grading_course import course_template  # noqa: F401  (session fixture)

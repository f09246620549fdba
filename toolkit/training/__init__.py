"""Training flow (layer 3): identity, answers sidecar, answer cards, autograde helper, course commands.

Notebooks call :func:`toolkit.training.exercise.start`; nbgrader test cells call
:func:`toolkit.training.autograde.grade`; ``jiuzhu course`` calls :mod:`toolkit.training.course`.
"""

COURSE_ID = "jiuzhu"
"""nbgrader ``CourseDirectory.course_id`` and the course part of every trainee's case seed."""

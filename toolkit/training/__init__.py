"""Training flow (layer 3), one subpackage per side of the sandbox boundary:

- :mod:`toolkit.training.trainee` — what runs inside a trainee's kernel (notebooks call
  :func:`toolkit.training.trainee.exercise.start`, nbgrader test cells
  :func:`toolkit.training.trainee.autograde.grade`); cheap to import, imports no trainer code;
- :mod:`toolkit.training.course` — the trainer's course (``jiuzhu course`` calls
  :mod:`toolkit.training.course.course`), roster, source notebooks;
- :mod:`toolkit.training.grading` — ``jiuzhu course grade``, the sandbox, feedback;
- :mod:`toolkit.training.analytics` — statistics, the training ledger, ``jiuzhu course report``.
"""

COURSE_ID = "jiuzhu"
"""nbgrader ``CourseDirectory.course_id`` and the course part of every trainee's case seed."""

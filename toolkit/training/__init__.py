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

from toolkit.lazy import moved_modules

# Module paths before the 2026-12 re-cut that courses already on disk name (nbgrader_config.py from
# ``jiuzhu course init``, released notebooks, grade cells in the gradebook, hub course settings).
moved_modules({
    "toolkit.training.course_config": "toolkit.training.course.course_config",
    "toolkit.training.exercise": "toolkit.training.trainee.exercise",
    "toolkit.training.autograde": "toolkit.training.trainee.autograde",
    "toolkit.training.cards": "toolkit.training.trainee.cards",
    "toolkit.training.answers": "toolkit.training.trainee.answers",
    "toolkit.training.sandbox": "toolkit.training.grading.sandbox",
})

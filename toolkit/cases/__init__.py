"""Seeded case generators for the training course (layer 2: imports ``toolkit.policy``).

Each assignment has a module ``toolkit.cases.<assignment_id>`` exposing
``generate(seed: int) -> Case``, ``TITLE`` (Chinese) and ``ASSIGNMENT`` (its id).  A trainee's
seed is a stable SHA-256 of (course, assignment, student id) — never Python's ``hash()`` — so the
same trainee sees the same case in JupyterLab and in the autograder, in any process.
"""

from toolkit.cases.base import Case, Option, Question, case_for, seed_for

# Course order of the six training assignments (module names under toolkit.cases).
ASSIGNMENTS = (
    "m01_means_test",
    "m02_procedure",
    "m03_case_file",
    "m04_one_window",
    "m05_funds",
    "m06_special",
)

__all__ = ["ASSIGNMENTS", "Case", "Option", "Question", "case_for", "seed_for"]

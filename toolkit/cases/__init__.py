"""Seeded case generators for the training course (layer 2: imports ``toolkit.policy``).

Each assignment has a module ``toolkit.cases.<assignment_id>`` exposing
``generate(seed: int) -> Case``.  A trainee's seed is a stable SHA-256 of
(course, assignment, student id) — never Python's ``hash()`` — so the same trainee sees the
same case in JupyterLab and in the autograder, in any process.
"""

from toolkit.cases.base import Case, Option, Question, case_for, seed_for

__all__ = ["Case", "Option", "Question", "case_for", "seed_for"]

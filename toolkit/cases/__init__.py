"""Seeded case generators for the training course (layer 2: imports ``toolkit.policy``).

Each assignment has a module under ``toolkit.cases`` (``CASE_MODULES`` maps the exercise id users see,
e.g. ``m01_means_test``, to it; :func:`case_module` imports it) exposing
``generate(seed: int) -> Case``, ``TITLE`` (Chinese) and ``ASSIGNMENT`` (its id).  A trainee's
seed is a stable SHA-256 of (course, assignment, student id) — never Python's ``hash()`` — so the
same trainee sees the same case in JupyterLab and in the autograder, in any process.
"""

from toolkit.cases.base import CASE_MODULES, Case, Option, Question, case_for, case_module, seed_for

# Course order of the six training assignments (exercise ids; modules: CASE_MODULES).
ASSIGNMENTS = tuple(CASE_MODULES)

__all__ = ["ASSIGNMENTS", "CASE_MODULES", "Case", "Option", "Question", "case_for", "case_module", "seed_for"]

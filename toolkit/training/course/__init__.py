"""The trainer's course (trainer side; never runs in a trainee's kernel).

- :mod:`.course` — the course folder: ``course_root``, ``load_config`` / ``load_course``, build,
  release (with each trainee's cases), collect, feedback, ``import_roster``;
- :mod:`.inbound` — collect's checks of the exchange's inbound entries (owner, links, size, folder
  depth; the submission time checked against the files' change time) and the
  trainees' submit that keeps their entry their own;
- :mod:`.course_config` — the nbgrader settings every course's ``nbgrader_config.py`` applies;
- :mod:`.notebook` — the source notebook of an assignment (its cells import
  ``toolkit.training.trainee``);
- :mod:`.roster` — the trainee roster (Excel in, gradebook table out);
- :mod:`.simulate` — simulated trainees and submissions (demo, benchmarks, tests): it writes
  submissions as the trainer, from the full cases.

May import the trainee side (``toolkit.training.trainee``) and the grading stage's feedback and
leak scan.  The names below load their modules on first use (PEP 562), so ``jiuzhu --help`` and
a course's ``nbgrader_config.py`` stay cheap.
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.training.course.course": ("course_root", "import_roster", "load_config", "load_course"),
    "toolkit.training.course.course_config": ("configure", "write_course_config"),
    "toolkit.training.course.roster": ("Roster", "Trainee", "load_roster", "read_roster_xlsx", "save_roster",
                                       "write_roster_xlsx"),
    "toolkit.training.course.simulate": ("sample_roster", "simulate_submissions"),
})

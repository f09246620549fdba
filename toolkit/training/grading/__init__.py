"""Grading (trainer side): ``jiuzhu course grade`` and what it needs; never runs in a trainee's kernel,
it starts those kernels.

- :mod:`.grading` — the run: worker pool, card scores computed from ``answers.json``, summary;
- :mod:`.grading_pipeline` / :mod:`.grading_tasks` — nbgrader's autograde steps in a worker;
- :mod:`.sandbox` — the bubblewrap sandbox every trainee kernel runs in (``sandbox_limits.yaml``)
  and its kernel provisioner (entry point ``jiuzhu-sandbox``);
- :mod:`.nbgrader_speedups` — nbgrader patches for many submissions;
- :mod:`.feedback` (+ ``templates/feedback``) and :mod:`.leaks` — feedback pages and the scan
  that withholds a page showing answers or hidden tests;
- :mod:`.trainee_html` — a trainee's HTML shown as text or cleaned in formgrader and feedback pages.

Imports the trainee side (to score answer cards) and the course's configuration.  The names
below load their modules on first use (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.training.grading.grading": ("GradeRun", "format_summary", "grade_course"),
    "toolkit.training.grading.sandbox": ("SandboxProvisioner", "sandbox_nbgrader_autograde"),
    "toolkit.training.grading.feedback": ("feedback_preprocessors",),
    "toolkit.training.grading.leaks": ("Leak", "scan"),
    "toolkit.training.grading.trainee_html": ("TraineeHTML",),
})

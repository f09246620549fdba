"""The trainee side: everything that runs INSIDE a trainee's kernel (JupyterLab, and the sandboxed
kernel that ``jiuzhu course grade`` starts on a submission).

- :mod:`.exercise` — ``start(assignment)``: the trainee's own case, answer cards (``ex.cards()``);
- :mod:`.autograde` — ``check`` / ``grade``, called by the nbgrader test cells;
- :mod:`.cards` — the ipywidgets answer cards (never imported while autograding);
- :mod:`.answer_table` — the submitted answers as a static table (what graded notebooks show);
- :mod:`.answers` — the ``answers.json`` sidecar; :mod:`.parsing` — how a typed answer is read;
- :mod:`.identity` — who the trainee is (the same in JupyterLab and in the autograder);
- :mod:`.casedata` — the case as data: the kernel reads the givens delivered to it
  (``case_for_kernel``); the trainer side writes them (``write_cases``, ``deliver``) and the
  grader regenerates the full case from the course secret (``trainer_case``). It lives here
  because the kernel runs it; trainer-side code imports it from here.

Imports nothing of the trainer side (``course``, ``grading``, ``analytics``).  Kept cheap to import:
a graded notebook imports ``.exercise`` and ``.autograde`` in every sandboxed kernel, so the names
below load their modules on first use (PEP 562, :mod:`toolkit.lazy`) and this file imports nothing.
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.training.trainee.exercise": ("Exercise", "start"),
    "toolkit.training.trainee.autograde": ("check", "grade"),
    "toolkit.training.trainee.answers": ("AnswersFileError", "load_answers", "save_answer"),
    "toolkit.training.trainee.casedata": ("case_for_kernel", "deliver", "trainee_case_data", "trainer_case",
                                          "write_cases"),
    "toolkit.training.trainee.identity": ("configure_submitter", "resolve"),
})

"""The nbgrader settings of a 救助质量工具箱 course, applied by its ``nbgrader_config.py``.

One function for every course folder: the repository's ``courses/nbgrader_config.py`` and each
course that ``jiuzhu hub`` sets up call :func:`configure` with their own folder, so the kernels,
the Chinese stubs, the feedback template and the trainee identity are the same everywhere.

Environment overrides (all optional):
  JIUZHU_EXCHANGE   exchange root shared by trainer and trainees (default: <course>/exchange)
  JIUZHU_GRADEBOOK  SQLAlchemy URL of the gradebook (default: sqlite:///<course>/gradebook.db)
  JIUZHU_TIMEOUT    seconds one notebook cell may run while autograding (default 60)
The exchange root is created when missing (nbgrader does not create it).
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.training import COURSE_ID


def configure(c, course_root: Path | str, *, course_id: str = COURSE_ID, exchange: Path | str | None = None,
              db_url: str | None = None) -> None:
    """Apply the course settings to the traitlets config ``c`` of the course in ``course_root``."""
    import nbgrader
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades

    import toolkit.training.grading
    from toolkit.cases import ASSIGNMENTS
    from toolkit.training.trainee import identity

    root = Path(course_root).resolve()
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = (db_url or os.environ.get("JIUZHU_GRADEBOOK")
                                or f"sqlite:///{root / 'gradebook.db'}")
    c.Exchange.root = str(ensure_exchange(Path(exchange or os.environ.get("JIUZHU_EXCHANGE")
                                               or root / "exchange")))

    # Kernels: immediate shutdown removes the 2.5-3.5 s jupyter_client wait; a cell that runs
    # longer than JIUZHU_TIMEOUT seconds is interrupted and scores what the notebook earned so far.
    c.Execute.shutdown_kernel = "immediate"
    c.Execute.timeout = int(os.environ.get("JIUZHU_TIMEOUT") or 60)
    c.Execute.startup_timeout = 60
    c.Execute.interrupt_on_timeout = True
    # ipykernel warns about unencrypted TCP on every start unless encryption is negotiated.
    c.KernelManager.transport_encryption = "auto"

    # A trainee's answers.json must survive autograding: nbgrader copies every non-notebook file
    # of source/<assignment>/ over the submission, so never let a stray sidecar there overwrite it.
    c.Autograde.exclude_overwriting = {
        assignment: ["answers.json"]
        for assignment in {*ASSIGNMENTS, *(p.name for p in (root / "source").glob("*") if p.is_dir())}
    }

    # Released notebooks: Chinese stubs where solutions were removed.
    c.ClearSolutions.code_stub = {"python": "# 请在此处作答\nraise NotImplementedError()"}
    c.ClearSolutions.text_stub = "请在此处作答（双击本单元格进行编辑）。"

    # Feedback must not show hidden test code (nbgrader issue #917): clear hidden-test regions
    # of the autograded notebook before it is rendered; the outputs (points, the trainee's
    # answer, the right answer and its basis) stay.
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

    # Formgrader and feedback pages: a trainee's HTML (their Markdown, raw cells, outputs of their
    # code) is shown as text or cleaned before the page is rendered, so it never runs in a trainer's
    # browser.  Every HTMLExporter built from this config runs it: the formgrader's (nbgrader builds
    # HTMLExporter(config=...)) and generate_feedback's (registered before GenerateFeedback's own).
    c.HTMLExporter.preprocessors = [TRAINEE_HTML]

    # Feedback pages in Chinese: toolkit/training/grading/templates/feedback is found before nbgrader's
    # own template of the same name (nbgrader's stays second: its exporter finds base files there).
    c.HTMLExporter.extra_template_basedirs = [
        str(Path(toolkit.training.grading.__file__).parent / "templates"),
        str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"),
    ]

    # A trainee's `nbgrader submit` (the Assignments panel) names the trainee the notebook showed.
    identity.configure_submitter(c)
    # A submitted entry stays writable by its owner only (nbgrader leaves it 0777, so with an account
    # per trainee another could touch it -- and move its file time, by which collect checks the
    # claimed submission time); every collect, the formgrader's 收取 button included, vets the
    # entries and collects from a private copy (toolkit.training.course.inbound).
    c.ExchangeFactory.submit = OWN_ENTRY_SUBMIT
    c.ExchangeFactory.collect = VETTED_COLLECT


TRAINEE_HTML = "toolkit.training.grading.trainee_html.TraineeHTML"
OWN_ENTRY_SUBMIT = "toolkit.training.course.inbound.OwnEntrySubmit"
VETTED_COLLECT = "toolkit.training.course.inbound.VettedCollect"
PLAIN_COLLECT = "nbgrader.exchange.default.collect.ExchangeCollect"     # on a copy already vetted


def ensure_exchange(path: Path) -> Path:
    """The exchange root, created world-writable (sticky) when missing."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        try:  # trainees on a shared server write their submissions here
            path.chmod(0o1777)
        except OSError:
            pass
    return path


CONFIG_NAME = "nbgrader_config.py"
# What `jiuzhu course init` writes into a new course folder; the repository's
# courses/nbgrader_config.py is this text (tests/test_course_init.py keeps them equal).
CONFIG_TEXT = '''"""nbgrader configuration of the 救助质量工具箱 training course (course id ``jiuzhu``).

The settings live in ``toolkit.training.course.course_config`` (one place for this course and for every
course ``jiuzhu hub`` sets up); read its docstring for the environment overrides
(JIUZHU_EXCHANGE, JIUZHU_GRADEBOOK, JIUZHU_TIMEOUT).  Add course-specific lines below the call.
"""

from pathlib import Path

from toolkit.training.course.course_config import configure

c = get_config()  # noqa: F821 - provided by traitlets when this file is loaded

configure(c, Path(__file__).resolve().parent)
'''


def write_course_config(root: Path | str) -> Path:
    """Write a new course folder's ``nbgrader_config.py`` (never over an existing one)."""
    from toolkit.errors import UserError

    path = Path(root) / CONFIG_NAME
    if path.exists():
        raise UserError(f"{path} 已存在，不会覆盖。这个目录已经是一个课程目录，可直接使用。")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG_TEXT, encoding="utf-8")
    return path

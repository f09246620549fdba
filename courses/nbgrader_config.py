"""nbgrader configuration of the 救助质量工具箱 training course (course id ``jiuzhu``).

Environment overrides (all optional):
  JIUZHU_EXCHANGE   exchange root shared by trainer and trainees (default: <course>/exchange)
  JIUZHU_GRADEBOOK  SQLAlchemy URL of the gradebook (default: sqlite:///<course>/gradebook.db)
  JIUZHU_TIMEOUT    seconds one notebook cell may run while autograding (default 60)
The exchange root is created here when missing (nbgrader does not create it).
"""

import os
from pathlib import Path

import nbgrader
import toolkit.training
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from toolkit.cases import ASSIGNMENTS

c = get_config()  # noqa: F821 - provided by traitlets when this file is loaded

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "jiuzhu"
c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.db_url = os.environ.get("JIUZHU_GRADEBOOK") or f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"

_exchange = Path(os.environ.get("JIUZHU_EXCHANGE") or COURSE_ROOT / "exchange")
if not _exchange.exists():
    _exchange.mkdir(parents=True, exist_ok=True)
    try:  # trainees on a shared server write their submissions here
        _exchange.chmod(0o1777)
    except OSError:
        pass
c.Exchange.root = str(_exchange)

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
    for assignment in {*ASSIGNMENTS, *(p.name for p in (COURSE_ROOT / "source").glob("*") if p.is_dir())}
}

# Released notebooks: Chinese stubs where solutions were removed.
c.ClearSolutions.code_stub = {"python": "# 请在此处作答\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "请在此处作答（双击本单元格进行编辑）。"

# Feedback must not show hidden test code (nbgrader issue #917): clear hidden-test regions
# of the autograded notebook before it is rendered; the outputs (points, the trainee's
# answer, the right answer and its basis) stay.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# Feedback pages in Chinese: toolkit/training/templates/feedback is found before nbgrader's own
# template of the same name (nbgrader's stays second: it is where the exporter finds its base files).
c.HTMLExporter.extra_template_basedirs = [
    str(Path(toolkit.training.__file__).parent / "templates"),
    str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"),
]

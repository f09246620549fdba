"""Helpers: a tiny generic nbgrader course with one submission of every kind the grader must survive.

(A uniquely named module, not ``conftest``, so test files of other folders never import it by
mistake; the fixtures are re-exported by this folder's ``conftest.py``.)

Independent of the real course (built by ``jiuzhu course build``): one assignment ``ps1`` whose
solution cell sets ``x`` and ``y`` and whose test cells check them (one partial-credit cell) and
read the answers sidecar from the working directory, as the real test cells do.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest

COURSE_ID = "jiuzhu"
DUE = "2026-03-01 12:00:00 UTC"


def _cell(kind, source, **nbgrader):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "solution": False, "grade": False,
                                     "locked": False, **nbgrader}
    return cell


def source_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _cell("markdown", "# 小测验\n请填写 x 和 y。"),
        _cell("code", "### BEGIN SOLUTION\nx = 42\ny = 3\n### END SOLUTION",
              grade_id="answer", solution=True),
        _cell("code", "assert x == 42", grade_id="t_x", grade=True, locked=True, points=2),
        _cell("code", "3.0 if y == 3 else (1.5 if y > 0 else 0.0)",
              grade_id="t_y", grade=True, locked=True, points=3),
        _cell("code", "import json\n"
                      "assert json.load(open('answers.json', encoding='utf-8'))['answers']['q1']['raw'] == '好'",
              grade_id="t_file", grade=True, locked=True, points=1),
    ]
    return nb


def make_course(root: Path) -> Path:
    """Create and release the course; return its root."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    from toolkit.training.course.course import ensure_venv_on_path

    ensure_venv_on_path()
    root.mkdir(parents=True, exist_ok=True)
    (root / "exchange").mkdir(exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        "c.CourseDirectory.root = __file__.rsplit('/', 1)[0]\n"
        f"c.Exchange.root = {str(root / 'exchange')!r}\n"
        "c.Execute.timeout = 20\n"
        "c.Execute.shutdown_kernel = 'immediate'\n"
        "from nbgrader.preprocessors import ClearHiddenTests, GetGrades\n"
        "from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor\n"
        "c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]\n",
        encoding="utf-8")
    (root / "source" / "ps1").mkdir(parents=True)
    nbformat.write(source_notebook(), root / "source" / "ps1" / "ps1.ipynb")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    coursedir = CourseDirectory(config=config)
    with Gradebook(coursedir.db_url, COURSE_ID) as gb:
        gb.update_or_create_assignment("ps1", duedate=DUE)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    result = api.generate_assignment("ps1")
    assert result["success"], result.get("error")
    return root


def _set_answer_cell(nb, source):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = source
    return nb


def _cell_by_id(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def submit(root: Path, student: str, nb=None, *, raw: str | None = None, answers: bool = True,
           timestamp: str = "2026-02-20 09:00:00 UTC") -> Path:
    folder = root / "submitted" / student / "ps1"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ps1.ipynb"
    if raw is not None:
        path.write_text(raw, encoding="utf-8")
    else:
        nbformat.write(nb, path)
    if answers:
        (folder / "answers.json").write_text(json.dumps(
            {"assignment": "ps1", "student": student, "answers": {"q1": {"raw": "好", "saved_at": "x"}}},
            ensure_ascii=False), encoding="utf-8")
    (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return folder


def released(root: Path):
    return nbformat.read(root / "release" / "ps1" / "ps1.ipynb", as_version=4)


# expected total score per student (points 2 + 3 + 1)
EXPECTED = {
    "s_good": 6.0,
    "s_partial": 4.5,          # y = 1 → 1.5 of 3
    "s_blank": 0.0,            # untouched notebook, no answers file
    "s_edited": 4.0,           # replaced "assert x == 42" by "assert True" with x = 0: restored → 0 of 2
    "s_celltype": 6.0,         # turned t_y into markdown: restored to code → full marks
    "s_deleted": 3.0,          # deleted t_y: not graded → 0 of 3
    "s_broken": 0.0,           # not JSON
    "s_late": 6.0,             # right answers, submitted after the due date
}


def make_submissions(root: Path, kinds=tuple(EXPECTED)) -> None:
    base = released(root)
    good = _set_answer_cell(copy.deepcopy(base), "x = 42\ny = 3")
    builders = {
        "s_good": lambda: submit(root, "s_good", good),
        "s_partial": lambda: submit(root, "s_partial", _set_answer_cell(copy.deepcopy(base), "x = 42\ny = 1")),
        "s_blank": lambda: submit(root, "s_blank", copy.deepcopy(base), answers=False),
        "s_edited": lambda: submit(root, "s_edited", _edited(base)),
        "s_celltype": lambda: submit(root, "s_celltype", _celltype(good)),
        "s_deleted": lambda: submit(root, "s_deleted", _deleted(good)),
        "s_broken": lambda: submit(root, "s_broken", raw="{ 这不是笔记本"),
        "s_late": lambda: submit(root, "s_late", good, timestamp="2026-03-03 09:00:00 UTC"),
        "s_empty": lambda: submit(root, "s_empty", nbformat.v4.new_notebook()),
        "s_endless": lambda: submit(root, "s_endless",
                                    _set_answer_cell(copy.deepcopy(base), "x = 42\ny = 3\nwhile True:\n    pass")),
    }
    for kind in kinds:
        builders[kind]()


def _edited(base):
    nb = _set_answer_cell(copy.deepcopy(base), "x = 0\ny = 3")
    _cell_by_id(nb, "t_x").source = "assert True"
    return nb


def _celltype(good):
    nb = copy.deepcopy(good)
    cell = _cell_by_id(nb, "t_y")
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    return nb


def _deleted(good):
    nb = copy.deepcopy(good)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "t_y"]
    return nb


@pytest.fixture(scope="session")
def course_template(tmp_path_factory) -> Path:
    """A released course without submissions (copy it before changing it)."""
    return make_course(tmp_path_factory.mktemp("course-template") / "course")


def copy_course(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


def scores_by_student(root: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as gb:
        return {s.student.id: round(float(s.score), 3) for s in gb.assignment_submissions("ps1")}

"""build → release → fetch/submit (nbgrader exchange) → collect → nbgrader autograde → feedback.

One expensive module fixture on a temporary copy of the course; the tests read its results.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from training_helpers import ASSIGNMENT, copy_course, ipython_dir_with_fake_cases
from toolkit.training.course import course
from toolkit.training.grading import leaks
from toolkit.training.trainee.answers import save_answer
from toolkit.training.trainee.casedata import trainer_case

pytestmark = [
    pytest.mark.usefixtures("practice_assignment"),
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    # nbgrader's release_feedback misspells ``authenticator`` (harmless upstream typo)
    pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning"),
]


def _trainee(root, tmp, student, monkeypatch):
    """Fetch and submit as ``student`` through nbgrader's own exchange classes."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    home = tmp / "home" / student
    home.mkdir(parents=True)
    config = course.load_config(root)
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(tmp / "cache" / student)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = ASSIGNMENT, student
    auth = Authenticator(config=config)
    ExchangeFetchAssignment(coursedir=coursedir, authenticator=auth, config=config).start()
    return home / ASSIGNMENT, lambda: ExchangeSubmit(coursedir=coursedir, authenticator=auth,
                                                     config=config).start()


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("flow")
    import toolkit.cases
    from training_helpers import FAKE_CASES

    mp.setattr(toolkit.cases, "__path__", [*toolkit.cases.__path__, str(FAKE_CASES)])
    mp.setattr(toolkit.cases, "ASSIGNMENTS", (ASSIGNMENT,), raising=False)
    mp.setenv("IPYTHONDIR", str(ipython_dir_with_fake_cases(tmp / "ipython")))
    for key in ("JIUZHU_EXCHANGE", "JIUZHU_GRADEBOOK", "JUPYTERHUB_USER", "JIUZHU_STUDENT"):
        mp.delenv(key, raising=False)
    root = copy_course(tmp)
    result = {"root": root, "built": course.build(root), "released": course.release(root)}

    # li4 answers everything right except half of the multiple choice; wang5 submits blank
    li4_case = trainer_case(root, ASSIGNMENT, "li4")
    folder, submit = _trainee(root, tmp, "li4", mp)
    q = {x.id: x for x in li4_case.questions}
    save_answer(folder, ASSIGNMENT, "li4", "q1", f"{q['q1'].answer}元")
    save_answer(folder, ASSIGNMENT, "li4", "q2", q["q2"].answer)
    save_answer(folder, ASSIGNMENT, "li4", "q3", sorted(q["q3"].answer)[:1])
    d = q["q4"].answer
    save_answer(folder, ASSIGNMENT, "li4", "q4", f"{d.year}年{d.month}月{d.day}日")
    save_answer(folder, ASSIGNMENT, "li4", "q5", "请补交：户口簿、身份证复印件。")
    submit()
    _, submit_blank = _trainee(root, tmp, "wang5", mp)
    submit_blank()
    result["collected"] = course.collect(root)
    # a trainer's stray answers file in source/ must not overwrite the submissions' answers
    save_answer(root / "source" / ASSIGNMENT, ASSIGNMENT, "trainer", "q1", "0")

    with course.nbgrader_api(root) as api:
        for student in ("li4", "wang5"):
            outcome = api.autograde(ASSIGNMENT, student)
            assert outcome["success"], outcome.get("log")
        result["scores"] = {s["student"]: (s["score"], s["max_score"], s["needs_manual_grade"])
                            for s in api.get_submissions(ASSIGNMENT)}
    result["feedback"] = course.feedback(root, publish=True).written
    yield result
    mp.undo()


def test_build_writes_source_and_student_version_without_hidden_tests(flow):
    root = flow["root"]
    source = json.loads((root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text("utf-8"))
    released = (root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text("utf-8")
    tests = [c for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert [c["metadata"]["nbgrader"]["points"] for c in tests] == [2, 1, 2, 1]
    assert "BEGIN HIDDEN TESTS" in "".join("".join(c["source"]) for c in tests)
    assert "BEGIN HIDDEN TESTS" not in released and "grade('t01_practice'" not in released
    assert "check('t01_practice', 'q1')" in released
    task = [c for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("task")]
    assert len(task) == 1 and task[0]["metadata"]["nbgrader"]["points"] == 3
    assert flow["released"][0].is_dir()


def test_collect_brings_notebook_and_answers(flow):
    assert flow["collected"] == {ASSIGNMENT: ["li4", "wang5"]}
    submitted = flow["root"] / "submitted" / "li4" / ASSIGNMENT
    assert (submitted / "answers.json").exists() and (submitted / f"{ASSIGNMENT}.ipynb").exists()


def test_nbgrader_autograde_gives_partial_credit_from_the_sidecar(flow):
    score, max_score, manual = flow["scores"]["li4"]
    assert (score, max_score, manual) == (5.0, 9.0, True)    # 2 + 1 + 1 of 2 + 1; q5 by hand
    assert flow["scores"]["wang5"][0] == 0.0


def test_feedback_shows_answer_right_answer_and_basis_but_no_hidden_tests(flow):
    pages = {p.parts[-3]: p for p in flow["feedback"]}
    assert set(pages) == {"li4", "wang5"}
    text = leaks._visible_text(pages["li4"])[0]
    assert "你的作答：" in text and "正确答案：" in text and "《测试依据》第三条" in text
    assert "得 1 / 2 分" in text
    assert "练习反馈" in text and "第3题（自动评分）" in text and "第5题（人工评分）" in text
    assert "Score" not in text and "Test cell" not in text         # nbgrader's English labels
    assert "请补交：户口簿、身份证复印件。" in text           # free text visible to the marker
    assert "第5题为人工评分。依据：《测试依据》第五条" in text and "评分要点" in text
    assert "grade('t01_practice'" not in text and "HIDDEN" not in text
    assert leaks.scan(flow["root"]) == []


def test_published_feedback_reaches_the_exchange_and_is_scanned(flow):
    published = list((flow["root"] / "exchange" / "jiuzhu" / "feedback").glob("*.html"))
    assert len(published) == 2
    assert set(published) <= set(leaks.scanned_files(flow["root"]))
    assert course.scan_for_leaks(flow["root"]) == []


def test_scan_catches_hidden_tests_in_nbgraders_default_feedback(flow):
    """Without the course config's fix nbgrader shows hidden tests (issue #917); the scan sees it.

    nbgrader's own feedback template here: the course's template shows no code at all.
    """
    import nbgrader

    root = flow["root"]
    with course.nbgrader_api(root) as api:
        api.config.GenerateFeedback.preprocessors = [
            "nbgrader.preprocessors.GetGrades", "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
        api.config.HTMLExporter.extra_template_basedirs = [
            str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]
        api.coursedir.feedback_directory = "feedback_default"
        assert api.generate_feedback(ASSIGNMENT, "li4")["success"]
    try:
        page = next((root / "feedback_default").glob(f"li4/{ASSIGNMENT}/*.html"))
        found = leaks.scan(root, [page])
    finally:
        shutil.rmtree(root / "feedback_default")
    assert {leak.kind for leak in found} == {"含有 nbgrader 分隔标记", "含有隐藏测试代码"}
    assert any("grade('t01_practice', 'q1')" in leak.detail for leak in found)


def test_scan_reports_each_kind_of_leak(flow, tmp_path):
    root = flow["root"]
    release_nb = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    original = release_nb.read_text("utf-8")
    try:
        notebook = json.loads(original)
        notebook["cells"][-1]["source"] = "### BEGIN SOLUTION\nx\n### END SOLUTION"
        cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "正确答案：1500"}]
        cell["source"] += "\ngrade('t01_practice', 'q1')"
        release_nb.write_text(json.dumps(notebook, ensure_ascii=False), "utf-8")
        save_answer(release_nb.parent, ASSIGNMENT, "trainer", "q1", "1")
        kinds = {leak.kind for leak in leaks.scan(root)}
    finally:
        release_nb.write_text(original, "utf-8")
        (release_nb.parent / "answers.json").unlink(missing_ok=True)
    assert kinds == {"含有 nbgrader 分隔标记", "含有隐藏测试代码", "发布的笔记本带有运行输出",
                     "发布目录中含有作答文件"}


def test_feedback_that_would_leak_is_withheld_and_named_the_rest_released(flow, monkeypatch):
    root = flow["root"]
    from toolkit.training.grading.leaks import Leak

    real_scan = leaks.scan
    monkeypatch.setattr(leaks, "scan", lambda r, files=None: (
        [Leak(files[0], "含有隐藏测试代码", "x")] if files and "wang5" in str(files[0]) else real_scan(r, files)))
    run = course.feedback(root, publish=True)
    assert any("wang5" in line and "含有隐藏测试代码" in line for line in run.withheld)
    assert not list((root / "feedback" / "wang5").glob("*/*.html"))
    assert {p.parts[-3] for p in run.released} == {"li4"}


# What a trainee can leave in their submission that nbgrader's autograde keeps: Markdown cells of their
# own, raw cells, and the outputs of code they run.  (A cell claiming to be locked with a grade id the
# gradebook does not know fails nbgrader's metadata check: autograde refuses the whole notebook.)
PLANTED_MARKDOWN = 'hi <script>alert(document.cookie)</script><img src=x onerror="fetch(\'/planted\')">'
PLANTED_CODE = ("from IPython.display import HTML, Markdown, Javascript, display\n"
                "display(HTML('<b>输出</b><img src=x onerror=\"fetch(1)\"><style>td{background:url(/planted)}</style>'))\n"
                "display(Markdown('[点这里](javascript:alert(1))'))\n"
                "display(Javascript('alert(2)'))")


def _plant(notebook: Path) -> None:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    raw = nbformat.v4.new_raw_cell("<script>alert(3)</script>")
    raw.metadata["raw_mimetype"] = "text/html"
    nb.cells += [nbformat.v4.new_markdown_cell(PLANTED_MARKDOWN), raw,
                 nbformat.v4.new_code_cell(PLANTED_CODE)]
    nbformat.write(nb, notebook)


def _formgrader_exporter(root: Path, monkeypatch):
    """The HTMLExporter nbgrader's formgrader serves submissions with, built as its server extension
    builds it: FormgradeExtension's own settings, then the config files of the course folder."""
    from types import SimpleNamespace

    from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension

    monkeypatch.chdir(root)            # the formgrader service runs in the course folder
    formgrader = FormgradeExtension()
    formgrader.root_dir = str(root)
    formgrader.initialize([])
    webapp = SimpleNamespace(settings={"base_url": "/services/jiuzhu/"})
    formgrader.init_tornado_settings(webapp)
    return webapp.settings["nbgrader_exporter"]


def test_a_trainees_html_reaches_the_trainer_as_text(flow, tmp_path, monkeypatch):
    """Planted in li4's submission, autograded by nbgrader, then shown by the formgrader's exporter and
    on the feedback page: nothing in it runs or loads; without the course's preprocessor it would."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter

    from training_helpers import active_content

    root = Path(shutil.copytree(flow["root"], tmp_path / "courses"))
    _plant(root / "submitted" / "li4" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    with course.nbgrader_api(root) as api:
        outcome = api.autograde(ASSIGNMENT, "li4", force=True)
        assert outcome["success"], outcome.get("log")
    autograded = {s: root / "autograded" / s / ASSIGNMENT / f"{ASSIGNMENT}.ipynb" for s in ("li4", "wang5")}
    kept = nbformat.read(autograded["li4"], as_version=4).cells
    assert PLANTED_MARKDOWN in [c.source for c in kept]                  # autograde kept it

    exporter = _formgrader_exporter(root, monkeypatch)
    resources = {"assignment_id": ASSIGNMENT, "notebook_id": ASSIGNMENT, "submission_id": "1", "index": 0,
                 "total": 2, "base_url": "/services/jiuzhu", "student": "li4", "last_name": "",
                 "first_name": "", "notebook_path": "x"}
    page, clean = (exporter.from_filename(str(autograded[s]), resources=dict(resources))[0] for s in ("li4", "wang5"))
    assert active_content(page) == active_content(clean)
    text = BeautifulSoup(page, "html.parser").get_text()
    assert PLANTED_MARKDOWN in text and "<script>alert(3)</script>" in text
    assert "输出" in text and "点这里" in text

    config = exporter.config.copy()
    del config.HTMLExporter["preprocessors"]
    unguarded = HTMLExporter(config=config).from_filename(str(autograded["li4"]), resources=dict(resources))[0]
    assert active_content(unguarded) != active_content(clean)

    for student in ("li4", "wang5"):
        shutil.rmtree(root / "feedback" / student)
        assert course.feedback(root, student=student).written
    pages = {s: next((root / "feedback" / s / ASSIGNMENT).glob("*.html")).read_text("utf-8") for s in ("li4", "wang5")}
    assert active_content(pages["li4"]) == active_content(pages["wang5"])
    assert "<script>alert(3)</script>" in BeautifulSoup(pages["li4"], "html.parser").get_text()

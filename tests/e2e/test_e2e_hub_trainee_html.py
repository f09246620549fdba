"""A trainee's HTML never runs in the trainer's browser (the formgrader is on the hub's own origin).

A real hub with one course: the trainee fetches m01 with nbgrader as their own account, plants HTML
in the notebook (a Markdown cell, a raw HTML cell, a code cell that displays HTML and JavaScript)
and submits; the trainer collects, grades every notebook in the sandboxed kernel (so the planted
code runs and its outputs are in the autograded notebook) and writes feedback.  In Chromium the
trainer opens the submission in the course's formgrader and the feedback page: no dialog opens, no
request goes to a planted address, and the planted words are there as text.
"""

from __future__ import annotations

import pwd
import subprocess
from pathlib import Path

import nbformat
import pytest

from e2e_support import run_jiuzhu
from hub_support import district_hub, fill_login, new_page, shoot_every_page

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

M01 = "m01_means_test"
PLANTED = {
    "markdown": "请查阅 <script>alert('planted-md')</script><img src=/planted-md onerror=\"alert('planted-md2')\">",
    "raw": "<script>alert('planted-raw')</script><img src=/planted-raw>",
    "code": ("from IPython.display import HTML, Javascript, display\n"
             "display(HTML(\"<b>学员输出</b><img src='/planted-out' onerror='alert(1)'>"
             "<style>td{background:url(/planted-css)}</style>\"))\n"
             "display(Javascript(\"alert('planted-js')\"))"),
}


@pytest.fixture(scope="module")
def hub():
    courses = [{"id": "qu", "title": "区级培训", "audience": "街镇工作人员", "trainers": ["tq"]}]
    with district_hub("xs", courses, {"qu": [("a1", "张三", "东湖街道", "东湖社区")]},
                      released={"qu": [M01]}) as env:
        yield {**env, "qu": env["courses"]["qu"], "trainee": env["trainees"]["qu"][0]}


def _as(user: str, *command: str) -> None:
    home = Path(pwd.getpwnam(user).pw_dir)
    done = subprocess.run(["runuser", "-u", user, "--", "env", f"HOME={home}", *command], cwd=home,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-1500:]


def _submit_planted(env) -> None:
    import os

    course, user = env["qu"], env["trainee"]
    nbgrader = str(Path(os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub")) / "bin" / "nbgrader")
    options = [f"--Exchange.root={env['hub'].exchange}", "--Exchange.path_includes_course=True",
               f"--course={course.id}", "--ExchangeFactory.submit=toolkit.training.course.inbound.OwnEntrySubmit"]
    _as(user, nbgrader, "fetch_assignment", M01, *options)
    path = Path(pwd.getpwnam(user).pw_dir) / course.id / M01 / f"{M01}.ipynb"
    nb = nbformat.read(path, as_version=4)
    raw = nbformat.v4.new_raw_cell(PLANTED["raw"])
    raw.metadata["raw_mimetype"] = "text/html"
    nb.cells += [nbformat.v4.new_markdown_cell(PLANTED["markdown"]), raw, nbformat.v4.new_code_cell(PLANTED["code"])]
    nbformat.write(nb, path)          # root rewrites the trainee's file in place: still theirs
    _as(user, nbgrader, "submit", M01, *options)


def _watch(page) -> dict:
    seen = {"dialogs": [], "requests": []}

    def dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on("request", lambda r: seen["requests"].append(r.url))
    return seen


def test_planted_html_runs_nowhere_in_the_trainers_browser(hub, browser):
    guards: list = []
    try:
        _scenario(hub, browser, guards)
    except BaseException:
        shoot_every_page(browser, "hub-trainee-html")
        raise


def _scenario(env, browser, guards) -> None:
    from nbgrader.api import Gradebook

    course, user = env["qu"], env["trainee"]
    _submit_planted(env)
    folder = str(course.folder)
    assert "已收取 1 份作业" in run_jiuzhu("course", "collect", M01, "--course", folder).stdout
    graded = run_jiuzhu("course", "grade", "--course", folder, "--all-in-kernel", "--quiet").stdout
    assert "未能评分 0 份" in graded and "answers.json" in graded, graded      # graded; no card answers
    autograded = nbformat.read(course.folder / "autograded" / user / M01 / f"{M01}.ipynb", as_version=4)
    outputs = [o for c in autograded.cells if c.source == PLANTED["code"] for o in c.get("outputs", [])]
    assert any("application/javascript" in o.get("data", {}) for o in outputs)    # the planted code ran
    assert "已生成 1 份反馈" in run_jiuzhu("course", "feedback", M01, "--course", folder).stdout

    with Gradebook(course.db_url) as gb:
        submission = gb.find_submission_notebook(M01, M01, user).id
    trainer = new_page(browser, guards)
    fill_login(trainer, env["url"], f"{env['tag']}-tq", env["passwords"][f"{env['tag']}-tq"])
    trainer.wait_for_url(f"{env['url']}/user/**", timeout=240_000)
    seen = _watch(trainer)
    trainer.goto(f"{env['url']}/services/{course.id}/formgrader/submissions/{submission}")
    trainer.get_by_text("学员输出").first.wait_for()
    trainer.wait_for_load_state("networkidle")
    text = trainer.locator("body").inner_text()
    assert "<script>alert('planted-md')</script>" in text and "<script>alert('planted-raw')</script>" in text
    assert seen["dialogs"] == []
    assert [u for u in seen["requests"] if "planted" in u] == []

    [page_file] = list((course.folder / "feedback" / user / M01).glob("*.html"))
    feedback = new_page(browser, guards)
    seen = _watch(feedback)
    feedback.set_content(page_file.read_text("utf-8"), wait_until="load")
    assert "<script>alert('planted-md')</script>" in feedback.locator("body").inner_text()
    assert seen["dialogs"] == []
    assert [u for u in seen["requests"] if "planted" in u] == []
    for guard in guards:
        guard.tolerate("https://cdnjs.cloudflare.com/ajax/libs/mathjax/", "formgrader's upstream template")
        assert guard.outside() == [], guard.outside()

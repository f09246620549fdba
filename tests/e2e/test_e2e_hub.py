"""Issue 11's done-when: a district's training on one real JupyterHub, through its proxy, in Chromium.

One hub with the two courses (区级培训, 街镇培训), each with its own trainer; three trainees of two
街镇 in 区级培训 and one 村居 cadre in 街镇培训, each with a system account made from the roster.
The three log in with their own passwords (read back from 账号清单.xlsx), fetch, answer on the
cards, submit; the trainer collects, grades with ``jiuzhu course grade`` and releases feedback;
each trainee fetches and reads their own feedback.  Nobody reaches another trainee's server or
files, nor a formgrader that is not their course's.

Everything started here (JupyterHub, its proxy, the formgrader services, trainees' servers) is
stopped by its own process id; the accounts made here are deleted at the end.
"""

from __future__ import annotations

import pwd
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from e2e_support import run_jiuzhu
from hub_support import district_hub, fill_login, new_page, shoot, shoot_every_page
from test_e2e_training import answer_in_browser, card, expect_saved

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

M01 = "m01_means_test"
TOWNS = {"a1": ("东湖街道", "东湖社区"), "a2": ("东湖街道", "湖滨社区"), "b1": ("西山镇", "西山村")}
OTHER = "c1"                               # the 街镇培训 course's trainee (a 村居 cadre)


@pytest.fixture(scope="module")
def hub():
    courses = [{"id": "qu", "title": "区级培训", "audience": "街镇工作人员", "trainers": ["tq"],
                "trainee_lab": "true"},      # this course's trainees may also open JupyterLab: they work there
               {"id": "jz", "title": "街镇培训", "audience": "村居干部", "trainers": ["tj"]}]
    rosters = {"qu": [(k, name, *TOWNS[k]) for k, name in (("a1", "张三"), ("a2", "李四"), ("b1", "王五"))],
               "jz": [(OTHER, "赵六", "东湖街道", "东湖社区")]}
    # the other course only has to exist (its formgrader, its group)
    with district_hub("jz", courses, rosters, released={"qu": [M01]}) as env:
        yield {**env, "qu": env["courses"]["qu"], "jz": env["courses"]["jz"]}


def _new_page(browser, guards: list):
    return new_page(browser, guards)


def _log_in(page, url: str, user: str, password: str) -> None:
    """Log in; trainees land on the exercise app, this course's trainees may open JupyterLab."""
    from toolkit.training.app import app_url

    fill_login(page, url, user, password)
    page.wait_for_url(f"{url}/user/{user}/**", timeout=240_000)
    if not page.url.split("?")[0].endswith("/lab"):          # a trainee: the app first, Lab by its address
        assert page.url.split("?")[0] == f"{url}/user/{user}{app_url()}", page.url
        page.goto(f"{url}/user/{user}/lab")
    page.wait_for_selector("#jp-main-dock-panel", state="visible", timeout=240_000)


def _wait_idle(page) -> None:
    page.wait_for_function("document.body.innerText.includes('| 空闲')", timeout=120_000)


_shot = shoot


def _trainee_works(page, env, user: str, first: bool) -> None:
    """Log in, fetch on the Assignments panel, start, answer every card right, save, submit."""
    from toolkit.training.trainee.casedata import trainer_case

    course = env["qu"]
    _log_in(page, env["url"], user, env["passwords"][user])
    panel = page.locator("#nbgrader-assignment-list")        # the first screen: the exercises
    released = panel.locator("#released_assignments_list")
    released.get_by_text(M01).wait_for()
    expect(page.locator("#jp-main-dock-panel")).not_to_contain_text("Formgrader")
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert menus[:3] == ["文件", "编辑", "查看"], menus                  # Chinese JupyterLab
    if first:
        _shot(page, "hub-cadre-01-first-screen")
    released.get_by_role("button", name="Fetch").click()
    downloaded = panel.locator("#fetched_assignments_list")
    downloaded.get_by_role("button", name=M01).click()
    downloaded.locator(f"#nbgrader-{course.id}-{M01}").get_by_text(M01, exact=True).click()

    notebook = page.locator(".jp-NotebookPanel").first
    notebook.wait_for()
    _wait_idle(page)
    page.locator("jp-button[data-command='notebook:restart-run-all']").first.click()   # the one action
    page.get_by_role("button", name="确认重启内核").click()
    notebook.get_by_text(f"学员：{user}").wait_for(timeout=120_000)
    case = trainer_case(course.folder, M01, user)       # the case made on the trainer's side
    card(page, "q1").wait_for()
    _wait_idle(page)
    expect(notebook).to_contain_text("尚未作答")
    shown = notebook.inner_text()
    for word in ("answers.json", "JIUZHU_STUDENT", "JUPYTERHUB", "from toolkit", "ex.cards()", "check("):
        assert word not in shown, word                               # no technical words, no code
    if first:
        _shot(page, "hub-cadre-02-case-and-cards")
    for question in case.questions:
        answer_in_browser(page, question)
        expect_saved(page, question.id)
    expect(notebook).not_to_contain_text("尚未作答")                   # the grading cells followed the saves
    expect(notebook.get_by_text(re.compile("第6题：已作答"))).to_be_visible()
    page.keyboard.press("Control+s")
    expect(page.locator(".lm-DockPanel-tabBar .jp-mod-dirty")).to_have_count(0)

    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    panel.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
    panel.locator("#submitted_assignments_list").get_by_text(M01).wait_for()
    home = Path(pwd.getpwnam(user).pw_dir)
    answers = home / course.id / M01 / "answers.json"
    assert answers.stat().st_uid == pwd.getpwnam(user).pw_uid      # the kernel ran as the trainee


def _denied(page, url: str) -> bool:
    response = page.goto(url)
    return response.status == 403 or "403" in page.title() or "没有权限" in page.content()


def test_district_training_on_one_hub(hub, browser):
    guards: list = []
    try:
        _scenario(hub, browser, guards)
    except BaseException:
        shoot_every_page(browser, "hub")
        raise


def _scenario(hub, browser, guards: list) -> None:
    env = hub
    tag, qu, jz = env["tag"], env["qu"], env["jz"]
    trainees = env["trainees"]["qu"]
    pages = {}
    for index, user in enumerate(trainees):
        pages[user] = _new_page(browser, guards)
        _trainee_works(pages[user], env, user, first=index == 0)

    # Nobody reaches what is not theirs: another trainee's server, any formgrader, another's home.
    a1, a2 = trainees[0], trainees[1]
    assert _denied(pages[a1], f"{env['url']}/user/{a2}/lab")
    assert _denied(pages[a1], f"{env['url']}/services/{jz.id}/formgrader")
    assert _denied(pages[a1], f"{env['url']}/services/{qu.id}/formgrader")
    other_home = Path(pwd.getpwnam(a2).pw_dir)
    peek = subprocess.run(["runuser", "-u", a1, "--", "cat", str(other_home / qu.id / M01 / "answers.json")],
                          capture_output=True, text=True)
    assert peek.returncode != 0 and "Permission denied" in peek.stderr
    assert other_home.stat().st_mode & 0o077 == 0

    # The trainer collects, grades with `jiuzhu course grade`, releases feedback.
    folder = str(qu.folder)
    collected = run_jiuzhu("course", "collect", M01, "--course", folder).stdout
    assert "已收取 3 份作业" in collected
    graded = run_jiuzhu("course", "grade", "--course", folder, "--jobs", "2", "--quiet").stdout
    assert "正常 3 份" in graded, graded
    released = run_jiuzhu("course", "feedback", M01, "--course", folder, "--release").stdout
    assert "已生成 3 份反馈" in released

    trainer = _new_page(browser, guards)
    _log_in(trainer, env["url"], f"{tag}-tq", env["passwords"][f"{tag}-tq"])
    assert _denied(trainer, f"{env['url']}/services/{jz.id}/formgrader")
    formgrader = trainer.context.new_page()             # formgrader in its own tab
    formgrader.goto(f"{env['url']}/services/{qu.id}/formgrader/manage_assignments")
    formgrader.locator("#main-table").get_by_text(M01).first.wait_for()
    formgrader.goto(f"{env['url']}/services/{qu.id}/formgrader/manage_students")
    for user in trainees:
        formgrader.locator("#main-table").get_by_text(user).first.wait_for()
    _shot(formgrader, "hub-trainer-formgrader")

    # Each trainee fetches and reads their own feedback, and only their own.
    from toolkit.training.trainee.casedata import trainer_case

    for index, user in enumerate(trainees):
        page = pages[user]
        page.goto(f"{env['url']}/user/{user}/lab")          # back from the refused pages
        page.wait_for_selector("#jp-main-dock-panel", state="visible", timeout=240_000)
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
        page.get_by_role("menuitem", name="Assignment List").click()
        panel = page.locator("#nbgrader-assignment-list")
        panel.locator("#submitted_assignments_list").get_by_role("button", name="Fetch Feedback").click()
        home = Path(pwd.getpwnam(user).pw_dir)
        feedback_dir = home / qu.id / M01 / "feedback"
        expect(panel.locator("#submitted_assignments_list")).to_contain_text("view feedback", timeout=60_000)
        [html] = list(feedback_dir.glob(f"*/{M01}.html"))
        relative = quote(html.relative_to(home).as_posix())
        page.goto(f"{env['url']}/user/{user}/files/{relative}")
        text = page.locator("body").inner_text()
        case = trainer_case(qu.folder, M01, user)
        full = sum(q.points for q in case.questions)
        assert re.search(rf"练习反馈：{re.escape(case.title)}（得分 {full:g}(\.0)? / {full:g}(\.0)?）", text), text[:400]
        assert f"学员：{user}" in text and "正确答案" in text and "依据" in text
        assert "In [" not in text and "from toolkit" not in text and "grade(" not in text
        for other in trainees:
            if other != user:
                assert other not in text
                assert _denied(page, f"{env['url']}/user/{other}/files/{relative}")
        if index == 0:
            page.goto(f"{env['url']}/user/{user}/files/{relative}")
            _shot(page, "hub-cadre-03-feedback")
    for guard in guards:
        assert guard.outside() == [], guard.outside()

    # A forgotten password: the trainer resets it; the old one stops working, the new one logs in.
    from toolkit.hub.accounts import reset_password

    cadre = f"{tag}-{OTHER}"
    new, shown_name = reset_password(env["hub"], cadre)
    assert shown_name == "赵*" and new != env["passwords"][cadre]
    assert not _can_log_in(env["url"], cadre, env["passwords"][cadre])
    assert _can_log_in(env["url"], cadre, new)


def _can_log_in(url: str, user: str, password: str) -> bool:
    import requests

    session = requests.Session()
    session.get(f"{url}/hub/login", timeout=60)
    reply = session.post(f"{url}/hub/login?next=/hub/home", allow_redirects=False, timeout=60,
                         data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf")})
    return reply.status_code == 302

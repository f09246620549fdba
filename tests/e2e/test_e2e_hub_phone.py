"""Issue 27's done-when: cadres finish their training on a phone, through the hub and its proxy.

One hub with the 街镇培训 course (村居干部, ``trainee_lab`` off: the app only) and three cadres. In
Chromium at phone sizes (390×844 and 360×640) each cadre logs in on the Chinese login page, lands on
我的练习, opens the exercise (the case and the answer cards, no code), answers — one all right, one
partly wrong, one partly blank — and submits in the app.  The trainer collects, grades with
``jiuzhu course grade`` and releases feedback with the existing CLI; each cadre then sees their own
score on 我的练习 and their feedback inside the app.  Every page visited is checked at both sizes: no
element wider than the viewport (on the app's pages also no cut text and 44 px tap targets, the checks
of test_e2e_cadre_app), and the visible text Chinese (only the cadre's own login and case code may appear
in Latin letters).  A cadre typing /lab meets a Chinese page, not JupyterLab.

Screenshots go to build/e2e/cadre-app-*.png; with ``JIUZHU_README_PICTURES=1`` the four the README
shows are also written to docs/img (:data:`README_PICTURES`), so they are refreshed on purpose only.
Everything started here is stopped by its own process id; the accounts are deleted at the end.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from e2e_support import REPO, run_jiuzhu
from hub_support import district_hub, fill_login, new_page, shoot, shoot_every_page
from test_e2e_cadre_app import assert_chinese, assert_phone_ready, code_of

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

M01 = "m01_means_test"
PHONES = {"390x844": (390, 844), "360x640": (360, 640)}
# (login suffix, name, what they do, the phone they use)
CADRES = [("c1", "赵六", "right", "390x844"), ("c2", "钱七", "wrong", "360x640"), ("c3", "孙八", "blank", "390x844")]
WRONG, BLANK = ("q1", "q3"), ("q2", "q4")       # the questions the second cadre gets wrong, the third leaves blank

FITS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.width > width + 1 || box.right > width + 1)
      wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(box.width)}px`
                + ` (${(el.innerText || '').slice(0, 30)})`);
  }
  return {width, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 8)};
}"""


@pytest.fixture(scope="module")
def hub():
    courses = [{"id": "jz", "title": "街镇培训", "audience": "村居干部", "trainers": ["tj"]}]
    rosters = {"jz": [(user, name, "东湖街道", "东湖社区") for user, name, _, _ in CADRES]}
    with district_hub("ja", courses, rosters, released={"jz": [M01]}) as env:
        yield {**env, "course": env["courses"]["jz"]}


def assert_fits(page, where: str) -> None:
    """No horizontal scrolling and no element wider than the viewport, in the page and in its frames
    (after a resize the page's layout follows within a few seconds, as when a phone is turned)."""
    from playwright.sync_api import TimeoutError as Timeout

    for frame in page.frames:
        try:
            frame.wait_for_function(f"(() => {{ const f = ({FITS})(); return f.scroll <= f.width && !f.wide.length; }})()",
                                    timeout=5_000)
        except Timeout:
            pass
        found = frame.evaluate(FITS)
        assert found["scroll"] <= found["width"] and not found["wide"], (where, frame.url[:60], found)


def chinese_only(page, where: str, allowed: tuple[str, ...]) -> None:
    """The visible text, frames included, is Chinese besides ``allowed`` (the cadre's login and case code)."""
    for frame in page.frames:
        text = frame.locator("body").inner_text()
        assert re.search(r"[\u4e00-\u9fff]", text), (where, text[:300])
        assert_chinese(text, allowed, where)


README_PICTURES = {"cadre-app-01-my-exercises": "cadre-app-my-exercises", "cadre-app-02-exercise": "cadre-app-exercise",
                   "cadre-app-04-submitted": "cadre-app-submitted", "cadre-app-06-feedback": "cadre-app-feedback"}


def check_page(page, where: str, allowed: tuple[str, ...], shot: str | None = None) -> None:
    """Layout at both phone sizes (and, on the app's pages, no cut text and 44 px tap targets), the
    language; the screenshot at the cadre's own size."""
    own = page.viewport_size
    for width, height in PHONES.values():
        page.set_viewport_size({"width": width, "height": height})
        assert_fits(page, f"{where} {width}×{height}")
        if page.locator(".jiuzhu-app").count():
            assert_phone_ready(page, f"{where} {width}×{height}")
    page.set_viewport_size(own)
    chinese_only(page, where, allowed)
    if shot:
        taken = shoot(page, shot)
        if shot in README_PICTURES and os.environ.get("JIUZHU_README_PICTURES") == "1":
            shutil.copyfile(taken, REPO / "docs" / "img" / f"{README_PICTURES[shot]}.png")


def card(page, qid: str):
    """The answer card of question ``q<n>`` (a box whose heading says 第n题)."""
    heading = page.locator(":scope > .widget-html", has_text=f"第{qid.lstrip('q')}题（")
    return page.locator(".widget-vbox").filter(has=heading)


def enter(page, question, raw) -> None:
    """Type or tick ``raw`` (simulate.right_raw / wrong_raw) on the question's card, as a cadre does."""
    box = card(page, question.id)
    if question.kind in ("choice", "multi"):
        picked = {raw} if question.kind == "choice" else set(raw)
        for option in question.options:
            if option.key in picked:
                box.get_by_label(option.label, exact=True).check()
        return
    field = box.locator("input:not([type=radio]):not([type=checkbox]), textarea").first
    if field.get_attribute("type") == "date":
        raw = question.answer.isoformat() if raw is None else str(raw)
        raw = re.sub(r"(\d+)年(\d+)月(\d+)日", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", raw)
    field.fill(str(raw))


def plan_answers(course, user: str, does: str) -> tuple[dict, float, float]:
    """What the cadre enters (question id → raw answer; blank ones left out), the points it earns and the full points."""
    from toolkit.training.course.simulate import right_raw, wrong_raw
    from toolkit.training.trainee.casedata import trainer_case

    rng = random.Random(27)
    case = trainer_case(course.folder, M01, user)
    answers, earned, full = {}, Decimal(0), Decimal(0)
    for question in case.questions:
        full += Decimal(str(question.points))
        if does == "blank" and question.id in BLANK:
            continue
        wrong = does == "wrong" and question.id in WRONG
        answers[question.id] = (wrong_raw if wrong else right_raw)(question, rng)
        parsed = answers[question.id]
        if question.kind == "multi":
            parsed = frozenset(parsed)
        elif question.kind in ("number", "date"):
            parsed = None if wrong else question.answer
        share = question.score(parsed) if parsed is not None else 0.0
        earned += Decimal(str(question.points)) * Decimal(str(share))
    assert Decimal(0) < earned <= full and (does == "right") == (earned == full), (does, earned, full)
    return answers, float(earned), float(full)


def points(value: float) -> str:
    """A score as the app may print it: 8 or 8.0, 7.5."""
    return rf"{value:g}(\.0+)?" if value == int(value) else re.escape(f"{value:g}")


def test_cadres_finish_their_training_on_a_phone(hub, browser):
    guards: list = []
    try:
        _scenario(hub, browser, guards)
    except BaseException:
        shoot_every_page(browser, "cadre-app")
        raise
    for guard in guards:
        assert guard.outside() == [], guard.outside()


def _scenario(env, browser, guards: list) -> None:
    course, url = env["course"], env["url"]
    logins = env["trainees"]["jz"]
    pages, expected = {}, {}
    for (_, _, does, phone), user in zip(CADRES, logins):
        width, height = PHONES[phone]
        pages[user] = new_page(browser, guards, width, height, is_mobile=True, has_touch=True)
        answers, earned, full = plan_answers(course, user, does)
        expected[user] = (earned, full)
        _answer_and_submit(pages[user], env, user, answers, first=does == "right")

    first = logins[0]
    lab = pages[first].goto(f"{url}/user/{first}/lab")           # trainee_lab is off for this course
    assert lab.status == 404 and "没有这个页面" in pages[first].locator("body").inner_text()
    assert "jp-LabShell" not in pages[first].content()
    check_page(pages[first], "/lab", (first,))
    for path in ("tree", "terminals/1", "notebooks/x.ipynb"):
        assert pages[first].goto(f"{url}/user/{first}/{path}").status == 404, path

    folder = str(course.folder)
    collected = run_jiuzhu("course", "collect", M01, "--course", folder).stdout
    assert "已收取 3 份作业" in collected, collected
    graded = run_jiuzhu("course", "grade", "--course", folder, "--jobs", "2", "--quiet").stdout
    assert "正常 3 份" in graded, graded
    released = run_jiuzhu("course", "feedback", M01, "--course", folder, "--release").stdout
    assert "已生成 3 份反馈" in released, released

    for index, user in enumerate(logins):
        _read_feedback(pages[user], env, user, *expected[user], first=index == 0)


def _my_exercises(page):
    """我的练习 (the app's first page) on screen."""
    page.locator(".jiuzhu-h1", has_text="我的练习").wait_for(timeout=240_000)
    return page.locator(".jiuzhu-row").filter(has_text=TITLE[0])


TITLE: list[str] = []          # the exercise's Chinese title (from the trainer's case)


def _answer_and_submit(page, env, user: str, answers: dict, first: bool) -> None:
    from toolkit.training.trainee.casedata import trainer_case

    url = env["url"]
    case = trainer_case(env["course"].folder, M01, user)
    TITLE[:] = [case.title]
    allowed = (user, code_of(case))          # Latin a cadre may see: their login and case code
    fill_login(page, url, user, env["passwords"][user])
    page.wait_for_url(f"{url}/user/{user}/voila/**", timeout=240_000)      # straight into the app
    row = _my_exercises(page)
    expect(row.locator(".jiuzhu-chip")).to_have_text("未开始")
    expect(row).to_contain_text("课程：街镇培训")
    check_page(page, "我的练习", allowed, "cadre-app-01-my-exercises" if first else None)
    row.get_by_role("button", name="开始").click()

    card(page, case.questions[0].id).wait_for(timeout=120_000)
    shown = page.locator("body").inner_text()
    for word in ("answers.json", "JIUZHU", "JUPYTERHUB", "import ", "from toolkit", "ex.cards()", "In ["):
        assert word not in shown, word                               # no code, no technical words
    assert page.locator(".jp-InputArea, .jp-Toolbar, .lm-MenuBar").count() == 0
    assert f"学员：{user}" in shown
    check_page(page, "练习", allowed, "cadre-app-02-exercise" if first else None)
    for question in case.questions:
        if question.id in answers:
            enter(page, question, answers[question.id])
            card(page, question.id).get_by_text("✔ 已保存").wait_for()
    if first:
        card(page, case.questions[-1].id).scroll_into_view_if_needed()
        check_page(page, "作答后", allowed, "cadre-app-03-answered")
    page.get_by_role("button", name="提交", exact=True).click()
    if len(answers) < len(case.questions):          # blank questions: the app asks first
        expect(page.locator("body")).to_contain_text("提交前检查")
        check_page(page, "提交前检查", allowed)
        page.get_by_role("button", name="仍然提交").click()
    done = page.get_by_text("✔ 已提交")
    expect(done).to_be_visible(timeout=120_000)
    done.evaluate("el => el.scrollIntoView({block: 'center'})")
    check_page(page, "已提交", allowed, "cadre-app-04-submitted" if first else None)
    page.get_by_role("button", name="‹ 返回我的练习").first.click()
    expect(_my_exercises(page).locator(".jiuzhu-chip")).to_have_text("已提交")


def _read_feedback(page, env, user: str, earned: float, full: float, first: bool) -> None:
    from toolkit.training.trainee.casedata import trainer_case

    allowed = (user, code_of(trainer_case(env["course"].folder, M01, user)))
    page.goto(f"{env['url']}/user/{user}/")                          # the hub's address for the app
    row = _my_exercises(page)
    expect(row.locator(".jiuzhu-chip")).to_have_text(re.compile(rf"^已评分 {points(earned)} 分$"), timeout=120_000)
    check_page(page, "我的练习（已评分）", allowed, "cadre-app-05-scored" if first else None)
    row.get_by_role("button", name="查看反馈").click()
    expect(page.locator(".jiuzhu-score")).to_have_text(re.compile(rf"^得分 {points(earned)} / {points(full)} 分$"),
                                                        timeout=120_000)
    feedback = page.frame_locator("iframe.jiuzhu-feedback").locator("body")
    expect(feedback).to_contain_text("正确答案")
    text = feedback.inner_text()
    assert f"学员：{user}" in text and "依据" in text, text[:400]
    for other in env["trainees"]["jz"]:
        assert other == user or other not in text                  # nobody else's data
    assert "In [" not in text and "from toolkit" not in text
    check_page(page, "反馈", allowed, "cadre-app-06-feedback" if first else None)

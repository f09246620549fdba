"""Issue 27: cadres finish an exercise on a phone in the Voilà app, from 我的练习 to the feedback.

A real single-user Jupyter server runs Voilà with the app's options (``server_args()``) over a real
nbgrader exchange in a temporary course; Chromium plays two cadres on two phones: one at 390×844
answers m01 (amounts) all right, one at 360×640 answers m02 (dates, a day count) partly wrong with
one question blank.  The trainer collects, grades and releases feedback with the toolkit's CLI; each
cadre then sees the score and the feedback in the app.  On every page: no element wider than the
screen, options never cut off, tap targets of at least 44 px, number pads for amounts, only Chinese
(besides the listed Latin tokens), and neither the page nor its source carries an answer or the
other cadre's case.  Screenshots: build/e2e/app-*.png; timings: build/e2e/app-timings.json.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e_support import REPO, SHOTS, run_jiuzhu

pytestmark = [pytest.mark.e2e, pytest.mark.slow]   # a real browser, Jupyter server and kernels

COURSE_ID = "jiuzhu"
M01, M02 = "m01_means_test", "m02_procedure"
# cadre → (exercise, phone viewport, questions answered wrong, questions left blank)
CADRES = {
    "cadre-a": (M01, (390, 844), (), ()),
    "cadre-b": (M02, (360, 640), ("q1",), ("q4",)),
}
TIMINGS: dict[str, float] = {}
DUE = datetime(2031, 6, 30, 10, 0, tzinfo=timezone.utc)
DUE_SHOWN = "截止时间：2031年6月30日 18:00"             # Beijing time


def _voila_prefix() -> Path:
    import voila

    return Path(voila.__file__).resolve().parents[4]      # <prefix>/lib/pythonX.Y/site-packages/voila


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from toolkit.training.course.simulate import set_due_dates

    root = tmp_path_factory.mktemp("app-course") / "courses"
    root.mkdir()
    shutil.copy(REPO / "courses" / "nbgrader_config.py", root / "nbgrader_config.py")
    run_jiuzhu("course", "build", M01, M02, "--course", str(root))
    set_due_dates(root, {M01: DUE})          # what a trainer sets in formgrader; m02 has none
    run_jiuzhu("course", "release", M01, M02, "--course", str(root))
    for cadre in CADRES:
        run_jiuzhu("course", "cases", "--student", cadre, "--course", str(root))
    return root


def cadre_server(lab_factory, course: Path, base: Path, cadre: str):
    """The cadre's own server: Voilà with the app's options, the nbgrader config a hub gives trainees."""
    from toolkit.training.app import install_app, server_args, template_root

    home = base / cadre
    home.mkdir()
    install_app(home)
    config = (f"c = get_config()\n"
              f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
              f"c.CourseDirectory.student_id = {cadre!r}\n"          # a hub: the account's own name
              f"c.Exchange.root = {str(course / 'exchange')!r}\n"
              f"c.Exchange.cache = {str(base / (cadre + '-cache'))!r}\n"
              f"c.Exchange.path_includes_course = True\n")
    prefix = _voila_prefix()
    env = {"JIUZHU_STUDENT": cadre, "JIUZHU_CASES": str(course / "cases"),
           # an editable install has no data-files: the app's template from the package, Voilà's beside it
           "JUPYTER_PATH": f"{template_root()}:{prefix / 'share' / 'jupyter'}",
           "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter")}
    return home, lab_factory(cadre, home, nbgrader_config=config, env=env, args=server_args())


def case_of(course: Path, assignment: str, cadre: str):
    from toolkit.training.trainee.casedata import trainer_case

    return trainer_case(course, assignment, cadre)


def code_of(case) -> str:
    """The case code the banner shows (hex: Latin letters a cadre may see)."""
    from toolkit.training.trainee.casedata import case_code

    return case_code(case.seed)


def planned_answers(case, wrong, blank) -> tuple[dict, float]:
    """What the cadre enters (as typed) and the points it must earn."""
    from toolkit.training.course.simulate import right_raw, wrong_raw

    rng = random.Random(27)
    answers, earned = {}, 0.0
    for q in case.questions:
        if q.id in blank:
            continue
        answers[q.id] = wrong_raw(q, rng) if q.id in wrong else right_raw(q, rng)
        earned += 0 if q.id in wrong else q.points
    return answers, earned


# --------------------------------------------------------------------------- what a phone must show

PHONE_CHECKS = """() => {
  const vw = document.documentElement.clientWidth;
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const inTable = el => !!el.closest('.jiuzhu-case table');        // a wide table scrolls in its own box
  const wide = [], cut = [], small = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || inTable(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1) wide.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  for (const el of document.querySelectorAll('.jiuzhu-app label, .jiuzhu-app label *, .jiuzhu-app .widget-html-content')) {
    if (visible(el) && el.scrollWidth > el.clientWidth + 1) cut.push(el.textContent.slice(0, 40));
    if (visible(el) && getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) cut.push(el.textContent);
  }
  const targets = [...document.querySelectorAll('.jiuzhu-app button, .jiuzhu-app input[type=text], .jiuzhu-app input[type=date], .jiuzhu-app textarea')]
      .concat([...document.querySelectorAll('.jiuzhu-app input[type=radio], .jiuzhu-app input[type=checkbox]')].map(i => i.closest('label')));
  for (const el of targets) {
    if (!el || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) small.push(`${el.tagName} ${el.textContent.slice(0, 20)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return {vw, pageWidth: document.scrollingElement.scrollWidth, wide: wide.slice(0, 10), cut, small};
}"""


def assert_phone_ready(page, where: str) -> None:
    found = page.evaluate(PHONE_CHECKS)
    assert found["pageWidth"] <= found["vw"], f"{where}: 页面可横向滚动 {found}"
    assert not found["wide"], f"{where}: 元素宽于屏幕 {found['wide']}"
    assert not found["cut"], f"{where}: 文字被截断 {found['cut']}"
    assert not found["small"], f"{where}: 点击区域小于 44 px {found['small']}"


def assert_chinese(text: str, allowed: tuple[str, ...], where: str) -> None:
    """Only Chinese besides the listed Latin tokens (the cadre's login id and case code)."""
    for token in sorted(allowed, key=len, reverse=True):
        text = text.replace(token, "")
    latin = sorted(set(re.findall(r"[A-Za-z]+", text)))
    assert not latin, f"{where}: 页面上有英文 {latin}"


def assert_no_answers(page, lab, course: Path, case, other_case, where: str, tmp: Path) -> None:
    """Neither the page (as rendered) nor its source carries answers, grading code or another's case."""
    from toolkit.training.app import app_url
    from toolkit.training.grading.leaks import scan

    import urllib.request

    request = urllib.request.Request(f"{lab.url}{app_url()}", headers=lab.auth_headers())
    with urllib.request.urlopen(request, timeout=120) as response:
        source = response.read().decode("utf-8")
    rendered = page.content()
    for name, text in (("source", source), ("rendered", rendered)):
        path = tmp / f"{where}-{name}.html"
        path.write_text(text, encoding="utf-8")
        assert scan(course, [path]) == [], f"{where} {name}: 泄露"
        for q in case.questions:
            if q.explanation:
                assert q.explanation not in text, f"{where} {name}: 出现了第 {q.id} 题的解析"
        for word in ("正确答案", "grade(", "check(", "answers.json", "Traceback", "from toolkit"):
            assert word not in text, f"{where} {name}: {word}"
        theirs = only_theirs(case, other_case)
        for word in theirs:
            assert word not in text, f"{where} {name}: 出现了另一位学员案例中的 {word}"
        assert other_case.title == case.title and theirs     # the check can fail


def only_theirs(case, other_case) -> set[str]:
    """Words of the other cadre's case (names, villages) that nothing in this cadre's case says."""
    mine = case.intro_markdown + "".join(q.prompt + "".join(o.label for o in q.options) for q in case.questions)
    return {word for word in people(other_case) if word not in mine}


def people(case) -> set[str]:
    """Short Chinese words in a case's tables: the names of people, villages, offices."""
    words = set()
    for line in case.intro_markdown.splitlines():
        if line.startswith("|"):
            words |= {c.strip() for c in line.strip().strip("|").split("|")
                      if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", c.strip())}
    return words


# --------------------------------------------------------------------------- the cadre's actions

def card(page, qid: str):
    heading = page.locator(":scope > .widget-html", has_text=f"第{qid.lstrip('q')}题（")
    return page.locator(".jiuzhu-app .widget-vbox").filter(has=heading)


def enter(page, question, raw) -> None:
    box = card(page, question.id)
    if question.kind == "multi":
        for option in question.options:
            if option.key in raw:
                box.get_by_label(option.label, exact=True).check()
    elif question.kind == "choice":
        box.get_by_label(next(o.label for o in question.options if o.key == raw), exact=True).check()
    elif question.kind == "date":
        from toolkit.training.trainee.parsing import parse_response

        box.locator("input[type=date]").fill(parse_response(question, raw).isoformat())
    else:
        box.locator("input[type=text]").fill(str(raw))
    box.get_by_text("✔ 已保存").wait_for()


def open_app(page, lab, name: str) -> None:
    from toolkit.training.app import app_url

    started = time.monotonic()
    page.goto(f"{lab.url}{app_url()}?token={lab.token}")
    page.locator(".jiuzhu-app").first.wait_for(timeout=120_000)
    TIMINGS[name + " 页面"] = round(time.monotonic() - started, 2)   # the app (list included) on screen
    page.locator(".jiuzhu-row").first.wait_for(timeout=120_000)
    TIMINGS[name + " 列表"] = round(time.monotonic() - started, 2)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_cadres_finish_on_a_phone(course, lab_factory, browser, network_guard, tmp_path):
    contexts: list = []
    try:
        _cadres_finish(course, lab_factory, browser, network_guard, tmp_path, contexts)
    except BaseException:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for index, context in enumerate(contexts):     # what each phone showed
            for page in context.pages:
                page.screenshot(path=str(SHOTS / f"FAILED-app-{index}.png"))
        raise
    finally:
        for context in contexts:
            context.close()


def _cadres_finish(course, lab_factory, browser, network_guard, tmp_path, contexts: list) -> None:
    servers, pages, expected = {}, {}, {}
    cases = {cadre: case_of(course, assignment, cadre) for cadre, (assignment, *_rest) in CADRES.items()}
    titles = {a: case_of(course, a, "cadre-a").title for a in (M01, M02)}
    for cadre, (assignment, (width, height), wrong, blank) in CADRES.items():
        home, lab = cadre_server(lab_factory, course, tmp_path, cadre)
        servers[cadre] = (home, lab)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      service_workers="block", is_mobile=True, has_touch=True)
        contexts.append(context)
        network_guard.install(context)
        page = context.new_page()
        pages[cadre] = page
        tag = f"app-{width}x{height}"
        other_cadre = next(k for k in CADRES if k != cadre)
        case, other = cases[cadre], case_of(course, assignment, other_cadre)   # the other's version of it
        allowed = (cadre, code_of(case))

        # 我的练习: both released exercises with their Chinese titles, 未开始, one button each.
        open_app(page, lab, f"{cadre} 我的练习（首次打开）")
        rows = page.locator(".jiuzhu-row")
        expect(rows).to_have_count(2)
        for index, exercise in enumerate((M01, M02)):
            expect(rows.nth(index)).to_contain_text(titles[exercise])
            expect(rows.nth(index)).to_contain_text("未开始")
            expect(rows.nth(index).get_by_role("button")).to_have_text(["开始"])
        expect(rows.nth(0)).to_contain_text(DUE_SHOWN)
        expect(rows.nth(1)).not_to_contain_text("截止时间")
        assert_phone_ready(page, f"{tag} 我的练习")
        assert_chinese(page.locator("body").inner_text(), allowed, f"{tag} 我的练习")
        shot(page, f"{tag}-01-my-exercises")

        # 开始: fetched through the exchange; the case and the cards, no code.
        row = rows.filter(has_text=titles[assignment])
        started = time.monotonic()
        row.get_by_role("button", name="开始").click()
        card(page, case.questions[-1].id).wait_for(timeout=120_000)
        TIMINGS[f"{cadre} 开始 → 答题卡"] = round(time.monotonic() - started, 2)
        assert (home / COURSE_ID / assignment / f"{assignment}.ipynb").is_file()
        body = page.locator("body")
        expect(body).to_contain_text(f"学员：{cadre}")
        for cell in people(case):
            expect(body).to_contain_text(cell)
        expect(page.locator(".jp-InputArea:visible, .jp-Toolbar, .lm-MenuBar")).to_have_count(0)
        amounts = [q for q in case.questions if q.kind == "number" and q.unit == "元"]
        counts = [q for q in case.questions if q.kind == "number" and q.unit != "元"]
        dates = [q for q in case.questions if q.kind == "date"]
        expect(page.locator(".jiuzhu-amount input[inputmode=decimal]")).to_have_count(len(amounts))
        expect(page.locator(".jiuzhu-count input[inputmode=numeric]")).to_have_count(len(counts))
        expect(page.locator(".jiuzhu-app input[type=date]")).to_have_count(len(dates))
        for q in case.questions:
            for option in q.options:   # every option in full, not cut with …
                expect(card(page, q.id).get_by_text(option.label, exact=True)).to_be_visible()
        assert_phone_ready(page, f"{tag} 练习")
        assert_chinese(body.inner_text(), allowed, f"{tag} 练习")
        assert_no_answers(page, lab, course, case, other, f"{tag}-exercise", tmp_path)
        shot(page, f"{tag}-02-exercise")

        # Answer on the cards (autosaved), then 提交 (with the 检查作答 check when one is blank).
        answers, expected[cadre] = planned_answers(case, wrong, blank)
        for q in case.questions:
            if q.id in answers:
                enter(page, q, answers[q.id])
        page.get_by_role("button", name="提交", exact=True).click()
        if blank:
            expect(body).to_contain_text("提交前检查")
            expect(body).to_contain_text("还有 1 题未作答")
            assert_phone_ready(page, f"{tag} 提交前检查")
            shot(page, f"{tag}-03-check-before-submit")
            page.get_by_role("button", name="仍然提交").click()
        expect(body).to_contain_text("✔ 已提交", timeout=60_000)
        inbound = list((course / "exchange" / COURSE_ID / "inbound").glob(f"{cadre}+{assignment}+*"))
        assert len(inbound) == 1
        saved = json.loads((inbound[0] / "answers.json").read_text(encoding="utf-8"))
        kinds = {q.id: q.kind for q in case.questions}
        assert saved["student"] == cadre
        assert {k: v["raw"] for k, v in saved["answers"].items()} == {
            qid: _iso(case, qid, raw) if kinds[qid] == "date" else raw for qid, raw in answers.items()}
        shot(page, f"{tag}-04-submitted")
        page.get_by_role("button", name="‹ 返回我的练习").first.click()
        expect(rows.filter(has_text=titles[assignment])).to_contain_text("已提交")

    # The trainer collects, grades and releases feedback with the toolkit's CLI.
    folder = str(course)
    collected = run_jiuzhu("course", "collect", M01, M02, "--course", folder).stdout
    assert "已收取" in collected, collected
    graded = run_jiuzhu("course", "grade", "--course", folder, "--jobs", "2", "--quiet").stdout
    assert "正常 2 份" in graded, graded
    # nbconvert's templates where Voilà's are (a worktree's venv sees the shared one's packages only)
    templates = {"JUPYTER_PATH": str(_voila_prefix() / "share" / "jupyter")}
    released = run_jiuzhu("course", "feedback", M01, M02, "--course", folder, "--release", env=templates).stdout
    assert "已发布 2 份" in released, released

    # Each cadre sees the score on 我的练习 and the feedback inside the app.
    for cadre, (assignment, (width, height), wrong, blank) in CADRES.items():
        page, (home, lab) = pages[cadre], servers[cadre]
        tag, case = f"app-{width}x{height}", cases[cadre]
        page.get_by_role("button", name="刷新").click()
        row = page.locator(".jiuzhu-row").filter(has_text=titles[assignment])
        expect(row).to_contain_text(f"已评分 {expected[cadre]:g} 分", timeout=60_000)
        total = sum(q.points for q in case.questions)
        assert_phone_ready(page, f"{tag} 已评分")
        shot(page, f"{tag}-05-graded")
        row.get_by_role("button", name="查看反馈").click()
        expect(page.locator(".jiuzhu-score")).to_have_text(f"得分 {expected[cadre]:g} / {total:g} 分")
        frame = page.frame_locator("iframe.jiuzhu-feedback")
        feedback = frame.locator("body")
        expect(feedback).to_contain_text(f"学员：{cadre}")
        expect(feedback).to_contain_text("正确答案")
        for q in case.questions:
            expect(feedback).to_contain_text(q.basis)
        other = next(k for k in CADRES if k != cadre)
        expect(feedback).not_to_contain_text(other)
        assert_phone_ready(page, f"{tag} 反馈")
        assert_chinese(page.locator("body").inner_text(), (cadre, code_of(case)), f"{tag} 反馈")
        shot(page, f"{tag}-06-feedback")
        started = time.monotonic()
        page.goto(page.url)      # a later visit: the app opens again (browser cache warm)
        page.locator(".jiuzhu-row").first.wait_for(timeout=120_000)
        TIMINGS[f"{cadre} 我的练习（再次打开）"] = round(time.monotonic() - started, 2)
    # A wrong address: a Chinese page with the way back, no English error.
    page, (home, lab) = pages["cadre-a"], servers["cadre-a"]
    response = page.goto(f"{lab.url}/voila/render/no-such-page.ipynb")
    assert response.status == 404
    expect(page.locator("body")).to_contain_text("页面打不开（404）")
    assert_chinese(page.locator("body").inner_text(), (), "错误页")
    page.get_by_role("link", name="返回我的练习").click()
    page.locator(".jiuzhu-row").first.wait_for(timeout=120_000)
    assert network_guard.outside() == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "app-timings.json").write_text(json.dumps(TIMINGS, ensure_ascii=False, indent=1), encoding="utf-8")
    print("app timings (s):", TIMINGS)


def _iso(case, qid: str, raw: str) -> str:
    """A date picked on the phone is saved as 2018-10-08 whatever the plan's spelling was."""
    from toolkit.training.trainee.parsing import parse_response

    question = next(q for q in case.questions if q.id == qid)
    return parse_response(question, raw).isoformat()

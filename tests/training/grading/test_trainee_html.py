"""A trainee's HTML in a submission is shown as text or cleaned (toolkit.training.grading.trainee_html):
each planted trick runs or loads something in nbgrader's formgrade page without the preprocessor and
nothing with it; the trainee's words still read the same; the source's locked cells and our own
outputs (feedback of test cells, the case, the answers table) look as before."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

import toolkit.training.grading
from training_helpers import active_content
from toolkit.training.grading.trainee_html import TraineeHTML, clean_css, clean_html

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def _md(source, **nbgrader):
    cell = nbformat.v4.new_markdown_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, **nbgrader}
    return cell


def _raw(source, **metadata):
    cell = nbformat.v4.new_raw_cell(source)
    cell.metadata.update(metadata)
    return cell


def _out(data, metadata=None, kind="display_data"):
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output(kind, data=data, metadata=metadata or {},
                                           **({"execution_count": 1} if kind == "execute_result" else {}))]
    return cell


def _notebook(cells, metadata=None):
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(metadata or {})
    nb.cells = [_md("# 家庭收入核算", grade_id="intro", locked=True), *cells]
    return nb


def render(nb, *, clean=True, twice=False, template="formgrade") -> str:
    """The notebook as nbgrader's formgrader renders it (its ``formgrade`` template), or as the
    course's feedback page (``feedback``)."""
    import nbgrader
    from nbconvert.exporters import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = template
    config.HTMLExporter.extra_template_basedirs = [
        str(Path(toolkit.training.grading.__file__).parent / "templates"),
        str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]
    config.HTMLExporter.extra_template_paths = [   # as GenerateFeedback sets it (bootstrap.min.css)
        str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "static" / "node_modules"
            / "bootstrap" / "dist" / "css")]
    if clean:
        config.HTMLExporter.preprocessors = [TraineeHTML] * (2 if twice else 1)
    resources = {"assignment_id": "m01", "notebook_id": "m01", "submission_id": "1", "index": 0, "total": 1,
                 "base_url": "/services/quji", "student": "dh001", "last_name": "", "first_name": "",
                 "notebook_path": "x", "nbgrader": {"notebook": "m01", "assignment": "m01", "score": 1,
                                                     "max_score": 2, "late_penalty": 0}}
    html, _ = HTMLExporter(config=config).from_notebook_node(nb, resources=resources)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", html)


def in_browser(check):
    """``check(page)`` in Debian's Chromium (as the e2e tests drive it), every request outside
    file:// refused; its result.  Run in a thread of its own: in the worker that runs the browser
    tests, their session's Playwright keeps an event loop running in the main thread, where a
    second sync Playwright refuses to start."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    def run():
        from playwright.sync_api import sync_playwright

        chromium = os.environ.get("JIUZHU_CHROMIUM", "/usr/bin/chromium")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                return check(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture(scope="module")
def page_scripts():
    """What the formgrade page itself runs and loads (its own scripts)."""
    return active_content(render(_notebook([])))


def _svg(inside):
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{inside}</svg>'


ATTACKS = [
    # (name, trainee's cell, words the trainer still reads in the page)
    ("markdown script", _md("hi <script>alert(document.cookie)</script>"), "hi <script>alert(document.cookie)</script>"),
    ("markdown img onerror", _md('<img src=x onerror="fetch(1)">'), '<img src=x onerror="fetch(1)">'),
    ("markdown svg onload", _md("<svg onload=alert(1)></svg>"), "<svg onload=alert(1)></svg>"),
    ("markdown javascript link", _md("[点这里](javascript:alert(1))"), "点这里"),
    ("markdown javascript link, escaped colon", _md("[点这里](javascript\\:alert(1))"), "点这里"),
    ("markdown javascript reference link", _md("[点这里][x]\n\n[x]: javascript:alert(1)"), "点这里"),
    ("markdown html javascript link", _md('<a href="javascript:alert(1)">点这里</a>'), "点这里"),
    ("markdown iframe", _md('<iframe src="javascript:alert(1)"></iframe>'), "<iframe"),
    ("markdown style block loads", _md("<style>body{background:url(http://evil.example/x)}</style>"),
     "background:url"),
    ("markdown style attribute loads", _md('<div style="background-image:url(http://evil.example/x)">x</div>'),
     "background-image"),
    ("markdown link in code span", _md("`[x](javascript:alert(1))` 和 <img src=x onerror=alert(1)>"),
     "[x](javascript:alert(1))"),
    ("markdown in an html block", _md("<div>\n\n[x](javascript:alert(1))\n\n</div>"), "<div>"),
    ("forged locked markdown (no grade id)", _md("<img src=x onerror=alert(1)>", locked=True),
     "<img src=x onerror=alert(1)>"),
    ("markdown answer cell", _md("<img src=x onerror=alert(1)>", grade_id="a1", solution=True, grade=True,
                                 points=2, locked=False), "<img src=x onerror=alert(1)>"),
    ("output html script", _out({"text/html": "<b>好</b><script>alert(3)</script>", "text/plain": "p"}), "好"),
    ("output html onerror", _out({"text/html": "<img src=x onerror=alert(3)>", "text/plain": "p"}), None),
    ("output html style loads", _out({"text/html": "<style>@import url(http://evil.example/x.css);"
                                                   "td{background:url(http://evil.example/y)}</style>",
                                      "text/plain": "p"}), None),
    ("output javascript", _out({"application/javascript": "alert(4)", "text/plain": "脚本"}), "脚本"),
    ("output markdown", _out({"text/markdown": "<img src=x onerror=alert(5)> [a](javascript:alert(5))",
                              "text/plain": "p"}), "<img src=x onerror=alert(5)>"),
    ("output png size attribute", _out({"image/png": PNG}, {"image/png": {"width": "1 onerror=alert(7)"}}), None),
    ("execute result html", _out({"text/html": "<a href='javascript:alert(8)'>链接</a>", "text/plain": "p"},
                                 kind="execute_result"), "链接"),
]


@pytest.mark.parametrize("name,cell,words", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_planted_content_runs_and_loads_nothing(name, cell, words, page_scripts):
    nb = _notebook([cell])
    assert active_content(render(nb, clean=False)) != page_scripts, "the trick is harmless even uncleaned"
    page = render(nb)
    assert active_content(page) == page_scripts
    if words is not None:
        assert words in BeautifulSoup(page, "html.parser").get_text()


@pytest.mark.parametrize("metadata", [{"raw_mimetype": "text/html"}, {"format": "text/html"}, {}])
def test_raw_cells_are_shown_as_text(metadata, page_scripts):
    """(nbconvert 7.17 already cleans a raw HTML cell; shown as text it needs no cleaning.)"""
    source = "<script>alert(2)</script>\n<img src=x onerror=alert(2)> [x](javascript:alert(2))"
    page = render(_notebook([_raw(source, **metadata)]))
    assert active_content(page) == page_scripts
    assert source in BeautifulSoup(page, "html.parser").get_text()


def test_svg_outputs_keep_the_drawing_only():
    svg = _svg("<script>alert(6)</script><rect width='5' height='5' fill='red' onclick='alert(6)'/>"
               "<a href='javascript:alert(6)'><text x='1' fill='url(http://evil.example/p)'>字</text></a>"
               "<foreignObject><img src=x onerror=alert(6)></foreignObject>")
    page = render(_notebook([_out({"image/svg+xml": svg, "text/plain": "p"})]))
    image = BeautifulSoup(page, "html.parser").find("img", src=re.compile("^data:image/svg"))
    shown = base64.b64decode(image["src"].split(",", 1)[1]).decode()
    assert shown == ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">alert(6)'
                     '<rect width="5" height="5" fill="red"></rect><text x="1">字</text></svg>')


def test_widget_state_is_dropped():
    """(The formgrade and feedback templates do not load widgets; nbconvert's own ones would render the
    state's HTML widgets with the widget manager from a CDN.)"""
    state = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0, "state": {}}}
    nb, _ = TraineeHTML().preprocess(_notebook([], {"widgets": state}), {})
    assert "widgets" not in nb.metadata


def test_trainee_markdown_reads_the_same_and_keeps_its_formatting():
    page = render(_notebook([_md("收入 < 1420 & 人数 > 0；`a<b`；**粗体**；$x<y$\n\n- 一\n- 二\n\n"
                                 "| 成员 | 金额 |\n|---|---|\n| 张三 | 1,420 |")]))
    soup = BeautifulSoup(page, "html.parser")
    text = soup.get_text()
    assert "收入 < 1420 & 人数 > 0" in text and "$x<y$" in text
    assert soup.find("code", string="a<b") and soup.find("strong", string="粗体")
    assert [li.get_text() for li in soup.find_all("li")][-2:] == ["一", "二"]
    assert soup.find("td", string="1,420")


def test_cleaning_twice_changes_nothing():
    """HTMLExporter.preprocessors and a converter's own list may both name it: no double escaping."""
    nb = _notebook([_md("a < b & **c**"), _raw("<i>x</i>", raw_mimetype="text/html")])
    assert render(nb, twice=True) == render(nb)
    assert "a < b & c" in BeautifulSoup(render(nb), "html.parser").get_text()


def test_locked_cells_of_the_source_are_untouched():
    locked = _md("## 提交前请确认\n\n<b>保存</b>后再提交。", grade_id="submit", locked=True)
    page = render(_notebook([locked]))
    assert page == render(_notebook([locked]), clean=False)
    assert "<b>保存</b>后再提交" in page


def _normalised(page):
    """The page's DOM, with the wrapper of rendered trainee text, its anchor prefix and the outputs'
    style scope taken out (the scope keeps the rules' specificity: the browser test sees the style)."""
    soup = BeautifulSoup(page.replace("jiuzhu-text-", "").replace(S, ""), "html.parser")
    for wrapper in soup.find_all("div", class_="jiuzhu-trainee-text"):
        wrapper.unwrap()
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(soup)))


@pytest.mark.usefixtures("practice_assignment")
@pytest.mark.parametrize("template", ["formgrade", "feedback"])
def test_our_own_outputs_look_the_same(case_of, template):
    """Test-cell feedback, the table style, the case and the answers table: same page, same DOM."""
    from toolkit.training.trainee.answer_table import answers_table_html
    from toolkit.training.trainee.autograde import card_feedback
    from toolkit.training.trainee.exercise import TABLE_STYLE

    case = case_of("li4")
    feedback = _out({})
    feedback.metadata["nbgrader"] = {"schema_version": 3, "grade": True, "grade_id": "q1_test", "locked": True,
                                     "solution": False, "points": 2, "score": 2}
    feedback.outputs = card_feedback(["第1题：得 2 / 2 分", "  你的作答：1420元 <b>&", "  正确答案：1420元"], 2.0)
    cells = [_out({"text/html": TABLE_STYLE, "text/plain": "<HTML>"}),
             _out({"text/markdown": "> 学员：li4\n\n**示例数据**：虚构。\n\n### 案例一\n\n| 成员 | 金额 |\n|---|---|\n"
                                    "| 张三 | 1,420 |", "text/plain": "<Markdown>"}),
             _out({"text/html": f"<h4>提交的作答</h4>{answers_table_html(case, {})}<p>第5题为人工评分。"
                                f"<br>评分要点：x</p>", "text/plain": "t"}, kind="execute_result"),
             feedback]
    before = render(_notebook(cells), clean=False, template=template)
    after = render(_notebook(cells), template=template)
    assert "jiuzhu-feedback" in after and "border-collapse:collapse" in after
    assert _normalised(after) == _normalised(before)


S = ":where(.output_subarea) "
CSS = [
    ("table{border-collapse:collapse;margin:0.5em 0}th,td{border:1px solid #bbb;padding:2px 8px}",
     f"{S}table{{border-collapse:collapse;margin:0.5em 0}}{S}th,{S}td{{border:1px solid #bbb;padding:2px 8px}}"),
    ("@import url(http://evil.example/a.css);p{color:red}", f"{S}p{{color:red}}"),
    ("p{background:url(http://evil.example/x);color:red}", f"{S}p{{color:red}}"),
    ("p{cursor:url(http://evil.example/c),auto}", ""),
    ("p{color:red}</style><script>alert(1)</script>", f"{S}p{{color:red}}"),
    ("@font-face{font-family:x;src:url(http://evil.example/f)}", ""),
    ("p{width:expression(alert(1))}", ""),
    ("p{color:\\72 ed}", f"{S}p{{color:red}}"),                         # escapes are read, then checked
    ("p{background:\\75 rl(http://evil.example/x)}", ""),
    ("p{position:fixed;top:0}", ""),
    (".score,#statusmessage{display:none}", f"{S}.score,{S}#statusmessage{{display:none}}"),
    # negative lengths would lay a trainee's element (a link) over the page's own controls
    ("*{margin-top:-5000px;height:9000px}", f"{S}*{{height:9000px}}"),
    ("p{margin:0 -1em;color:red}", f"{S}p{{color:red}}"),
    ("p{margin-left:calc(0px - 900px)}", ""),
    ("p{margin:0.5em 0;letter-spacing:-0.1em}", f"{S}p{{margin:0.5em 0}}"),
    ("p{border-top:1px solid #a-1}", f"{S}p{{border-top:1px solid #a-1}}"),     # a hyphen inside a word stays
]


@pytest.mark.parametrize("css,kept", CSS)
def test_style_blocks_keep_only_rules_that_load_nothing(css, kept):
    assert clean_css(css) == kept


def test_a_trainees_style_block_cannot_hide_the_formgraders_controls(tmp_path):
    """Scoped to the outputs: the score box stays visible; our table style still reaches the case."""
    from toolkit.training.trainee.exercise import TABLE_STYLE

    cells = [_out({"text/html": "<style>input,.score,#statusmessage,body{display:none}</style>", "text/plain": "p"}),
             _out({"text/html": TABLE_STYLE, "text/plain": "p"}),
             _out({"text/markdown": "| 成员 | 金额 |\n|---|---|\n| 张三 | 1,420 |", "text/plain": "p"})]
    grade = _md("第1题", grade_id="q1_manual", grade=True, solution=True, points=2, locked=False)
    page = tmp_path / "page.html"
    page.write_text(render(_notebook([grade, *cells])), encoding="utf-8")

    def seen(browser_page):
        browser_page.goto(page.as_uri())
        return (browser_page.locator("input.score").first.is_visible(),
                browser_page.locator("td", has_text="1,420").evaluate("e => getComputedStyle(e).borderTopStyle"))

    assert in_browser(seen) == (True, "solid")


HTML = [
    ("<div class='jiuzhu-feedback'><div style='margin-left:1.5em'>x</div></div>",
     '<div class="jiuzhu-feedback"><div style="margin-left:1.5em">x</div></div>'),
    ("<table><tr><td colspan=2 style='white-space:nowrap'>a</td></tr></table>",
     '<table><tbody><tr><td colspan="2" style="white-space:nowrap">a</td></tr></tbody></table>'),
    ("<p>a<br>b</p><!-- c -->", "<p>a<br>b</p>"),
    ('<img src="data:image/png;base64,AAAA" alt="图" onerror="x">', '<img src="data:image/png;base64,AAAA" alt="图">'),
    ('<img src="http://evil.example/x.png">', "<img>"),
    ('<a href="https://www.gov.cn/">政策</a><a href=" javascript:x">y</a>', '<a href="https://www.gov.cn/">政策</a><a>y</a>'),
    ("<form action=x><input class=score name=a></form>", ""),
    ('<span class="score tabbable jiuzhu-feedback">1</span><li class="next">下一个</li>',
     '<span class="jiuzhu-feedback">1</span><li>下一个</li>'),
    ('<h1 id="q1_test">题</h1>', "<h1>题</h1>"),
]


@pytest.mark.parametrize("html,kept", HTML)
def test_output_html_keeps_the_allowed_tags(html, kept):
    assert clean_html(html) == kept


ROUND_TRIP = [
    "a\n\n\n[x](javascript:alert(1))",
    "a\r\n\r\n<b>b</b>\r[x](javascript:alert(1))",
    '![图 "x>\n[y](javascript:alert(1))"](data:image/png;base64,AAAA "t>\n\n[z](javascript:1)")',
    "```\n<b>\n\n\n[q](javascript:1)\n```\n    indented <i>\n\n    [r](javascript:1)",
    "<!-- c -->\n\n<div>\n\n**x**\n\n</div>\n\n$$\na<b\n\n$$",
    "> quote\n>\n> [x](javascript:1)\n\n1. one\n\n   [y](javascript:1)",
]


@pytest.mark.parametrize("source", ROUND_TRIP)
def test_the_templates_markdown_pass_leaves_rendered_trainee_text_alone(source):
    """What the preprocessor writes into a Markdown cell goes through the template's markdown2html
    once more: it must come out unchanged (else Markdown hidden in the text would come alive)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from toolkit.training.grading.trainee_html import markdown_as_text_html, text_as_html

    for html in (markdown_as_text_html(source), text_as_html(source)):
        assert "\n" not in html and markdown2html_mistune(html).strip() == html
        assert "javascript" not in "".join(re.findall(r"<[^>]*>", html))

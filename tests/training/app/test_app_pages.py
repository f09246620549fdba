"""The app's pages driven in-process over a real course and a real nbgrader exchange (no browser):
开始 fetches, 提交 stops at the unanswered check then submits what the cards saved, a problem is a
Chinese message at the top of the page, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.training.course import course

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

REPO = Path(__file__).resolve().parents[3]
M01 = "m01_means_test"
CADRE = "cadre-x"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    root = tmp_path_factory.mktemp("app-pages") / "courses"
    root.mkdir()
    shutil.copy(REPO / "courses" / "nbgrader_config.py", root / "nbgrader_config.py")
    course.build(root, [M01])
    course.release(root, [M01])
    course.cases(root, [M01], [CADRE])
    return root


@pytest.fixture
def app(released, tmp_path, monkeypatch):
    """The app as the cadre's kernel runs it: their home, their nbgrader config, their cases."""
    from toolkit.training.app.pages import App

    home, config = tmp_path / "home", tmp_path / "config"
    home.mkdir()
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'jiuzhu'\n"
        f"c.CourseDirectory.student_id = {CADRE!r}\n"
        f"c.Exchange.root = {str(released / 'exchange')!r}\n"
        f"c.Exchange.cache = {str(tmp_path / 'cache')!r}\n"
        "c.Exchange.path_includes_course = True\n", encoding="utf-8")
    for key in ("JUPYTER_CONFIG_PATH", "JUPYTERHUB_USER", "JIUZHU_EXCHANGE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    monkeypatch.setenv("JIUZHU_STUDENT", CADRE)
    monkeypatch.setenv("JIUZHU_CASES", str(released / "cases"))
    monkeypatch.chdir(home)
    return App(home, CADRE)


def texts(widget) -> str:
    """Everything the page says (the HTML of its widgets and the labels of its buttons)."""
    found = [getattr(widget, "value", "") if isinstance(getattr(widget, "value", ""), str) else "",
             getattr(widget, "description", "") or ""]
    return "".join(found) + "".join(texts(child) for child in getattr(widget, "children", ()))


def buttons(widget) -> dict:
    import ipywidgets as w

    found = {widget.description: widget} if isinstance(widget, w.Button) else {}
    for child in getattr(widget, "children", ()):
        found.update(buttons(child))
    return found


def test_start_answer_check_submit(app, released):
    from toolkit.training.trainee.casedata import trainer_case

    app.home_page()
    page = texts(app.root)
    case = trainer_case(released, M01, CADRE)
    assert case.title in page and "未开始" in page and M01 not in page
    buttons(app.root)["开始"].click()
    assert (app.home / "jiuzhu" / M01 / f"{M01}.ipynb").is_file()
    assert "答题卡" in texts(app.root) and "出现问题" not in texts(app.root)

    first = case.questions[1]                     # an amount: typed as a cadre would
    app.cards.inputs[first.id].value = "１５００元"
    buttons(app.root)["提交"].click()
    page = texts(app.root)
    assert "提交前检查" in page and f"还有 {len(case.questions) - 1} 题未作答" in page
    assert not list((released / "exchange" / "jiuzhu" / "inbound").glob(f"{CADRE}+*"))   # not yet
    buttons(app.root)["仍然提交"].click()
    assert "✔ 已提交" in texts(app.root)
    [entry] = (released / "exchange" / "jiuzhu" / "inbound").glob(f"{CADRE}+{M01}+*")
    saved = json.loads((entry / "answers.json").read_text(encoding="utf-8"))
    assert saved["student"] == CADRE and saved["answers"][first.id]["raw"] == "１５００元"

    buttons(app.root)["‹ 返回我的练习"].click()
    page = texts(app.root)
    assert "已提交" in page and "提交时间：" in page


def test_a_missing_case_is_a_chinese_message(app, released, tmp_path, monkeypatch):
    monkeypatch.setenv("JIUZHU_CASES", str(tmp_path / "no-cases"))
    monkeypatch.setenv("HOME", str(tmp_path / "no-home"))
    app.home_page()
    buttons(app.root)["开始"].click()
    message = texts(app.message)
    assert "还没有为你准备这个练习的案例" in message and "Traceback" not in message and M01 not in message


def test_an_unreachable_exchange_is_a_chinese_message(app, tmp_path):
    config = Path(__import__("os").environ["JUPYTER_CONFIG_DIR"]) / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace("c.Exchange.root", "c.Exchange.root = '/proc/none' #"),
                      encoding="utf-8")
    app.safely(app.home_page)
    message = texts(app.message)
    assert "出现问题" in message and "请联系培训老师" in message and "Traceback" not in message


def test_all_answered_the_list_offers_submit_and_it_submits(app, released):
    from toolkit.training.course.simulate import right_raw
    from toolkit.training.trainee.casedata import trainer_case
    import random

    app.home_page()
    buttons(app.root)["开始"].click()
    case, rng = trainer_case(released, M01, CADRE), random.Random(1)
    for q in case.questions:
        raw = right_raw(q, rng)
        if q.kind == "multi":
            for key, box in app.cards.inputs[q.id].items():
                box.value = key in raw
        else:
            app.cards.inputs[q.id].value = raw
    buttons(app.root)["‹ 返回我的练习"].click()
    assert "作答中" in texts(app.root) and f"已答 {len(case.questions)} / {len(case.questions)} 题" in texts(app.root)
    buttons(app.root)["提交"].click()                 # from the list: all answered, so no question asked
    assert "✔ 已提交" in texts(app.root) and "仍然提交" not in texts(app.root)
    assert list((released / "exchange" / "jiuzhu" / "inbound").glob(f"{CADRE}+{M01}+*"))


def test_deadline_shown_in_beijing_time_and_marked_when_passed(app, released):
    from datetime import datetime, timezone

    from toolkit.training.app.deadlines import write_deadlines

    write_deadlines(released / "exchange", "jiuzhu", {M01: datetime(2020, 1, 31, 16, 0, tzinfo=timezone.utc)})
    try:
        app.home_page()
        assert "截止时间：2020年2月1日 00:00（已过截止时间）" in texts(app.root)
    finally:
        (released / "exchange" / "jiuzhu" / "jiuzhu-deadlines.json").unlink()


def test_course_titles_from_the_hub(app, monkeypatch):
    from toolkit.training.app import COURSE_TITLES_ENV

    monkeypatch.setenv(COURSE_TITLES_ENV, json.dumps({"jiuzhu": "街镇经办人员培训"}, ensure_ascii=False))
    app.home_page()
    assert "课程：街镇经办人员培训" in texts(app.root)
    monkeypatch.setenv(COURSE_TITLES_ENV, "{not json")
    app.home_page()
    assert "课程：" not in texts(app.root) and "出现问题" not in texts(app.message)


def test_run_outside_a_kernel_loop_still_shows_the_list(app, monkeypatch):
    """``run()`` (the app notebook's one cell) shows 我的练习 with the exercises, never a traceback."""
    import IPython.display

    from toolkit.training.app import run

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    run(app.home)
    [root] = shown
    assert "我的练习" in texts(root) and "未开始" in texts(root) and "出现问题" not in texts(root)

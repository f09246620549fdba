"""A cadre in two hub courses that both release m01_means_test, with real system accounts, no hub.

Each course has its own secret, so the cadre has two different cases of the same exercise.  The
hub's pre-spawn hook delivers both (``~/.jiuzhu/cases/<course id>/<user>/``); the cadre fetches each
course's notebook through the real exchange (nbgrader, as the cadre's account, into
``~/<course id>/m01_means_test/``); in each folder the notebook's kernel and the app's exercise
page show that course's case (compared with ``trainee_case_data`` of each course); the cadre answers
what they see, submits, the trainer collects and grades each course: full marks in both.  (Before
per-course folders the second course's case replaced the first's: the cadre answered course A's
notebook on course B's case and course A's grader scored it against A's — a wrong score that
looked right.)  A link planted at a course's case folder is never followed by root.
"""

from __future__ import annotations

import json
import os
import pwd
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hub_spawn import spawn

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
RUNTIME = Path(os.environ.get("JIUZHU_HUB_RUNTIME_DIR", "/opt/jiuzhu-hub"))
M01 = "m01_means_test"

# Run as the cadre with the runtime's python in ~/<course>/m01_means_test/: what the notebook's
# kernel shows (Exercise, as `start` builds it) and what the app's exercise page shows.
SHOWN = r'''
import json, sys
from pathlib import Path
from toolkit.training.trainee.exercise import Exercise
from toolkit.training.app import exchange as xc
from toolkit.training.app.pages import App

course, assignment, home, user = sys.argv[1:5]
kernel = Exercise(assignment).case
app = App(home, user)
app.exercise_page(xc.Exercise(course, assignment, "标题", folder=Path.cwd()))
print(json.dumps({"kernel": {"code": kernel.code, "intro": kernel.intro_markdown,
                             "prompts": [q.prompt for q in kernel.questions]},
                  "app_case": app.cards.case.code, "app_page": app.body.children[2].value},
                 ensure_ascii=False))
'''
ANSWER = r'''
import json, sys
from toolkit.training.trainee.answers import save_answer
assignment, user = sys.argv[1:3]
for qid, raw in json.loads(sys.stdin.read()).items():
    save_answer(".", assignment, user, qid, raw)
'''


def need_root() -> None:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("培训平台测试需要 root（为每位学员创建系统账号）", pytrace=False)
        pytest.skip("培训平台测试需要 root")


def jiuzhu(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"jiuzhu {' '.join(args)}: {result.stdout}\n{result.stderr}"
    return result.stdout


def as_cadre(user: str, args: list[str], cwd: Path, env: dict | None = None, stdin: str | None = None) -> str:
    home = pwd.getpwnam(user).pw_dir
    environ = {"HOME": home, "PATH": f"{RUNTIME / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8", **(env or {})}
    result = subprocess.run(["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in environ.items()),
                             *args], cwd=cwd, capture_output=True, text=True, input=stdin, timeout=600)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def nbgrader(user: str, hub, course, command: str) -> str:
    """The cadre's nbgrader fetch/submit through the hub's exchange, as their server's config has it
    (the course groups' auth plugin asks the hub, which is not running here: the course is named)."""
    return as_cadre(user, [str(RUNTIME / "bin" / "nbgrader"), command, M01, f"--course={course.id}",
                           f"--Exchange.root={hub.exchange}", "--Exchange.path_includes_course=True",
                           "--ExchangeFactory.submit=toolkit.training.course.inbound.OwnEntrySubmit"],
                    Path(pwd.getpwnam(user).pw_dir), env={"JUPYTER_CONFIG_PATH": "/nonexistent"})


@pytest.fixture(scope="module")
def two_courses():
    need_root()
    subprocess.run(["bash", str(REPO / "tools" / "hub-runtime.sh"), str(RUNTIME)], check=True, capture_output=True)
    from openpyxl import Workbook

    from toolkit.hub.accounts import delete_account, ensure_account
    from toolkit.hub.layout import open_hub

    tag = "hc" + secrets.token_hex(2)
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-hub-cases-", dir="/tmp"))
    root.chmod(0o755)
    (root / "hub.yaml").write_text(
        f"runtime: {RUNTIME}\ncourses:\n"
        f"  - {{id: {tag}-a, title: 街镇培训, trainers: []}}\n"
        f"  - {{id: {tag}-b, title: 区级培训, trainers: []}}\n", encoding="utf-8")
    hub = open_hub(root)
    user = f"{tag}-c1"
    try:
        for course in hub.courses:
            folder = str(course.folder)
            jiuzhu("course", "build", M01, "--course", folder)
            jiuzhu("course", "release", M01, "--course", folder)
            workbook = Workbook()
            workbook.active.append(["学员编号", "姓名", "街镇", "村居"])
            workbook.active.append([user, "测试学员", "东湖街道", "东湖社区"])
            workbook.save(root / f"{course.id}.xlsx")
            jiuzhu("course", "roster", "import", str(root / f"{course.id}.xlsx"), "--course", folder)
        ensure_account(hub, user, "trainee")
        yield hub, user
    finally:
        delete_account(user)
        shutil.rmtree(root, ignore_errors=True)


def givens(data: dict) -> dict:
    return {"code": data["code"], "intro": data["intro_markdown"], "prompts": [q["prompt"] for q in data["questions"]]}


def test_each_course_shows_and_grades_its_own_case(two_courses):
    from nbgrader.api import Gradebook

    from toolkit.training.course.simulate import right_raw
    from toolkit.training.trainee.casedata import delivered_file, trainee_case_data, trainer_case

    hub, user = two_courses
    home = Path(pwd.getpwnam(user).pw_dir)
    spawner = spawn(hub, user)
    expected = {c.id: trainee_case_data(c.folder, user, M01, course=c.id) for c in hub.courses}
    assert len({data["code"] for data in expected.values()}) == 2          # two courses, two different cases
    for course in hub.courses:             # delivered: one folder per course, the cadre's own files
        path = delivered_file(course.id, user, M01, home)
        assert json.loads(path.read_text(encoding="utf-8")) == expected[course.id]
        assert path.stat().st_uid == pwd.getpwnam(user).pw_uid and path.stat().st_mode & 0o777 == 0o600

    for course in hub.courses:
        nbgrader(user, hub, course, "fetch_assignment")
        folder = home / course.id / M01
        assert (folder / f"{M01}.ipynb").is_file()
        env = {k: v for k, v in spawner.environment.items() if k.startswith("JIUZHU") or k == "TZ"}
        shown = json.loads(as_cadre(user, [str(RUNTIME / "bin" / "python"), "-c", SHOWN, course.id, M01, str(home), user],
                                    folder, env={**env, "JUPYTERHUB_USER": user}))
        assert shown["kernel"] == givens(expected[course.id]), course.id
        assert shown["app_case"] == expected[course.id]["code"]
        assert expected[course.id]["code"] in shown["app_page"]
        other = next(data for cid, data in expected.items() if cid != course.id)
        assert other["code"] not in shown["app_page"]
        # the cadre answers the case they were shown: right answers of the course whose case it is
        seen = next(c for c in hub.courses if expected[c.id]["code"] == shown["kernel"]["code"])
        rng = random.Random(course.id)
        answers = {q.id: right_raw(q, rng) for q in trainer_case(seen.folder, M01, user).questions}
        as_cadre(user, [str(RUNTIME / "bin" / "python"), "-c", ANSWER, M01, user], folder, stdin=json.dumps(answers))
        nbgrader(user, hub, course, "submit")

    for course in hub.courses:             # each course's grader scores against its own case
        jiuzhu("course", "collect", M01, "--course", str(course.folder))
        jiuzhu("course", "grade", "--course", str(course.folder), "--jobs", "1", "--quiet")
        with Gradebook(course.db_url, course.id) as gb:
            submission = gb.find_submission(M01, user)
            assert (submission.score, submission.max_score) == (10, 10), course.id


@pytest.mark.parametrize("planted", ["course folder", "cadre folder"])
def test_a_link_planted_at_a_case_folder_is_never_followed(two_courses, planted):
    """The cadre points ``~/.jiuzhu/cases/<course id>`` (or its ``<user>`` folder) at a folder of
    root's: the spawn stops there and root writes, chowns and removes nothing in it."""
    from toolkit.training.trainee.casedata import cases_home

    hub, user = two_courses
    course = hub.courses[0]
    spawn(hub, user)
    link = cases_home(pwd.getpwnam(user).pw_dir) / course.id
    if planted == "cadre folder":
        link = link / user
    moved = link.with_name(link.name + ".moved")
    link.rename(moved)
    elsewhere = hub.state / f"not-a-home-{secrets.token_hex(2)}"          # root's, like /etc
    elsewhere.mkdir()
    (elsewhere / f"{M01}.json").write_text("root's own", encoding="utf-8")
    (elsewhere / "m02_procedure.json").write_text("root's own", encoding="utf-8")
    link.symlink_to(elsewhere)
    try:
        with pytest.raises(OSError):
            spawn(hub, user)
        assert sorted(p.name for p in elsewhere.iterdir()) == [f"{M01}.json", "m02_procedure.json"]
        assert all(p.read_text(encoding="utf-8") == "root's own" and p.stat().st_uid == 0 for p in elsewhere.iterdir())
        assert elsewhere.stat().st_uid == 0
    finally:
        link.unlink()
        moved.rename(link)
        shutil.rmtree(elsewhere)


def test_a_course_folder_holds_only_that_courses_released_cases(two_courses):
    """What the code before per-course folders left (every course's cases in ``jiuzhu/``) is never
    read as a hub course's: a course's folder loses the cases of exercises it has not released; the
    old ``jiuzhu/`` folder of a hub without such a course is left as it is (see casedata)."""
    from toolkit.training.trainee.casedata import cases_home, delivered_file

    hub, user = two_courses
    home = pwd.getpwnam(user).pw_dir
    course = hub.courses[0]
    spawn(hub, user)
    leftover = delivered_file(course.id, user, "m02_procedure", home)
    leftover.write_text('{"course": "jiuzhu"}', encoding="utf-8")
    legacy = delivered_file("jiuzhu", user, M01, home)
    legacy.parent.mkdir(parents=True)
    legacy.write_text('{"course": "jiuzhu"}', encoding="utf-8")
    try:
        spawn(hub, user)
        assert not leftover.exists() and delivered_file(course.id, user, M01, home).is_file()
        assert legacy.read_text(encoding="utf-8") == '{"course": "jiuzhu"}'
    finally:
        shutil.rmtree(cases_home(home) / "jiuzhu")

"""The lina01/root story (issue 11): JupyterLab run as one system user, ``JIUZHU_STUDENT=lina01``.

Before the fix nbgrader submitted as the system user, grading generated that user's case and
six right answers scored 2/10; the ledger showed lina01 未提交 and "root（未登记）" 未通过.
Here the trainee fetches and submits through nbgrader's own exchange classes with the config a
trainee's nbgrader loads (no explicit student id anywhere in the test), then the trainer
collects, grades with the parallel grader and reads the ledger.
"""

from __future__ import annotations

import shutil

import pytest

from training_helpers import ASSIGNMENT, FAKE_CASES, copy_course, ipython_dir_with_fake_cases
from toolkit.training.course import course
from toolkit.training.trainee import identity
from toolkit.training.analytics.analytics import collect as ledger_stats
from toolkit.training.trainee.answers import save_answer
from toolkit.training.trainee.casedata import trainer_case
from toolkit.training.trainee.exercise import start
from toolkit.training.grading.grading import format_summary, grade_course
from toolkit.training.course.roster import Roster, Trainee, save_roster
from toolkit.training.course.simulate import right_raw

pytestmark = [pytest.mark.usefixtures("practice_assignment"), pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

TRAINEE = "lina01"


def _trainee_config(root, home, tmp):
    """The config a trainee's nbgrader (the Assignments panel) reads: the course file as it is."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(tmp / "cache")
    return config


def _work_and_submit(root, tmp):
    """Fetch, answer everything right on the notebook's own case, submit — as the trainee would."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    home = tmp / "home"
    home.mkdir(exist_ok=True)
    config = _trainee_config(root, home, tmp)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = ASSIGNMENT
    auth = Authenticator(config=config)
    ExchangeFetchAssignment(coursedir=coursedir, authenticator=auth, config=config).start()
    exercise = start(ASSIGNMENT, home / ASSIGNMENT)        # what the notebook shows
    import random

    rng = random.Random(1)
    key = trainer_case(root, ASSIGNMENT, exercise.student)  # the answer key: trainer side, same case
    for question in key.questions:
        if question.kind != "text":
            save_answer(exercise.folder, ASSIGNMENT, exercise.student, question.id, right_raw(question, rng))
    ExchangeSubmit(coursedir=coursedir, authenticator=auth, config=config).start()
    return exercise


@pytest.fixture()
def course_root(tmp_path, monkeypatch):
    import toolkit.cases

    monkeypatch.setattr(toolkit.cases, "__path__", [*toolkit.cases.__path__, str(FAKE_CASES)])
    monkeypatch.setattr(toolkit.cases, "ASSIGNMENTS", (ASSIGNMENT,), raising=False)
    monkeypatch.setenv("IPYTHONDIR", str(ipython_dir_with_fake_cases(tmp_path / "ipython")))
    for key in ("JIUZHU_EXCHANGE", "JIUZHU_GRADEBOOK", "JUPYTERHUB_USER", "JUPYTERHUB_SERVICE_NAME"):
        monkeypatch.delenv(key, raising=False)
    root = copy_course(tmp_path)
    course.build(root)
    course.release(root)
    roster = Roster((Trainee(TRAINEE, "李娜", "东湖街道", "东湖社区"),))
    save_roster(roster, f"sqlite:///{root / 'gradebook.db'}", "jiuzhu")
    course.cases(root, None, [TRAINEE])                     # the trainer delivers lina01's case …
    monkeypatch.setenv("JIUZHU_CASES", str(root / "cases"))   # … where the trainee's kernel reads it
    return root, roster


def test_trainee_working_as_lina01_is_submitted_graded_and_listed_as_lina01(course_root, tmp_path, monkeypatch):
    from nbgrader.utils import get_username

    root, roster = course_root
    assert get_username() != TRAINEE            # the server runs as another system user (root)
    monkeypatch.setenv("JIUZHU_STUDENT", TRAINEE)
    exercise = _work_and_submit(root, tmp_path)
    assert exercise.student == TRAINEE

    monkeypatch.delenv("JIUZHU_STUDENT")        # the trainer's own shell
    assert course.collect(root) == {ASSIGNMENT: [TRAINEE]}
    run = grade_course(root, jobs=1, progress=False)
    [outcome] = run.outcomes
    gradable = sum(q.points for q in trainer_case(root, ASSIGNMENT, TRAINEE).questions if q.kind != "text")
    assert (outcome.student, outcome.score) == (TRAINEE, gradable), format_summary(run)
    stats = ledger_stats(f"sqlite:///{root / 'gradebook.db'}", roster, course_id="jiuzhu")
    rows = stats.ledger.set_index("学员编号")
    assert list(rows.index) == [TRAINEE]                       # nobody "（未登记）"
    assert rows.loc[TRAINEE, "得分"] == gradable and rows.loc[TRAINEE, "是否通过"] == "通过"


def test_submission_filed_under_another_name_is_refused_naming_both(course_root, tmp_path, monkeypatch):
    from nbgrader.utils import get_username

    root, roster = course_root
    monkeypatch.setenv("JIUZHU_STUDENT", TRAINEE)
    _work_and_submit(root, tmp_path)
    monkeypatch.delenv("JIUZHU_STUDENT")
    course.collect(root)
    # the old behaviour: nbgrader named the submission after the system user
    system_user = get_username()
    submitted = root / "submitted"
    shutil.move(submitted / TRAINEE, submitted / system_user)
    assert identity.recorded_mismatch(submitted / system_user / ASSIGNMENT) == TRAINEE

    run = grade_course(root, jobs=1, progress=False)
    [outcome] = run.outcomes
    assert outcome.status == "failed" and run.exit_code == 1
    summary = format_summary(run)
    assert TRAINEE in summary and system_user in summary and "未评分" in summary
    stats = ledger_stats(f"sqlite:///{root / 'gradebook.db'}", roster, course_id="jiuzhu")
    assert system_user not in set(stats.ledger["学员编号"])     # nothing graded on the wrong case

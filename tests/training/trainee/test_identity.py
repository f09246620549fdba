import pytest

from toolkit.training.trainee import identity
from toolkit.training.trainee.exercise import start

pytestmark = pytest.mark.usefixtures("practice_assignment")


def test_autograded_folder_wins_over_hub_user(tmp_path):
    folder = tmp_path / "courses" / "autograded" / "li4" / "t01_practice"
    folder.mkdir(parents=True)
    who = identity.resolve(folder, "t01_practice", environ={"JUPYTERHUB_USER": "grader"})
    assert who.student == "li4" and who.source == "folder"
    assert identity.is_grading(folder, "t01_practice")


def test_submitted_folder_names_the_trainee_but_is_not_grading(tmp_path):
    folder = tmp_path / "submitted" / "wang5" / "t01_practice"
    folder.mkdir(parents=True)
    assert identity.resolve(folder, "t01_practice", environ={}).student == "wang5"
    assert not identity.is_grading(folder, "t01_practice")


def test_hub_user_then_explicit_setting_then_os_user(tmp_path):
    folder = tmp_path / "t01_practice"
    folder.mkdir()
    both = {"JUPYTERHUB_USER": "zhao6", "JIUZHU_STUDENT": "other"}
    assert identity.resolve(folder, "t01_practice", environ=both) == identity.Identity("zhao6", "hub")
    assert identity.resolve(folder, "t01_practice", environ={"JIUZHU_STUDENT": " qian7 "}).student == "qian7"
    from nbgrader.utils import get_username

    fallback = identity.resolve(folder, "t01_practice", environ={})
    assert fallback == identity.Identity(get_username(), "os")


def test_folder_of_another_assignment_is_not_a_student_folder(tmp_path):
    folder = tmp_path / "autograded" / "li4" / "m02_procedure"
    folder.mkdir(parents=True)
    assert identity.student_from_folder(folder, "t01_practice") is None
    assert identity.resolve(folder, "t01_practice", environ={"JIUZHU_STUDENT": "x"}).student == "x"


def test_same_case_in_trainee_and_autograde_contexts(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "sun8")
    working = tmp_path / "home" / "t01_practice"
    graded = tmp_path / "course" / "autograded" / "sun8" / "t01_practice"
    for folder in (working, graded):
        folder.mkdir(parents=True)
    trainee, grader = start("t01_practice", working), start("t01_practice", graded)
    assert not trainee.grading and grader.grading
    assert trainee.case == grader.case
    other = start("t01_practice", tmp_path / "course" / "autograded" / "zhou9" / "t01_practice")
    assert other.case != trainee.case and other.case.code != trainee.case.code


def test_case_is_the_same_in_another_process(cases_course):
    import subprocess
    import sys

    from training_helpers import FAKE_CASES
    from toolkit.training.trainee.casedata import trainer_case

    code = ("import toolkit.cases; "
            f"toolkit.cases.__path__.append({str(FAKE_CASES)!r}); "
            "from toolkit.training.trainee.casedata import trainer_case; "
            f"c = trainer_case({str(cases_course)!r}, 't01_practice', 'sun8'); print(c.seed, c.questions[0].answer)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin"})
    here = trainer_case(cases_course, "t01_practice", "sun8")
    assert out.stdout.split() == [str(here.seed), str(here.questions[0].answer)]


def test_a_name_used_as_student_id_is_masked_in_the_banner():
    from toolkit.training.trainee.exercise import shown_identity

    assert shown_identity(identity.Identity("张三丰", "hub")).startswith("张**（")
    assert shown_identity(identity.Identity("li4", "hub")).startswith("li4（")

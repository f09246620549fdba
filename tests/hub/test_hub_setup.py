"""The hub folder, account names, the account list and the JupyterHub config, without starting anything."""

from __future__ import annotations

import stat

import pytest

from toolkit.errors import InputError, UserError, ValidationFailed
from toolkit.hub import accounts, config, layout
from toolkit.hub.server import course_lines


def test_first_start_lays_out_two_courses_from_the_embedded_defaults(tmp_path):
    hub = layout.open_hub(tmp_path / "hub")
    assert [(c.id, c.title, c.audience) for c in hub.courses] == [
        ("quji", "区级培训", "街镇工作人员"), ("jiezhen", "街镇培训", "村居干部")]
    assert hub.bind == "127.0.0.1:8000"                          # loopback unless told otherwise
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)              # noqa: E731
    assert mode(hub.exchange) == 0o1777 and mode(hub.root / "courses") == 0o700 and mode(hub.state) == 0o700
    text = (hub.course("quji").folder / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "course_id='quji'" in text and "path_includes_course = True" in text
    with pytest.raises(InputError) as err:
        hub.course("nosuch")
    assert "quji、jiezhen" in str(err.value)


def test_course_config_gives_the_course_its_own_id_exchange_and_gradebook(tmp_path):
    from toolkit.training.course.course import load_config

    hub = layout.open_hub(tmp_path / "hub")
    course = hub.course("jiezhen")
    loaded = load_config(course.folder)
    assert loaded.CourseDirectory.course_id == "jiezhen"
    assert loaded.CourseDirectory.student_id == "*"              # trainer commands act on everyone
    assert loaded.Exchange.root == str(hub.exchange) and loaded.Exchange.path_includes_course is True
    assert loaded.CourseDirectory.db_url == f"sqlite:///{course.folder / 'gradebook.db'}"
    # formgrader's Autograde button and plain `nbgrader autograde` start the sandboxed kernel too
    assert loaded.Execute.kernel_name == "jiuzhu-sandbox"
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("jiuzhu-sandbox")
    assert spec.metadata["kernel_provisioner"]["provisioner_name"] == "jiuzhu-sandbox"


def test_bad_hub_yaml_is_refused_in_chinese(tmp_path):
    root = tmp_path / "hub"
    root.mkdir()
    (root / "hub.yaml").write_text("courses:\n  - {id: 区级, title: 区级培训}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        layout.open_hub(root)
    assert "区级" in str(err.value) and "小写英文字母" in str(err.value)
    (root / "hub.yaml").write_text("courses: [\n", encoding="utf-8")
    with pytest.raises(UserError):
        layout.open_hub(root)


@pytest.mark.parametrize(("line", "expected"), [
    ("", False),                                 # absent: the app only (the cadres' default)
    ("trainee_lab: false", False),
    ("trainee_lab: true", True),
    ("trainee_lab: yes", True),                  # YAML 1.1 reads yes as true
    ("trainee_lab: 'true'", "“true”"),           # a string is refused, not read as a wish
    ("trainee_lab: 1", "1"),
    ("trainee_lab: 开", "“开”"),
])
def test_whether_trainees_may_open_jupyterlab_is_a_course_setting(tmp_path, line, expected):
    root = tmp_path / "hub"
    root.mkdir()
    (root / "hub.yaml").write_text("courses:\n  - id: quji\n    title: 区级培训\n"
                                   f"    {line}\n  - {{id: jiezhen, title: 街镇培训}}\n", encoding="utf-8")
    if isinstance(expected, bool):
        hub = layout.open_hub(root)
        assert hub.course("quji").trainee_lab is expected and hub.course("jiezhen").trainee_lab is False
        assert hub.lab_for(list(hub.courses)) is expected       # one course that allows it is enough
        assert hub.lab_for([hub.course("jiezhen")]) is False and hub.lab_for([]) is False
        shown = "学员还可打开 JupyterLab" if expected else "学员只用练习页面"       # what `hub start` prints
        assert course_lines(hub) == f"区级培训（quji，{shown}）、街镇培训（jiezhen，学员只用练习页面）"
        return
    with pytest.raises(InputError) as err:
        layout.open_hub(root)
    assert "trainee_lab" in str(err.value) and expected in str(err.value) and "true" in str(err.value)
    assert not (root / "courses" / "quji").exists()                 # nothing laid out


def test_the_embedded_courses_keep_cadres_in_the_app():
    import yaml

    courses = yaml.safe_load(layout.default_settings_text())["courses"]
    assert [c["trainee_lab"] for c in courses] == [False, False]


def test_account_names_are_checked_all_at_once():
    with pytest.raises(ValidationFailed) as err:
        accounts.check_names(["zz901", "DH.002", "root"])
    text = str(err.value)
    assert "DH.002" in text and "root" in text and "zz901" not in text
    assert "未创建任何账号" in text


def test_account_list_shows_masked_names_and_only_new_passwords(tmp_path):
    from openpyxl import load_workbook

    course = layout.open_hub(tmp_path / "hub").course("quji")
    made = [accounts.Account("dh001", "trainee", "张三丰", "东湖街道", "东湖社区", "abcdefgh23", True),
            accounts.Account("dh002", "trainee", "李四", "东湖街道", "湖滨社区", "", False),
            accounts.Account("quji-teacher", "trainer", password="kmnpqrst45", created=True)]
    path = accounts.write_account_list(tmp_path / "账号清单.xlsx", course, made, "http://10.0.0.1:8000/")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert "区级培训" in rows[0][0] and "http://10.0.0.1:8000/" in rows[1][0]
    body = {r[0]: r for r in rows[4:]}
    assert body["dh001"][1:6] == ("abcdefgh23", "张**", "东湖街道", "东湖社区", "学员")
    assert body["dh002"][1] is None and "密码未改" in body["dh002"][6]
    assert body["quji-teacher"][5] == "培训老师"
    assert "张三丰" not in str(rows)


def test_passwords_are_random_and_unambiguous():
    seen = {accounts.new_password() for _ in range(200)}
    assert len(seen) == 200
    assert all(len(p) == accounts.PASSWORD_LENGTH and not set(p) & set("01lio") for p in seen)


def test_hub_config_follows_nbgraders_multi_course_demo(tmp_path):
    hub = layout.open_hub(tmp_path / "hub")
    roles = {r["name"]: r for r in config.roles(hub)}
    assert roles["formgrade-quji"]["scopes"] == ["access:services!service=quji"]
    assert roles["nbgrader-jiezhen"]["scopes"] == ["list:services", "read:services!service=jiezhen"]
    assert roles["server"]["scopes"] == ["inherit"]
    settings = lambda name: f"/runtime/{name}"                    # noqa: E731
    services = {s["name"]: s for s in config.services(hub, {"quji": 1, "jiezhen": 2}, settings)}
    assert services["quji"]["environment"]["JUPYTERHUB_USER"] == "grader-quji"
    assert services["quji"]["url"] == "http://127.0.0.1:1" and services["quji"]["cwd"] == str(hub.course("quji").folder)
    assert services["jiezhen"]["command"][0] == str(hub.runtime / "bin" / "jupyterhub-singleuser")


def test_runtime_not_readable_by_trainees_is_refused(tmp_path):
    hub = layout.open_hub(tmp_path / "hub")
    broken = layout.Hub(hub.root, hub.bind, hub.courses, tmp_path / "no-runtime")
    with pytest.raises(UserError) as err:
        config.check_runtime(broken)
    assert "make hub-runtime" in str(err.value)


def test_every_formgrader_on_the_hub_shows_a_trainees_html_as_text(tmp_path):
    """A course's formgrader service reads the course folder's config; a trainer's own server (its
    formgrader too) reads the hub's common config: both run TraineeHTML in their HTMLExporter."""
    from traitlets.config.loader import PyFileConfigLoader
    from traitlets.utils.importstring import import_item

    from toolkit.training.course.course import load_config
    from toolkit.training.grading.trainee_html import TraineeHTML

    hub = layout.open_hub(tmp_path / "hub")
    common = PyFileConfigLoader("nbgrader_config.py", path=str(layout.jupyter_dir("common"))).load_config()
    for loaded in (load_config(hub.course("quji").folder), common):
        assert [import_item(p) if isinstance(p, str) else p for p in loaded.HTMLExporter.preprocessors] == [TraineeHTML]

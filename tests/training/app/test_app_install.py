"""What the hub puts into a trainee's home and server for the app (install_app, app_url, server_args)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from toolkit.training.app import APP_NOTEBOOK, TEMPLATE, app_url, install_app, server_args, template_root


def test_the_app_notebook_runs_the_app_and_shows_a_chinese_title(tmp_path):
    install_app(tmp_path)
    notebook = json.loads((tmp_path / APP_NOTEBOOK).read_text(encoding="utf-8"))
    assert notebook["metadata"]["title"] == "我的练习"
    [cell] = notebook["cells"]
    assert "".join(cell["source"]) == "from toolkit.training.app import run\nrun()"
    assert (tmp_path / APP_NOTEBOOK).stat().st_mode & 0o777 == 0o644


def test_installing_again_changes_nothing(tmp_path):
    install_app(tmp_path)
    first = (tmp_path / APP_NOTEBOOK).read_bytes()
    install_app(tmp_path)
    assert (tmp_path / APP_NOTEBOOK).read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [APP_NOTEBOOK]     # no temporary file left


@pytest.mark.parametrize("planted", ["edited", "symlink", "folder", "dangling"])
def test_a_tampered_copy_is_replaced_and_a_planted_link_never_followed(tmp_path, planted):
    home, outside = tmp_path / "home", tmp_path / "outside.txt"
    home.mkdir()
    outside.write_text("root must not write here", encoding="utf-8")
    target = home / APP_NOTEBOOK
    if planted == "edited":
        target.write_text('{"cells": [{"source": "import os; os.system(...)"}]}', encoding="utf-8")
    elif planted == "symlink":
        target.symlink_to(outside)
    elif planted == "dangling":
        target.symlink_to(tmp_path / "nowhere.ipynb")
    else:
        (target / "inner").mkdir(parents=True)
        (target / "inner" / "link").symlink_to(outside)
    install_app(home)
    assert not target.is_symlink() and target.is_file()
    assert json.loads(target.read_text(encoding="utf-8"))["metadata"]["title"] == "我的练习"
    assert outside.read_text(encoding="utf-8") == "root must not write here"
    assert not (tmp_path / "nowhere.ipynb").exists()


def test_a_home_that_is_a_link_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "home").symlink_to(real)
    with pytest.raises(OSError):
        install_app(tmp_path / "home")
    assert not list(real.iterdir())


def test_the_url_and_the_server_options():
    assert app_url() == f"/voila/render/{APP_NOTEBOOK}"
    assert APP_NOTEBOOK.isascii()                       # no percent-encoding in the hub's default URL
    args = server_args()
    assert f"--VoilaConfiguration.template={TEMPLATE}" in args
    assert "--VoilaConfiguration.show_tracebacks=False" in args
    assert all(arg.startswith("--") and "=" in arg for arg in args)
    assert not any("cdn" in arg or "http" in arg for arg in args)     # nothing from the internet


def test_the_page_template_ships_with_the_package_and_loads_nothing_from_the_internet():
    folder = template_root() / "voila" / "templates" / TEMPLATE
    assert json.loads((folder / "conf.json").read_text(encoding="utf-8")) == {"base_template": "lab"}
    page = re.sub(r"\{#.*?#\}", "", (folder / "index.html.j2").read_text(encoding="utf-8"), flags=re.S)
    assert "cdn" not in page.lower() and "http" not in page     # (comments aside)
    assert "inputmode" in page and "44px" in page


def test_the_wheel_installs_the_template_where_voila_looks():
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text(encoding="utf-8"))
    files = pyproject["tool"]["setuptools"]["data-files"][f"share/jupyter/voila/templates/{TEMPLATE}"]
    assert sorted(Path(f).name for f in files) == sorted(p.name for p in
                                                         (template_root() / "voila" / "templates" / TEMPLATE).iterdir())
    assert all(os.path.isfile(Path(__file__).resolve().parents[3] / f) for f in files)

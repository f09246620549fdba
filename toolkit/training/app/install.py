"""What a trainee's server needs for the app: the app notebook in the home, its URL, Voilà settings.

The hub calls these (trainer side, usually as root, before the trainee's server starts):
``install_app(home)`` puts ``jiuzhu-app.ipynb`` into the home, ``app_url()`` is the trainee's
``Spawner.default_url`` and ``server_args()`` the Voilà options appended to the server's arguments.
The page template ``jiuzhu`` is installed with the package (``share/jupyter/voila/templates``).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from toolkit.files import DIR_FLAGS, write_at

APP_NOTEBOOK = "jiuzhu-app.ipynb"      # ASCII: no percent-encoding in the URL; the page title is Chinese
TEMPLATE = "jiuzhu"
NO_MATHJAX = "data:text/javascript,//"     # Voilà appends ?config=…: a comment
WIDGET_MANAGERS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8")


def app_notebook() -> dict:
    """The app notebook: one cell that shows 我的练习 (Voilà shows its output, never its code)."""
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "jiuzhu-app", "metadata": {},
                   "outputs": [], "source": ["from toolkit.training.app import run\n", "run()"]}],
        "metadata": {"title": "我的练习",
                     "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def app_text() -> str:
    return json.dumps(app_notebook(), ensure_ascii=False, indent=1) + "\n"


def install_app(home: Path | str) -> None:
    """Put the app notebook into ``home`` (idempotent; a planted link or folder there is replaced,
    never followed; the file is written beside it and renamed into place)."""
    fd = os.open(str(home), DIR_FLAGS)
    try:
        _replace(fd, APP_NOTEBOOK, app_text().encode("utf-8"))
    finally:
        os.close(fd)


def _replace(dir_fd: int, name: str, data: bytes) -> None:
    try:
        found = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        found = None
    if found is not None and stat.S_ISDIR(found.st_mode):
        shutil.rmtree(name, dir_fd=dir_fd)        # fd-based: never follows links inside
    write_at(dir_fd, name, data, 0o644)           # renamed over a planted link, never through it


def app_url() -> str:
    """The server-relative path of 我的练习 (the hub's ``Spawner.default_url`` for trainees)."""
    return f"/voila/render/{APP_NOTEBOOK}"


def server_args() -> list[str]:
    """Options for a trainee's single-user server so Voilà renders the app as designed."""
    return [
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.show_tracebacks=False",       # a cadre never sees a traceback
        "--VoilaConfiguration.file_denylist=.*",             # Voilà serves no file of the home
        # the page loads only the widget managers, not every JupyterLab extension installed
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in WIDGET_MANAGERS),
        # Voilà's page loads MathJax from a CDN by default: intranets have no internet, and the app
        # shows no formulas, so the "script" is an empty one that never leaves the phone
        f"--ServerApp.tornado_settings=mathjax_url={NO_MATHJAX}",
    ]


def template_root() -> Path:
    """The package's copy of the page template's Jupyter data folder (``<root>/voila/templates/jiuzhu``);
    installs put the same files under ``<prefix>/share/jupyter``."""
    return Path(__file__).resolve().parent / "share"

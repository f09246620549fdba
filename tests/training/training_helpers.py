"""Helpers shared by tests/training (a uniquely named module: other folders have a conftest too)."""

from __future__ import annotations

import shutil
from pathlib import Path

FAKE_CASES = Path(__file__).parent / "fake_cases"
ASSIGNMENT = "t01_practice"
REPO = Path(__file__).resolve().parents[2]


def ipython_dir_with_fake_cases(path: Path) -> Path:
    """An IPYTHONDIR whose startup file adds the fake cases to ``toolkit.cases`` in kernels."""
    startup = path / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-fake-cases.py").write_text(
        "import toolkit.cases\n"
        f"toolkit.cases.__path__.append({str(FAKE_CASES)!r})\n", encoding="utf-8")
    return path


def copy_course(tmp: Path) -> Path:
    """A temporary copy of the repository's course folder (config only; no built state)."""
    root = tmp / "courses"
    root.mkdir()
    shutil.copy(REPO / "courses" / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


TRAINEES = ("li4", "wang5", "sun8", "zhou9", "trainer")


def trainer_course(path: Path) -> Path:
    """A course folder with its secret (the trainer's side) and every test trainee's cases delivered."""
    from toolkit.training.trainee import casedata

    path.mkdir(parents=True, exist_ok=True)
    (path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    casedata.course_secret(path)
    return path


def deliver_all(root: Path, assignment: str = ASSIGNMENT) -> Path:
    from nbgrader.utils import get_username

    from toolkit.training.trainee import casedata

    casedata.write_cases(root, [*TRAINEES, get_username()], [assignment])
    return root / casedata.OUTBOX


# What may run or load something in a page: script-capable elements, event handlers, links and
# sources with a script or data URL, CSS that loads a file.
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "link", "meta", "base", "form", "frame", "frameset",
               "foreignobject", "animate", "set", "use"}


def active_content(html: str) -> list[str]:
    """Everything in ``html`` a browser would run or load (sorted; the page's own scripts included)."""
    import re

    from bs4 import BeautifulSoup

    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        tag = element.name.lower()
        attributes = {k.lower(): " ".join(v) if isinstance(v, list) else v for k, v in element.attrs.items()}
        text = element.string or ""
        if tag in ACTIVE_TAGS:
            found.append(f"<{tag} {attributes.get('src') or attributes.get('href') or ''}>{text.strip()[:60]}")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}={value}]")
            if name in ("href", "src", "action", "formaction", "xlink:href", "background") and re.match(
                    r"\s*(javascript|vbscript|data:(?!image/(png|jpeg|gif)))", value, re.I):
                found.append(f"{tag}[{name}={value}]")
            if name == "style" and re.search(r"url\(|expression", value, re.I):
                found.append(f"{tag}[style={value}]")
        if tag == "style" and re.search(r"url\(|@import|expression", text, re.I):
            found.append(f"<style>{text}")
    return sorted(found)

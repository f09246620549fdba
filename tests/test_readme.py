"""The README starts from who you are, and every command it and docs/ show is run somewhere.

- README is a front door of at most 20 KB; the reference lives in docs/.
- The first 60 lines hold the four role entry points (培训老师 / 村居干部 / 督导检查组 / 管理员).
- Every command in README and docs/*.md (``bash`` blocks and inline code starting with ``jiuzhu``, ``make``,
  ``papermill``) is run by a test (the test sources call that subcommand, through ``main([...])``,
  ``run_jiuzhu(...)`` or a command line) or by ``make demo`` (a Makefile target); every Python
  block in it runs.
- The pictures it shows exist.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
FRONT_DOOR_BYTES = 20 * 1024
ROLES = ["培训老师：从这里开始", "村居干部：从这里开始", "督导检查组：从这里开始", "管理员：从这里开始"]
PROGRAMS = ("jiuzhu", "make", "papermill")
_INLINE = re.compile(r"`((?:jiuzhu|make|papermill)\s[^`]+|make|jiuzhu)`")
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def readme() -> str:
    return README.read_text(encoding="utf-8")


def readme_commands(text: str) -> list[str]:
    """Command lines of the README: bash blocks (continuations joined, comments dropped) and
    inline code spans that start with one of :data:`PROGRAMS`."""
    commands = []
    for lang, body in _BLOCK.findall(text):
        if lang not in ("bash", "sh", ""):
            continue
        for line in body.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0].strip()
            for part in re.split(r"\s*(?:\||&&|;)\s*", line):
                if part.split(" ")[0] in PROGRAMS:
                    commands.append(part)
    commands += [m.strip() for m in _INLINE.findall(_BLOCK.sub("", text))]
    return commands


def command_key(command: str) -> tuple[str, ...]:
    """('jiuzhu', 'inspect', 'report'): the program and its subcommand words (no options or
    placeholders); at most three words after the program."""
    words = command.split()
    key = [words[0]]
    for word in words[1:4]:
        if word.startswith("-") or not re.fullmatch(r"[a-z][a-z0-9-]*", word):
            break
        key.append(word)
    return tuple(key)


def _test_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py")
                     if p.name != "test_readme.py")


def _cli_levels() -> set[tuple[str, ...]]:
    """Subcommand paths the tests run: '"inspect", "report"' in main([...]) or run_jiuzhu(...)."""
    quoted = re.compile(r'"([a-z][a-z0-9-]*)"((?:\s*,\s*"[a-z][a-z0-9-]*")*)')
    runs = set()
    calls = (r'(?:(?:main|run_jiuzhu|jiuzhu|run)\(\s*(?:capsys\s*,\s*)?(?:monkeypatch\s*,\s*)?|args\s*=\s*)'
             r'\[?\s*("[a-z][^)\]]*)')
    for call in re.finditer(calls, _test_sources()):
        match = quoted.match(call.group(1))
        if match:
            words = [match.group(1)] + re.findall(r'"([a-z][a-z0-9-]*)"', match.group(2))
            runs.add(("jiuzhu", *words))
    return runs


def _covered(key: tuple[str, ...], runs: set[tuple[str, ...]], targets: set[str], sources: str) -> bool:
    program = key[0]
    if program == "make":
        return len(key) > 1 and key[1] in targets
    if program == "papermill":  # tests/reports/compose/test_readme_papermill.py runs the README's lines
        return "def test_readme_papermill_commands_run" in sources
    if key == ("jiuzhu",):
        return True  # the program itself: every test of a subcommand runs it
    return any(run[:len(key)] == key or key[:len(run)] == run and len(run) >= 3 for run in runs) \
        or (key == ("jiuzhu", "demo") and "demo" in targets)


def test_first_screen_holds_the_role_entry_points():
    head = "\n".join(readme().splitlines()[:60])
    for role in ROLES:
        assert f"### {role}" in head, role
    assert "make demo" in head and "make test" in head
    assert head.index("make demo") < head.index(ROLES[0])


def test_readme_is_a_front_door():
    assert len(README.read_bytes()) <= FRONT_DOOR_BYTES
    for page in re.findall(r"\]\((docs/[a-z-]+\.md)", readme()):
        assert (ROOT / page).is_file(), page


def test_every_command_in_readme_and_docs_is_run_by_a_test_or_by_make_demo():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))
    runs, sources = _cli_levels(), _test_sources()
    assert len(readme_commands(readme())) > 10
    missing = []
    for path in [README, *DOCS]:
        commands = readme_commands(path.read_text(encoding="utf-8"))
        missing += sorted({f"{path.relative_to(ROOT)}: {' '.join(command_key(c))}" for c in commands
                           if not _covered(command_key(c), runs, targets, sources)})
    assert not missing, f"commands in README/docs that no test runs: {missing}"


def test_make_targets_named_in_readme_exist():
    names = {command_key(c)[1] for c in readme_commands(readme()) if command_key(c)[0] == "make"
             and len(command_key(c)) > 1}
    done = subprocess.run(["make", "-n", *sorted(names)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_python_examples_in_readme_and_docs_run():
    blocks = [(path, body) for path in [README, *DOCS]
              for lang, body in _BLOCK.findall(path.read_text(encoding="utf-8")) if lang == "python"]
    assert blocks
    for path, body in blocks:
        exec(compile(body, path.name, "exec"), {"print": lambda *a, **k: None})


def test_pictures_shown_in_readme_exist():
    pictures = re.findall(r'(?:src="|\]\()(docs/img/[^")]+\.png)', readme())
    assert len(pictures) >= 3
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture

"""The no-leak scan: released notebooks and feedback must show no solutions and no hidden tests.

What counts as a leak, in any file under ``release/``, ``feedback/`` or the exchange's
``outbound``/``feedback`` folders:

* an nbgrader delimiter (``BEGIN SOLUTION``, ``BEGIN HIDDEN TESTS``, ``BEGIN MARK SCHEME`` …);
* a line of a hidden-test region or of a solution taken from the source notebooks;
* in a released notebook, any cell output (outputs can carry answers);
* an answers file (``answers.json``) next to a released notebook (someone's answers).

Feedback is HTML: tags are stripped and entities unescaped before searching, so syntax-highlighted
code is found too.  nbgrader shows hidden tests in feedback by default (upstream issue #917);
the course config removes them and this scan proves it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.training.trainee.answers import SIDECAR_NAME

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
_REGIONS = (("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "隐藏测试"),
            ("BEGIN SOLUTION", "END SOLUTION", "参考答案"))
_MIN_SNIPPET = 8
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)


@dataclass(frozen=True)
class Leak:
    path: Path
    kind: str        # Chinese: what leaked
    detail: str

    def __str__(self) -> str:
        return f"{self.path}：{self.kind}（{self.detail}）"


def secret_snippets(source_dir: Path) -> dict[str, str]:
    """``{line: kind}`` for every line inside hidden-test or solution regions of the sources."""
    snippets: dict[str, str] = {}
    for path in sorted(Path(source_dir).glob("*/*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            lines = _source(cell).splitlines()
            for begin, end, kind in _REGIONS:
                inside = False
                for line in lines:
                    if begin in line:
                        inside = True
                    elif end in line:
                        inside = False
                    elif inside and len(line.strip()) >= _MIN_SNIPPET:
                        snippets[line.strip()] = kind
    return snippets


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _visible_text(path: Path) -> tuple[str, int]:
    """Searchable text of a notebook or HTML file, and the number of notebook cells with outputs."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        notebook = json.loads(raw)
        parts, with_outputs = [], 0
        for cell in notebook.get("cells", []):
            parts.append(_source(cell))
            if cell.get("outputs"):
                with_outputs += 1
                parts.append(json.dumps(cell["outputs"], ensure_ascii=False))
        return "\n".join(parts), with_outputs
    text = html.unescape(_TAG.sub("", _STYLE.sub("", raw)))
    return text, 0


def scanned_files(course_root: Path, exchange_root: Path | None = None) -> list[Path]:
    """Released notebooks and feedback pages of the course and of its exchange folder."""
    root = Path(course_root)
    exchange = Path(exchange_root) if exchange_root else root / "exchange"
    files = [*root.glob("release/*/*.ipynb"), *root.glob("feedback/*/*/*.html"),
             *exchange.glob("*/outbound/*/*.ipynb"), *exchange.glob("*/feedback/*.html")]
    return sorted(set(files))


def scan(course_root: Path, files: list[Path] | None = None,
         exchange_root: Path | None = None) -> list[Leak]:
    """Every leak found in the released notebooks and the feedback of ``course_root``."""
    root = Path(course_root)
    snippets = secret_snippets(root / "source")
    leaks: list[Leak] = []
    for path in (scanned_files(root, exchange_root) if files is None else files):
        text, with_outputs = _visible_text(path)
        for marker in MARKERS:
            if marker in text:
                leaks.append(Leak(path, "含有 nbgrader 分隔标记", marker))
        for snippet, kind in snippets.items():
            if snippet in text:
                leaks.append(Leak(path, f"含有{kind}代码", snippet))
        released = {"release", "outbound"} & set(_relative_parts(path, root))
        if with_outputs and released:
            leaks.append(Leak(path, "发布的笔记本带有运行输出", f"{with_outputs} 个单元格"))
        if released and (path.parent / SIDECAR_NAME).exists():
            leaks.append(Leak(path.parent / SIDECAR_NAME, "发布目录中含有作答文件", SIDECAR_NAME))
    return leaks


def _relative_parts(path: Path, root: Path) -> tuple[str, ...]:
    try:
        return Path(path).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return Path(path).parts

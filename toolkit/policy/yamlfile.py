"""Reading the YAML files people write (parameters, holidays) with line numbers in every error.

PyYAML turns ``2027-02-30`` into a date and fails with a bare ``ValueError`` ("day is out of range
for month"); here an impossible date is a :class:`toolkit.errors.UserError` naming the file, the line
and the value as typed.  Mappings come back as :class:`LineDict`, which remembers its line, so
callers can name the line of an entry they refuse.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from toolkit.errors import UserError

FORMAT_HINT = "日期请写成 2027-10-01 这样存在的日期"


class LineDict(dict):
    """A YAML mapping that knows the line (1-based) it starts on."""

    line: int = 0


class YamlFileError(UserError):
    """A YAML file people write cannot be read (not UTF-8, not YAML, an impossible date)."""


class _Loader(yaml.SafeLoader):
    path = ""
    label = ""


def _timestamp(loader: _Loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise YamlFileError(f"{loader.label} {loader.path} 第 {node.start_mark.line + 1} 行：值 “{node.value}” "
                            f"不是存在的日期。{FORMAT_HINT}。") from None


def _mapping(loader: _Loader, node) -> LineDict:
    loader.flatten_mapping(node)
    found = LineDict(yaml.SafeLoader.construct_mapping(loader, node, deep=True))
    found.line = node.start_mark.line + 1
    return found


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)


def load(path: str | Path, label: str, error: type[UserError] = YamlFileError) -> object:
    """The YAML document of ``path``; ``label`` (e.g. "参数文件") names the file in messages."""
    loader_cls = type("Loader", (_Loader,), {"path": str(path), "label": label})
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(f"{label} {path} 不是 UTF-8 编码的文本，请另存为 UTF-8 后重试。") from None
    try:
        return yaml.load(text, Loader=loader_cls)  # noqa: S506 - a SafeLoader subclass
    except YamlFileError as err:
        raise error(err.message) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f"第 {mark.line + 1} 行" if mark else ""
        raise error(f"{label} {path} {line}不是有效的 YAML，请检查缩进和冒号。") from None


def line_of(node: object) -> str:
    """"第 N 行" of a mapping read by :func:`load` ("" when unknown)."""
    line = getattr(node, "line", 0)
    return f"第 {line} 行" if line else ""


def file_version(path: str | Path, missing: UserError) -> tuple[str, int, int]:
    """(path, modification time, size) of a file people keep, as a cache key; ``missing`` raised when absent."""
    try:
        stat = os.stat(path)
    except OSError:
        raise missing from None
    return str(path), stat.st_mtime_ns, stat.st_size

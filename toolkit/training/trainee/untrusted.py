"""Reading and copying what a trainee wrote: every trainee file is hostile until proven otherwise.

One place for every read of a trainee-controlled file (the in-process grading of
``answers.json`` uses it too):

* :func:`read_bytes` opens a *regular* file only, never through a symbolic link (``O_NOFOLLOW``),
  never a FIFO or a device (it would block or never end), and reads at most a size cap;
* :func:`load_json` adds strict UTF-8 and a nesting-depth limit, checked *before* parsing (a
  document nested 100,000 deep makes Python's JSON parser raise ``RecursionError``);
* :func:`load_answers` and :func:`load_notebook` are those with the caps of an answers sidecar
  and of a submitted notebook (size, and for a notebook :data:`MAX_NOTEBOOK_CELLS` cells: a
  notebook over it is refused, graded 0, on the kernel path too -- a kernel would run every cell);
* :func:`copy_tree` copies a folder of trainee files as regular files and folders only (no link,
  FIFO, socket or device is followed or copied), within caps of size, count and folder depth,
  walking the folders in a loop (never a recursion a deep folder chain could exhaust).

A bad file raises :class:`UntrustedFileError` (a :class:`~toolkit.errors.UserError`) whose
``reason`` says in Chinese what is wrong; the grader gives that submission 0 with the reason and
goes on with the batch.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UserError
from toolkit.policy.jsoninput import within_depth

MAX_ANSWERS_BYTES = 1 * 2**20         # an answers.json of a whole exercise is a few KiB
MAX_NOTEBOOK_BYTES = 16 * 2**20       # a submitted notebook (outputs are cleared before grading)
MAX_NOTEBOOK_CELLS = 300              # the course's exercises have about 10 cells; 160,000 tiny cells
                                      # (15.7 MB) cost the grader minutes and a gigabyte
MAX_FILE_BYTES = 16 * 2**20           # any one file of a submission
MAX_TREE_BYTES = 64 * 2**20           # a whole submission
MAX_TREE_FILES = 500
MAX_TREE_FOLDERS = 100                # a submission is one folder, perhaps with a data folder or two
MAX_TREE_DEPTH = 16                   # folders below a submission's own (a chain of 1,100 broke collect)
MAX_DEPTH = 64                        # JSON nesting: notebooks and answers need fewer than 12 levels

TEXT = {
    "missing": "文件不存在",
    "not_regular": "不是普通文件（{kind}），出于安全不读取、不复制",
    "too_big": "文件过大（{size} 字节，上限 {cap} 字节）",
    "not_utf8": "不是 UTF-8 编码的文本",
    "too_deep": "嵌套层数超过 {cap} 层",
    "not_json": "不是合法的 JSON（第 {line} 行）",
    "bad_shape": "内容格式不对：{what}",
    "not_notebook": "不是可读取的笔记本（{what}）",
    "too_many_cells": "单元格过多（{count} 个，上限 {cap} 个）",
    "tree_too_big": "提交的文件合计过大（超过 {cap} 字节）",
    "tree_too_many": "提交的文件过多（超过 {cap} 个）",
    "tree_too_many_folders": "提交的文件夹过多（超过 {cap} 个）",
    "tree_too_deep": "文件夹嵌套过深（超过 {cap} 层）",
    "folder_too_full": "一个文件夹中的文件和文件夹过多（超过 {cap} 个）",
    "message": "{path}：{reason}",
    "owner": "属于账号 {actual}，不属于提交人 {expected}（冒名或被他人改动）",
}

_KINDS = ((stat.S_ISLNK, "符号链接"), (stat.S_ISFIFO, "命名管道 FIFO"), (stat.S_ISSOCK, "套接字"),
          (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"), (stat.S_ISDIR, "文件夹"))


class UntrustedFileError(UserError):
    """A trainee file that is not read: ``path`` and the Chinese ``reason``."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(TEXT["message"].format(path=self.path, reason=reason))


def account_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def owner_text(actual: int, expected: int) -> str:
    return TEXT["owner"].format(actual=account_name(actual), expected=account_name(expected))


def kind_of(mode: int) -> str | None:
    """Chinese name of a file type that is not a regular file (``None`` for a regular file)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "特殊文件"


def open_regular(path: Path | str, max_bytes: int, dir_fd: int | None = None) -> int:
    """A read-only descriptor of the regular file ``path`` of at most ``max_bytes``.

    Never follows a symbolic link in the last component, never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except FileNotFoundError:
        raise UntrustedFileError(path, TEXT["missing"]) from None
    except OSError:              # ELOOP: a symbolic link; ENXIO: a socket; EACCES …
        try:
            mode = os.lstat(path, dir_fd=dir_fd).st_mode
        except OSError:
            mode = 0
        raise UntrustedFileError(path, TEXT["not_regular"].format(kind=kind_of(mode) or "无法打开")) from None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = TEXT["not_regular"].format(kind=kind_of(info.st_mode))
    elif info.st_size > max_bytes:
        problem = TEXT["too_big"].format(size=info.st_size, cap=max_bytes)
    if problem:
        os.close(fd)
        raise UntrustedFileError(path, problem)
    return fd


def read_bytes(path: Path | str, max_bytes: int) -> bytes:
    """The content of a regular file, refused when it is a link or special file or too big."""
    fd = open_regular(path, max_bytes)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(max_bytes + 1)        # the file may grow after fstat
    if len(data) > max_bytes:
        raise UntrustedFileError(path, TEXT["too_big"].format(size=f"{len(data)}+", cap=max_bytes))
    return data


def load_json(path: Path | str, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """A JSON document from a trainee file, with size, encoding and depth checked.

    The depth is measured on the parsed value (:func:`toolkit.policy.jsoninput.within_depth`):
    a scan of the text for brackets outside strings was quadratic in the size of a crafted file
    (an unclosed string of ``\\"`` pairs), long enough to stall a whole grading batch."""
    data = read_bytes(path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UntrustedFileError(path, TEXT["not_utf8"]) from None
    try:
        document = json.loads(text)
    except RecursionError:          # deeper than the C parser goes: far past any cap
        raise UntrustedFileError(path, TEXT["too_deep"].format(cap=max_depth)) from None
    except (json.JSONDecodeError, ValueError) as err:   # ValueError: e.g. an integer of 5000 digits
        raise UntrustedFileError(path, TEXT["not_json"].format(line=getattr(err, "lineno", "?"))) from None
    if not within_depth(document, max_depth):
        raise UntrustedFileError(path, TEXT["too_deep"].format(cap=max_depth))
    return document


def load_answers(path: Path | str) -> dict[str, Any]:
    """An answers sidecar (``answers.json``): ``{"assignment", "student", "answers": {qid: {"raw": …}}}``."""
    document = load_json(path, MAX_ANSWERS_BYTES)
    answers = document.get("answers") if isinstance(document, dict) else None
    if not isinstance(answers, dict) or not all(isinstance(v, dict) and "raw" in v for v in answers.values()):
        raise UntrustedFileError(path, TEXT["bad_shape"].format(what="缺少 answers 或 raw 字段"))
    for key in ("assignment", "student"):
        if not isinstance(document.get(key, ""), str):
            raise UntrustedFileError(path, TEXT["bad_shape"].format(what=f"{key} 不是文字"))
    return document


def load_notebook(path: Path | str, max_bytes: int = MAX_NOTEBOOK_BYTES):
    """A submitted notebook (nbformat 4 node), read defensively."""
    import nbformat

    document = load_json(path, max_bytes)
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise UntrustedFileError(path, TEXT["not_notebook"].format(what="缺少 cells"))
    if len(document["cells"]) > MAX_NOTEBOOK_CELLS:     # before nbformat validates every cell
        raise UntrustedFileError(path, TEXT["too_many_cells"].format(count=len(document["cells"]),
                                                                     cap=MAX_NOTEBOOK_CELLS))
    try:
        return nbformat.reads(json.dumps(document), as_version=4)
    except Exception as err:          # nbformat raises many kinds on a malformed notebook
        raise UntrustedFileError(path, TEXT["not_notebook"].format(what=type(err).__name__)) from None


def check_notebook(path: Path | str) -> None:
    """Raise :class:`UntrustedFileError` unless ``path`` can be handed to nbgrader safely."""
    load_notebook(path)


# --------------------------------------------------------------------------- folders

@dataclass(frozen=True)
class Refusal:
    """One entry of a trainee folder that was not copied, and why (Chinese)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return TEXT["message"].format(path=self.path, reason=self.reason)


def scan_tree(folder: Path | str, owner: int | None = None, *, max_file: int = MAX_FILE_BYTES,
              max_total: int = MAX_TREE_BYTES, max_files: int = MAX_TREE_FILES,
              max_folders: int = MAX_TREE_FOLDERS, max_depth: int = MAX_TREE_DEPTH) -> list[Refusal]:
    """What in ``folder`` would not be copied by :func:`copy_tree` (empty: everything is fine).

    With ``owner``: every folder and file must also belong to that user id.  Nothing is
    followed: each entry is looked at with ``lstat``.  The walk is a loop, not a recursion, and it
    stops at the first folder nested deeper than ``max_depth`` or past ``max_folders`` folders or
    ``max_files`` files: a chain of a thousand nested folders, or a million empty ones, costs no
    more than the caps."""
    folder = Path(folder)
    refusals: list[Refusal] = []
    total = files = folders = 0
    try:
        top = os.lstat(folder)
    except OSError:
        return [Refusal(folder, TEXT["missing"])]
    pending = [(folder, top, 0)]
    while pending:
        path, info, depth = pending.pop()
        if owner is not None and info.st_uid != owner:
            refusals.append(Refusal(path, owner_text(info.st_uid, owner)))
        if stat.S_ISDIR(info.st_mode):
            folders += 1
            if depth > max_depth:
                return refusals + [Refusal(path, TEXT["tree_too_deep"].format(cap=max_depth))]
            if folders > max_folders:
                return refusals + [Refusal(folder, TEXT["tree_too_many_folders"].format(cap=max_folders))]
            children = _children(path, max_files + max_folders)
            if children is None:
                refusals.append(Refusal(path, TEXT["not_regular"].format(kind="无法读取的文件夹")))
                continue
            if len(children) > max_files + max_folders:
                return refusals + [Refusal(path, TEXT["folder_too_full"].format(cap=max_files + max_folders))]
            pending.extend((path / name, child, depth + 1) for name, child in reversed(children))
            continue
        if not stat.S_ISREG(info.st_mode):
            refusals.append(Refusal(path, TEXT["not_regular"].format(kind=kind_of(info.st_mode))))
            continue
        files += 1
        total += info.st_size
        if files > max_files:
            return refusals + [Refusal(folder, TEXT["tree_too_many"].format(cap=max_files))]
        if info.st_size > max_file:
            refusals.append(Refusal(path, TEXT["too_big"].format(size=info.st_size, cap=max_file)))
    if total > max_total:
        refusals.append(Refusal(folder, TEXT["tree_too_big"].format(cap=max_total)))
    return refusals


def _children(path: Path, cap: int) -> list[tuple[str, os.stat_result]] | None:
    """``(name, lstat)`` of the entries of ``path``, sorted, reading at most ``cap + 1`` of them
    (``None``: the folder cannot be read).  An entry gone in between is left out."""
    found = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                try:
                    found.append((entry.name, entry.stat(follow_symlinks=False)))
                except FileNotFoundError:
                    continue
                if len(found) > cap:
                    break
    except OSError:
        return None
    return sorted(found, key=lambda item: item[0])


def newest_change(folder: Path | str, *, max_depth: int = MAX_TREE_DEPTH,
                  max_entries: int = MAX_TREE_FILES + MAX_TREE_FOLDERS) -> float:
    """The newest ``st_ctime`` of ``folder`` and what is in it (nothing followed; a loop, not a
    recursion; at most ``max_depth`` levels and ``max_entries`` entries are looked at).

    ``st_ctime`` is set by the kernel on every change of a file or folder (content, name, owner,
    mode, times) and cannot be set back by a user, unlike ``st_mtime`` (``touch -d``)."""
    folder = Path(folder)
    top = os.lstat(folder)
    newest, seen = top.st_ctime, 0
    pending = [(folder, 0)] if stat.S_ISDIR(top.st_mode) else []
    while pending and seen <= max_entries:
        path, depth = pending.pop()
        for name, info in _children(path, max_entries) or []:
            seen += 1
            newest = max(newest, info.st_ctime)
            if stat.S_ISDIR(info.st_mode) and depth < max_depth:
                pending.append((path / name, depth + 1))
    return newest


def copy_tree(src: Path | str, dest: Path | str, *, max_file: int = MAX_FILE_BYTES,
              max_total: int = MAX_TREE_BYTES, max_files: int = MAX_TREE_FILES,
              max_folders: int = MAX_TREE_FOLDERS, max_depth: int = MAX_TREE_DEPTH,
              uid: int | None = None, gid: int | None = None) -> list[Refusal]:
    """Copy the regular files and folders of ``src`` into the new folder ``dest``.

    Links, FIFOs, sockets and devices are never followed or copied, and neither are files over
    ``max_file``; they are returned as refusals.  Past ``max_total`` bytes, ``max_files`` files
    or ``max_folders`` folders the copy stops (refused); a folder nested deeper than
    ``max_depth`` is not copied (refused).  The folders are walked in a loop, not a recursion.
    Each file is opened with ``O_NOFOLLOW`` relative to its already-opened folder, so a link
    swapped in after the check is not followed either.  With ``uid``/``gid`` the copies are given
    to that user.
    """
    src, dest = Path(src), Path(dest)
    refusals: list[Refusal] = []
    budget = {"bytes": max_total, "files": max_files, "folders": max_folders,
              "owner": (uid, gid if gid is not None else -1) if uid is not None else None}
    os.mkdir(dest, 0o755)
    try:
        src_fd = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return [Refusal(src, TEXT["not_regular"].format(kind=kind_of(_lmode(src)) or "无法打开"))]
    pending = [(src_fd, src, dest, 0)]
    try:
        while pending:
            dir_fd, path, target, depth = pending.pop()
            try:
                pending.extend(_copy_dir(dir_fd, path, target, depth, max_file, max_depth, budget, refusals))
            finally:
                os.close(dir_fd)
            if budget["owner"]:
                os.chown(target, *budget["owner"])
    finally:
        for dir_fd, *_ in pending:
            os.close(dir_fd)
    return refusals


def _lmode(path: Path) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0


def _copy_dir(dir_fd: int, src: Path, dest: Path, depth: int, max_file: int, max_depth: int,
              budget: dict, refusals: list) -> list[tuple[int, Path, Path, int]]:
    """Copy the files of one folder; its subfolders are made and returned opened, to be copied next."""
    folders = []
    for name in sorted(os.listdir(dir_fd)):
        path = src / name
        mode = os.lstat(name, dir_fd=dir_fd).st_mode
        if stat.S_ISDIR(mode):
            if depth + 1 > max_depth:
                refusals.append(Refusal(path, TEXT["tree_too_deep"].format(cap=max_depth)))
                continue
            if budget["folders"] <= 0:
                refusals.append(Refusal(path, TEXT["tree_too_many_folders"].format(cap=MAX_TREE_FOLDERS)))
                continue
            try:
                child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd)
            except OSError:
                refusals.append(Refusal(path, TEXT["not_regular"].format(kind="无法打开的文件夹")))
                continue
            budget["folders"] -= 1
            folders.append((child, path, dest / name, depth + 1))
            try:
                os.mkdir(dest / name, 0o755)
            except OSError:
                for fd, *_ in folders:
                    os.close(fd)
                raise
            continue
        if budget["files"] <= 0:
            refusals.append(Refusal(path, TEXT["tree_too_many"].format(cap=MAX_TREE_FILES)))
            continue
        try:
            fd = open_regular(name, min(max_file, budget["bytes"]), dir_fd=dir_fd)
        except UntrustedFileError as err:
            refusals.append(Refusal(path, err.reason))
            continue
        with os.fdopen(fd, "rb") as source, open(dest / name, "xb") as target:
            copied = _copy_limited(source, target, min(max_file, budget["bytes"]))
            if budget["owner"]:
                os.fchown(target.fileno(), *budget["owner"])
        budget["bytes"] -= copied
        budget["files"] -= 1
    return folders


def _copy_limited(source, target, cap: int) -> int:
    copied = 0
    while chunk := source.read(min(1 << 20, cap + 1 - copied)):
        copied += len(chunk)
        if copied > cap:          # grew after fstat: keep what fits, the grader gets the rest cut
            target.write(chunk[: len(chunk) - (copied - cap)])
            return cap
        target.write(chunk)
    return copied

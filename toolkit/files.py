"""Atomic file and folder writes, and content hashes for provenance.

Leaf module (imports nothing of ours): every layer writes its outputs through it.

Every output is written to a temporary name beside its final place and renamed into place, so a
reader never sees half a file and an interrupted run leaves nothing that looks finished.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(final: Path, suffix: str = "", mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; on success rename it onto ``final``.

    On an exception the temporary file is removed and ``final`` is left untouched.  The file has
    the usual permissions (0666 less the umask) unless ``mode`` is given: a private file (0600)
    is private from its first byte, never widened and narrowed again.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=suffix or ".tmp",
                                    dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, (0o666 & ~_umask()) if mode is None else mode)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(final: Path, data: bytes) -> Path:
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)
    return Path(final)


def save_workbook(workbook, final: Path, mode: int | None = None) -> Path:
    """Save an openpyxl workbook (anything with ``.save(path)``) atomically; return ``final``.

    ``mode``: the file's permissions from the start (see :func:`atomic_path`)."""
    from toolkit.sheets import prepare_workbook

    final = Path(final)
    prepare_workbook(workbook)  # print set-up and row heights (toolkit.sheets)
    with atomic_path(final, final.suffix, mode) as tmp:
        workbook.save(tmp)
    return final


def write_text_atomic(final: Path, text: str) -> Path:
    return write_bytes_atomic(final, text.encode("utf-8"))


DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK
"""Open a folder of someone else's (a trainee's home) without following a link planted there."""


def write_at(dir_fd: int, name: str, data: bytes, mode: int, *, owner: tuple[int, int] | None = None,
             replace: bool = True) -> bool:
    """``data`` as ``name`` in the folder ``dir_fd`` with permissions ``mode`` (and ``owner``: uid,
    gid), for folders another account controls: written under a fresh name (``O_EXCL``), then
    renamed over whatever is at ``name`` (``replace``) or linked there only when nothing is (else
    False).  What was left at ``name`` is never opened or followed: a planted link is replaced, a
    FIFO cannot block, a hard link's target is never truncated."""
    temp = f".{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=dir_fd)
    try:
        with os.fdopen(fd, "wb") as handle:
            if owner is not None:
                os.fchown(handle.fileno(), *owner)
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
        if replace:
            os.rename(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            return True
        try:
            os.link(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
            return True
        except FileExistsError:
            return False
    finally:
        try:
            os.unlink(temp, dir_fd=dir_fd)
        except FileNotFoundError:
            pass


def safe_file_name(text: str) -> str:
    """``text`` as one safe file-name part whatever it holds: no path separators, control or
    Windows-reserved characters, no leading/trailing dots or spaces ('_' if nothing is left)."""
    import re

    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(". ") or "_"


def replace_dir(staged: Path, final: Path) -> None:
    """Move the finished folder ``staged`` to ``final``, replacing an older ``final`` if present.

    The old folder is first renamed aside, so ``final`` is always either the old or the new
    complete folder, never a mixture.
    """
    staged, final = Path(staged), Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(final, old)
    os.replace(staged, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

"""Collecting from the exchange's ``inbound`` folder without trusting anything in it.

The inbound folder is writable by every trainee (nbgrader's design), and nbgrader's collect only
*logs* an entry whose owner is not the trainee it names, and copies with ``shutil.copytree``,
which follows symbolic links (run as root, it copied ``/etc/shadow`` into ``submitted/``).  Here
each entry ``<trainee>+<assignment>+<time>+<random>`` is checked first (:func:`vet_entries`):

* when ``<trainee>`` is a system account (a hub), the entry and every folder and file in it must
  belong to that account: a file written by someone else -- a forged entry, or a file slipped
  into another trainee's entry -- refuses the whole entry;
* on one machine, where trainer and trainees share one account (the entry belongs to the account
  running collect and no account is named ``<trainee>``), the submitter cannot be verified:
  accepted, and said so (:attr:`CollectRun.unverifiable`);
* only regular files and folders within caps of size, count and folder depth: a link, FIFO,
  socket or device, a chain of 1,100 nested folders or a million empty ones refuses it.  An entry
  that cannot be checked or copied is refused by name and never stops the others' collect; it
  stays in the exchange (refused again at the next collect) until the trainer removes it.

The accepted entries are copied (regular files only, :func:`toolkit.training.trainee.untrusted.copy_tree`)
into a private staging exchange, and nbgrader's own collect runs on that, so which submission is
the latest, late-submission handling and the gradebook stay nbgrader's -- with one correction: the
time an entry claims (its name and ``timestamp.txt``, both written by the trainee) counts only when
it is not earlier than the files' last change (``st_ctime``) by more than :data:`CLAIM_TOLERANCE`;
otherwise the staged copy carries the file time (:func:`submitted_at`, :attr:`Vetted.retimed`).

:class:`OwnEntrySubmit` is the trainees' side on a hub: nbgrader makes each submitted entry
mode 0777 ("so the instructor can delete it"), which lets every trainee write into every other
trainee's entry; this submit leaves it 0755.  :func:`protect_inbound` adds the sticky bit to the
inbound folder, so nobody can rename or delete another trainee's entry.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.submit import ExchangeSubmit

from toolkit.training.trainee.untrusted import (MAX_ANSWERS_BYTES, Refusal, UntrustedFileError, account_name,
                                                copy_tree, kind_of, newest_change, read_bytes, scan_tree)

# How much earlier than the newest change of its files (st_ctime, which no user can set back) a
# submission's claimed time may be: nbgrader's submit takes its time first, then copies the files.
CLAIM_TOLERANCE = dt.timedelta(minutes=5)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"       # nbgrader's default timestamp_format, in UTC

TEXT = {
    "bad_name": "名称不是“学员+练习+时间+随机串”的形式",
    "not_dir": "不是文件夹（{kind}）",
    "no_account": "署名的学员 {student} 没有系统账号，而这份提交属于账号 {owner}（冒名提交）",
    "refused": "拒收 {entry}：{reasons}",
    "unreadable": "检查或复制时出错（{error}）",
    "retimed": ("提交时间与文件时间不符，按文件时间计：{entry}（自称 {claimed}，文件最后改动于 {actual}，"
                "均为 UTC；迟交按此计算）"),
    "claim_missing": "没有可读的提交时间",
    "left_behind": ("拒收的条目留在交换目录 {inbound} 中，不会被收取，以后每次收取都会再列出一次；"
                    "核实后（如已通知学员重新提交）可由管理员删除，例如：rm -rf {example}"),
    "unverifiable": ("注意：{count} 份提交属于运行本命令的账号 {user}——学员与培训老师共用一个系统账号，"
                     "无法核实是谁提交的（能登录这个账号的人可以用任何学员的名义提交，也能读到课程文件）。"
                     "要让提交人可核实，请为每位学员开设系统账号或使用 jiuzhu hub（见 docs/sandbox.md）。"),
}


@dataclass
class Vetted:
    accepted: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)       # Chinese, one line per entry
    unverifiable: list[Path] = field(default_factory=list)  # accepted without an owner to check
    retimed: list[str] = field(default_factory=list)       # Chinese, one line per entry whose time was corrected
    refused_entries: list[Path] = field(default_factory=list)


def entry_student(name: str, assignment: str) -> str | None:
    """``<trainee>`` of an inbound entry name of ``assignment`` (nbgrader splits the same way)."""
    parts = name.rsplit("+", 3)
    if len(parts) < 3 or parts[1] != assignment or not parts[0]:
        return None
    return parts[0]


def _expected_uid(student: str) -> int | None:
    try:
        return pwd.getpwnam(student).pw_uid
    except KeyError:
        return None


def vet_entries(inbound: Path, assignment: str) -> Vetted:
    """Check every inbound entry of ``assignment``; see the module docstring."""
    vetted = Vetted()
    if not inbound.is_dir():
        return vetted
    for entry in sorted(inbound.iterdir()):
        if f"+{assignment}+" not in entry.name:
            continue
        try:
            reasons = _entry_problems(entry, assignment, vetted)
        except OSError as err:          # e.g. changed by the trainee while it is read
            reasons = [Refusal(entry, TEXT["unreadable"].format(error=type(err).__name__))]
        if reasons:
            _refuse(vetted, entry, reasons)
        else:
            vetted.accepted.append(entry)
    return vetted


def _refuse(vetted: Vetted, entry: Path, reasons: list[Refusal]) -> None:
    shown = "；".join(str(r.reason if r.path == entry else f"{r.path.relative_to(entry)}：{r.reason}")
                     for r in reasons[:3])
    vetted.refused.append(TEXT["refused"].format(entry=entry.name, reasons=shown))
    vetted.refused_entries.append(entry)
    if entry in vetted.unverifiable:
        vetted.unverifiable.remove(entry)


def _entry_problems(entry: Path, assignment: str, vetted: Vetted) -> list[Refusal]:
    student = entry_student(entry.name, assignment)
    if student is None:
        return [Refusal(entry, TEXT["bad_name"])]
    info = os.lstat(entry)
    if not stat.S_ISDIR(info.st_mode):
        return [Refusal(entry, TEXT["not_dir"].format(kind=kind_of(info.st_mode)))]
    expected = _expected_uid(student)
    if expected is None:
        if info.st_uid != os.geteuid():
            return [Refusal(entry, TEXT["no_account"].format(student=student, owner=account_name(info.st_uid)))]
        vetted.unverifiable.append(entry)
    return scan_tree(entry, owner=expected if expected is not None else os.geteuid())


def stage(vetted: Vetted, staging_root: Path, course_id: str) -> Path:
    """Copy the accepted entries (regular files only) into ``<staging_root>/<course>/inbound``.

    An entry that fails its copy (changed since it was checked: past a cap, a link swapped in, gone)
    is refused after all and its partial copy removed; the others are staged.  Each staged entry
    carries the time it was really submitted (:func:`submitted_at`), in its name and
    ``timestamp.txt``, which nbgrader's collect and autograde read."""
    inbound = staging_root / course_id / "inbound"
    inbound.mkdir(parents=True)
    for entry in list(vetted.accepted):
        staged = inbound / entry.name
        try:
            reasons = copy_tree(entry, staged)
            if not reasons:
                _settle_time(vetted, entry, staged)
        except OSError as err:               # e.g. the entry gone or replaced since its check
            reasons = [Refusal(entry, TEXT["unreadable"].format(error=type(err).__name__))]
        if reasons:
            vetted.accepted.remove(entry)
            _refuse(vetted, entry, reasons)
            shutil.rmtree(staged, ignore_errors=True)
    return staging_root


def left_behind_text(entry: Path) -> str:
    """What the trainer can do about refused entries (they stay in the exchange, refused each time)."""
    import shlex

    return TEXT["left_behind"].format(inbound=entry.parent, example=shlex.quote(str(entry)))


# --------------------------------------------------------------------------- the submission time

def claimed_times(name: str, copy: Path) -> list[dt.datetime | None]:
    """The times (naive UTC) an entry claims: in its ``name`` and in the ``timestamp.txt`` of its
    ``copy`` (``None``: missing or unreadable), read as nbgrader reads them."""
    from nbgrader.utils import parse_utc

    found: list[dt.datetime | None] = []
    texts = [name.rsplit("+", 3)[2] if name.count("+") >= 2 else None]
    try:
        texts.append(read_bytes(copy / "timestamp.txt", MAX_ANSWERS_BYTES).decode("utf-8").strip())
    except (UntrustedFileError, UnicodeDecodeError):
        texts.append(None)
    for text in texts:
        try:
            found.append(parse_utc(text) if text else None)
        except (ValueError, OverflowError, TypeError):
            found.append(None)
    return found


def submitted_at(entry: Path, copy: Path) -> tuple[dt.datetime | None, dt.datetime]:
    """``(claimed, effective)``: the time ``entry`` (copied to ``copy``) claims and the time to count it at.

    The claim (the earlier of the entry's name and its ``timestamp.txt``) stands unless it is
    missing or earlier than the last change of the entry's files (their newest ``st_ctime``, taken
    after the copy: :func:`~toolkit.training.trainee.untrusted.newest_change`) by more than
    :data:`CLAIM_TOLERANCE`; then the last change counts."""
    claims = claimed_times(entry.name, copy)
    changed = dt.datetime.fromtimestamp(newest_change(entry), dt.timezone.utc).replace(tzinfo=None)
    claimed = None if None in claims else min(claims)
    if claimed is None or claimed < changed - CLAIM_TOLERANCE:
        return claimed, changed
    return claimed, claimed


def _settle_time(vetted: Vetted, entry: Path, staged: Path) -> None:
    """Give the staged copy of ``entry`` its effective submission time, noting a correction."""
    claimed, effective = submitted_at(entry, staged)
    if claimed == effective:
        return
    stamp = effective.strftime(TIMESTAMP_FORMAT)
    (staged / "timestamp.txt").unlink(missing_ok=True)
    (staged / "timestamp.txt").write_text(stamp, encoding="utf-8")
    student, assignment, _, random = (entry.name.rsplit("+", 3) + [""])[:4]
    staged.rename(staged.with_name("+".join(part for part in (student, assignment, stamp, random) if part)))
    vetted.retimed.append(TEXT["retimed"].format(
        entry=entry.name, actual=effective.strftime("%Y-%m-%d %H:%M:%S"),
        claimed=claimed.strftime("%Y-%m-%d %H:%M:%S") if claimed else TEXT["claim_missing"]))


def protect_inbound(inbound: Path) -> None:
    """Sticky bit on the inbound folder: a trainee cannot rename or delete another's entry."""
    if inbound.is_dir() and not inbound.is_symlink():
        mode = stat.S_IMODE(os.lstat(inbound).st_mode)
        if not mode & stat.S_ISVTX:
            os.chmod(inbound, mode | stat.S_ISVTX)


class OwnEntrySubmit(ExchangeSubmit):
    """nbgrader's submit, leaving the new inbound entry writable by its owner only (0755)."""

    def copy_files(self):
        super().copy_files()
        entry = os.path.join(self.inbound_path, self.assignment_filename)
        if os.path.isdir(entry) and not os.path.islink(entry):
            os.chmod(entry, 0o755)


class VettedCollect(ExchangeCollect):
    """nbgrader's collect as the formgrader's 收取 button and a plain ``nbgrader collect`` run it,
    with the checks of ``jiuzhu course collect``: the entries of the assignment are vetted
    (:func:`vet_entries`: owner, links, sizes, the claimed time against the files' last change)
    and staged into a private copy (:func:`stage`), and nbgrader collects from that copy.  Refused
    and retimed entries are written to the log (the formgrader shows the log of a failed call only;
    ``jiuzhu course collect`` lists them)."""

    def init_src(self):
        import tempfile

        if self.coursedir.course_id and self.coursedir.assignment_id:
            vetted = vet_entries(Path(self.root) / self.coursedir.course_id / "inbound",
                                 self.coursedir.assignment_id)
            self._staging = tempfile.TemporaryDirectory(prefix="jiuzhu-collect-")
            stage(vetted, Path(self._staging.name), self.coursedir.course_id)
            for line in vetted.refused + vetted.retimed:
                self.log.warning(line)
            self.root = self._staging.name
        super().init_src()

    def copy_files(self):
        try:
            super().copy_files()
        finally:
            staging = getattr(self, "_staging", None)
            if staging is not None:
                staging.cleanup()


def unverifiable_text(count: int) -> str:
    return TEXT["unverifiable"].format(count=count, user=account_name(os.geteuid()))

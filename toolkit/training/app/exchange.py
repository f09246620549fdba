"""The trainee's exercises through nbgrader's exchange, as the JupyterLab Assignments panel does.

:class:`Exchange` drives nbgrader's own ``AssignmentList`` (the panel's server-side manager) in the
trainee's kernel: the same configuration files (``jupyter_config_path()``: on a hub the course
groups, the exchange root, ``path_includes_course`` and the submit class that keeps a trainee's
entry theirs), so 开始/提交/查看反馈 make exactly what the panel's Fetch/Submit/Fetch Feedback make.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from toolkit.errors import UserError
from toolkit.training.app.deadlines import read_deadlines
from toolkit.training.app.labels import TEXT
from toolkit.training.app.status import Facts

BEIJING = timezone(timedelta(hours=8), "北京时间")     # China keeps no daylight saving time
COURSE_TITLES_ENV = "JIUZHU_COURSE_TITLES"           # {"course id": "Chinese title"} (JSON), set by the hub
_SCORE = re.compile(r"练习反馈：.*?（得分\s*([0-9.]+)\s*/\s*([0-9.]+)）")
_HEADING = re.compile(r"^#+\s*(.+)$", re.M)


class ExchangeFailed(UserError):
    """nbgrader's exchange refused or failed (shown to the cadre in Chinese, never a traceback)."""


@dataclass
class Exercise:
    """One released exercise as 我的练习 shows it."""
    course_id: str
    assignment_id: str
    title: str
    course_title: str = ""
    folder: Path | None = None                 # the fetched folder in the trainee's home
    submissions: list[dict] = field(default_factory=list)
    deadline: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.course_id}/{self.assignment_id}"

    @property
    def latest(self) -> dict | None:
        return self.submissions[-1] if self.submissions else None

    def feedback_file(self) -> Path | None:
        """The fetched feedback page of the latest submission that has one (newest first)."""
        for submission in reversed(self.submissions):
            path = submission.get("local_feedback_path")
            if path:
                pages = sorted(Path(path).glob("*.html"))
                if pages:
                    return pages[0]
        return None


def parse_timestamp(text: str) -> datetime | None:
    """nbgrader's submission time (``2026-12-06 04:50:01.123456 UTC``) as an aware datetime.

    The zone is whatever ``Exchange.timezone`` made of ``%Z``: UTC (nbgrader's default, what the
    toolkit configures), a numeric offset (``+0800``) or a zone name (``Asia/Shanghai``); an
    abbreviation that names no one zone (``CST``: China or US Central?) gives ``None``: the time
    is unknown, never guessed."""
    parts = (text or "").split()
    zone = _zone(parts[2]) if len(parts) == 3 else timezone.utc if len(parts) == 2 else None
    if zone is None:
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(f"{parts[0]} {parts[1]}", pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def _zone(name: str):
    """The time zone a ``%Z``/``%z`` field names, or ``None``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name in ("UTC", "GMT", "Z"):
        return timezone.utc
    offset = _OFFSET.match(name)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3))))
    if "/" not in name:             # abbreviations (CST, EST…) are ambiguous; zone names have a slash
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def beijing(when: datetime) -> str:
    """``2026年12月6日 12:50`` (Beijing time), as cadres read dates."""
    local = when.astimezone(BEIJING)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def feedback_score(page: str) -> tuple[float, float] | None:
    """(score, maximum) from a feedback page's heading (the course's feedback template)."""
    found = _SCORE.search(page)
    return (float(found.group(1)), float(found.group(2))) if found else None


def course_titles() -> dict[str, str]:
    try:
        titles = json.loads(os.environ.get(COURSE_TITLES_ENV) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in titles.items()} if isinstance(titles, dict) else {}


def exercise_title(course: str, assignment: str, student: str, notebooks: list[dict], number: int) -> str:
    """The Chinese title: the course's delivered case's, the case module's, the notebook's heading."""
    from toolkit.training.trainee.casedata import delivered_case

    title = (delivered_case(assignment, student, course) or {}).get("title")
    if title:
        return str(title)
    from toolkit.cases import CASE_MODULES, case_module

    if assignment in CASE_MODULES:
        with contextlib.suppress(Exception):
            return str(case_module(assignment).TITLE)
    for notebook in notebooks:
        with contextlib.suppress(OSError, ValueError, KeyError, IndexError):
            cells = json.loads(Path(notebook["path"]).read_text(encoding="utf-8"))["cells"]
            heading = _HEADING.search("".join(cells[0]["source"]))
            if heading:
                return heading.group(1).strip()
    return TEXT["exercise_fallback"].format(number=number)


class Exchange:
    """list / fetch / submit / fetch feedback for the trainee whose kernel this is."""

    def __init__(self, home: Path | str):
        from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

        self.home = Path(home)
        self._manager = AssignmentList()
        self._manager.root_dir = str(self.home)
        self._root: str | None = None

    def _call(self, method: str, *args, failure: str) -> dict:
        buffer = io.StringIO()
        cwd = os.getcwd()
        try:
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                result = getattr(self._manager, method)(*args)
        except Exception as err:                     # nbgrader's own errors: never a traceback
            raise ExchangeFailed(TEXT[failure].format(detail=type(err).__name__)) from None
        finally:
            os.chdir(cwd)                            # nbgrader's chdir does not restore on errors
        if not result.get("success"):
            detail = TEXT["exchange_detail"] if "exchange directory" in str(result.get("value")) else TEXT["unknown"]
            raise ExchangeFailed(TEXT[failure].format(detail=detail))
        return result

    def exercises(self, student: str) -> list[Exercise]:
        """Every released exercise of the trainee's courses, in course order, with submissions."""
        listed = self._call("list_assignments", None, failure="list_failed")["value"]
        titles, deadlines = course_titles(), {}
        found: dict[str, Exercise] = {}
        for number, info in enumerate(i for i in listed if i["status"] in ("released", "fetched")):
            title = exercise_title(info["course_id"], info["assignment_id"], student,
                                   info.get("notebooks", []), number + 1)
            exercise = Exercise(info["course_id"], info["assignment_id"], title, titles.get(info["course_id"], ""))
            if info["course_id"] not in deadlines:
                deadlines[info["course_id"]] = read_deadlines(self.exchange_root(), info["course_id"])
            exercise.deadline = deadlines[info["course_id"]].get(exercise.assignment_id)
            if info["status"] == "fetched":
                folder = Path(info["path"])
                exercise.folder = folder if folder.is_absolute() else self.home / folder
            found[exercise.key] = exercise
        for info in listed:
            if info["status"] == "submitted":
                key = f"{info['course_id']}/{info['assignment_id']}"
                if key in found:
                    found[key].submissions = sorted(info["submissions"], key=lambda s: s["timestamp"])
        return sorted(found.values(), key=lambda e: (e.course_id, _order(e.assignment_id)))

    def exchange_root(self) -> str:
        """The exchange folder the trainee's nbgrader configuration names."""
        if self._root is None:
            cwd = os.getcwd()
            try:
                os.chdir(self.home)
                from nbgrader.exchange import ExchangeFactory

                config = self._manager.load_config()      # what the panel's manager lists with
                self._root = str(ExchangeFactory(config=config).List(config=config).root)
            finally:
                os.chdir(cwd)
        return self._root

    def fetch(self, exercise: Exercise) -> None:
        self._call("fetch_assignment", exercise.course_id, exercise.assignment_id, failure="fetch_failed")

    def submit(self, exercise: Exercise) -> None:
        self._call("submit_assignment", exercise.course_id, exercise.assignment_id, failure="submit_failed")

    def fetch_feedback(self, exercise: Exercise) -> None:
        self._call("fetch_feedback", exercise.course_id, exercise.assignment_id, failure="feedback_failed")


def _order(assignment: str) -> tuple[int, str]:
    from toolkit.cases import ASSIGNMENTS

    return (ASSIGNMENTS.index(assignment), "") if assignment in ASSIGNMENTS else (len(ASSIGNMENTS), assignment)


def facts(exercise: Exercise, total: int, answers: dict) -> Facts:
    """What :func:`toolkit.training.app.status.standing` needs, from the listing and answers.json."""
    latest = exercise.latest
    saved = [parse_timestamp_iso(e.get("saved_at")) for e in answers.values() if isinstance(e, dict)]
    saved = [s for s in saved if s is not None]
    score = None
    feedback = bool(latest and (latest.get("has_local_feedback") or latest.get("has_exchange_feedback")))
    page = exercise.feedback_file()
    if page is not None:
        with contextlib.suppress(OSError):
            got = feedback_score(page.read_text(encoding="utf-8", errors="replace"))
            score = got[0] if got else None
    return Facts(fetched=exercise.folder is not None and exercise.folder.is_dir(),
                 answered=len(answers), total=total, submitted=latest is not None,
                 submitted_at=parse_timestamp(latest.get("timestamp", "")) if latest else None,
                 last_saved=max(saved) if saved else None, feedback=feedback, score=score)


def parse_timestamp_iso(text) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)

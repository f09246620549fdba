"""The hub folder: ``hub.yaml``, one nbgrader course per course, the exchange, homes and state.

``open_hub(root)`` creates what is missing (first start) and returns a :class:`Hub` describing
it.  Nothing here starts processes or creates system accounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from toolkit.errors import InputError, UserError
from toolkit.hub.messages import TEXT

COURSE_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
SETTINGS_NAME = "hub.yaml"
COURSE_CONFIG = '''"""nbgrader configuration of the hub course {id} ({title}); written by `jiuzhu hub`.

The settings are the project's (toolkit.training.course.course_config); the lines after the call are
this course's own.  Edit freely: the hub never rewrites an existing file.
"""

from pathlib import Path

from toolkit.training.course.course_config import configure
from toolkit.training.grading.sandbox import sandbox_nbgrader_autograde

c = get_config()  # noqa: F821 - provided by traitlets

configure(c, Path(__file__).resolve().parent, course_id={id!r}, exchange={exchange!r},
          db_url={db_url!r} or None)
c.Exchange.path_includes_course = True
# trainees' code runs in the autograde sandbox also from formgrader's Autograde button
sandbox_nbgrader_autograde(c, Path(__file__).resolve().parent)
'''


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    audience: str
    trainers: tuple[str, ...]
    folder: Path
    gradebook: str = ""
    trainee_lab: bool = False          # hub.yaml ``trainee_lab``: trainees may also open JupyterLab

    @property
    def db_url(self) -> str:
        return self.gradebook or f"sqlite:///{self.folder / 'gradebook.db'}"

    @property
    def grader(self) -> str:
        """The hub user the course's formgrader service runs as (nbgrader's demo convention)."""
        return f"grader-{self.id}"


@dataclass(frozen=True)
class Hub:
    root: Path
    bind: str
    courses: tuple[Course, ...] = field(default_factory=tuple)
    runtime: Path = Path("/opt/jiuzhu-hub")
    idle_timeout: int = 3600           # seconds; 0: idle servers are never stopped
    memory: int = 1024 ** 3            # bytes per trainee; 0: no limit
    cpus: float = 1.0                  # cores per trainee; 0: no limit

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def homes(self) -> Path:
        return self.root / "homes"

    @property
    def state(self) -> Path:
        return self.root / "state"

    def course(self, course_id: str) -> Course:
        for course in self.courses:
            if course.id == course_id:
                return course
        raise InputError("课程编号", course_id, TEXT["unknown_course"],
                         TEXT["unknown_course_fix"].format(ids="、".join(c.id for c in self.courses)))

    def trainers(self) -> set[str]:
        return {t for c in self.courses for t in c.trainers}

    def lab_for(self, courses_of_trainee: list[Course]) -> bool:
        """A trainee may open JupyterLab when one of their courses allows it (``trainee_lab: true``)."""
        return any(c.trainee_lab for c in courses_of_trainee)


def default_settings_text() -> str:
    return resources.files("toolkit.hub").joinpath("settings.yaml").read_text(encoding="utf-8")


def read_settings(path: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise UserError(TEXT["bad_yaml"].format(path=path, reason=type(err).__name__)) from None
    if not isinstance(data, dict) or not data.get("courses"):
        raise UserError(TEXT["no_courses"].format(path=path))
    return data


def _courses(root: Path, data: dict, path: Path) -> tuple[Course, ...]:
    courses, seen = [], set()
    for entry in data["courses"]:
        cid = str((entry or {}).get("id", "")).strip()
        if not COURSE_ID.match(cid):
            raise InputError(f"{path} 课程编号", cid, TEXT["bad_course_id"], TEXT["course_id_fix"].format(path=path))
        if cid in seen:
            raise InputError(f"{path} 课程编号", cid, TEXT["duplicate"].format(path=path))
        seen.add(cid)
        courses.append(Course(cid, str(entry.get("title") or cid), str(entry.get("audience") or ""),
                              tuple(str(t) for t in entry.get("trainers") or ()),
                              root / "courses" / cid, str(entry.get("gradebook") or ""),
                              _trainee_lab(entry, cid, path)))
    return tuple(courses)


def _trainee_lab(entry: dict, cid: str, path: Path) -> bool:
    """hub.yaml ``trainee_lab`` of a course: true or false (absent: false, the cadres' app only)."""
    value = entry.get("trainee_lab", False)
    if not isinstance(value, bool):
        raise InputError(f"{path} 课程 {cid} 的 trainee_lab", str(value), TEXT["bad_trainee_lab"])
    return value


def _operations(data: dict, path: Path) -> tuple[int, int, float]:
    """idle_timeout (seconds), memory (bytes) and cpus of hub.yaml; the defaults when absent."""
    from toolkit.hub.limits import parse_memory

    limits = data.get("limits") or {}
    values = {"idle_timeout": data.get("idle_timeout", 3600), "limits.memory": limits.get("memory", "1G"),
              "limits.cpus": limits.get("cpus", 1)}
    try:
        idle = int(values["idle_timeout"])
        memory = parse_memory(values["limits.memory"])
        cpus = float(values["limits.cpus"])
        if idle < 0 or cpus < 0:
            raise ValueError
    except (TypeError, ValueError):
        shown = "；".join(f"{k}: {v}" for k, v in values.items())
        raise InputError(f"{path} 运行设置", shown, TEXT["bad_operations"]) from None
    return idle, memory, cpus


def open_hub(root: Path | str = "hub", bind: str | None = None) -> Hub:
    """The hub folder at ``root``, created (with the embedded defaults) when missing."""
    root = Path(root).resolve()
    missing = [p for p in (root, *root.parents) if not p.exists()]
    root.mkdir(parents=True, exist_ok=True)
    for folder in missing:                      # made now: trainees pass through to the exchange and homes
        folder.chmod(0o755)
    root.chmod(0o755)
    settings = root / SETTINGS_NAME
    if not settings.exists():
        settings.write_text(default_settings_text(), encoding="utf-8")
    data = read_settings(settings)
    hub = Hub(root, bind or str(data.get("bind") or "127.0.0.1:8000"), _courses(root, data, settings),
              Path(str(data.get("runtime") or "/opt/jiuzhu-hub")), *_operations(data, settings))
    _prepare(hub)
    return hub


def _prepare(hub: Hub) -> None:
    from toolkit.training.course.course_config import ensure_exchange

    ensure_exchange(hub.exchange).chmod(0o1777)
    for folder, mode in ((hub.homes, 0o755), (hub.state, 0o700), (hub.root / "courses", 0o700)):
        folder.mkdir(exist_ok=True)
        folder.chmod(mode)                      # course folders hold answers: trainers' side only
    for course in hub.courses:
        course.folder.mkdir(parents=True, exist_ok=True)
        config = course.folder / "nbgrader_config.py"
        if not config.exists():
            config.write_text(COURSE_CONFIG.format(id=course.id, title=course.title, exchange=str(hub.exchange),
                                                   db_url=course.gradebook), encoding="utf-8")


def jupyter_dir(name: str) -> Path:
    """A folder of Jupyter settings shipped with the package (``toolkit/hub/jupyter/<name>``)."""
    return Path(str(resources.files("toolkit.hub").joinpath("jupyter", name)))

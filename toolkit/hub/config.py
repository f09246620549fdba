"""The JupyterHub configuration of a `jiuzhu hub`, built from the hub folder (embedded defaults).

``jupyterhub -f toolkit/hub/jupyterhub_config.py`` calls :func:`apply` with the hub folder and
the runtime file that :mod:`toolkit.hub.server` writes (ports chosen at start).  The shape
follows nbgrader's ``demos/demo_multiple_classes``: per course a group ``nbgrader-<id>`` (its
trainees: the Assignments panel lists the course), a group ``formgrade-<id>`` (its trainers and
the ``grader-<id>`` account), a formgrader service named ``<id>``, and scoped roles instead of
an admin token.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from toolkit.hub import members
from toolkit.hub.members import trainees
from toolkit.hub.cases import deliver_cases, seed_home_file
from toolkit.hub.layout import Hub, jupyter_dir, open_hub

PROXY = "configurable-http-proxy"
PROXY_TIMEOUT_MS = 120_000       # how long the proxy waits for a server's answer (both proxies: milliseconds)


def venv_bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def runtime_bin(hub: Hub, name: str) -> str:
    """A program of the environment trainees' servers run in (readable by every account)."""
    return str(hub.runtime / "bin" / name)


def runtime_jupyter_dir(hub: Hub) -> str:
    """Where the runtime's copy of the toolkit keeps the Jupyter settings (``toolkit/hub/jupyter``)."""
    import subprocess

    from toolkit.errors import UserError
    from toolkit.hub.messages import TEXT

    result = subprocess.run([str(hub.runtime / "bin" / "python"), "-c",
                             "import toolkit.hub, pathlib; print(pathlib.Path(toolkit.hub.__file__).parent / 'jupyter')"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise UserError(TEXT["no_runtime"].format(path=hub.runtime, reason="其中没有安装本工具箱"))
    return result.stdout.strip()


def check_runtime(hub: Hub) -> None:
    """Refuse to start when trainees' accounts could not run the single-user server."""
    import stat

    from toolkit.errors import UserError
    from toolkit.hub.messages import TEXT

    program = Path(runtime_bin(hub, "jupyterhub-singleuser"))
    python = (hub.runtime / "bin" / "python").resolve()
    for path in (program, python):
        if not path.exists():
            raise UserError(TEXT["no_runtime"].format(path=hub.runtime, reason=f"缺少 {path}"))
        for part in (path, *path.parents):
            mode = part.stat().st_mode
            if not mode & stat.S_IXOTH:
                raise UserError(TEXT["no_runtime"].format(path=hub.runtime, reason=f"{part} 不允许其他账号进入"))


def groups(hub: Hub) -> dict[str, dict]:
    """Hub groups of the system accounts that exist (``jiuzhu hub accounts`` makes them)."""
    existing = members.existing_accounts
    found = {}
    for course in hub.courses:
        found[f"nbgrader-{course.id}"] = {"users": existing(trainees(course))}
        found[f"formgrade-{course.id}"] = {"users": existing({*course.trainers, course.grader})}
    found["trainers"] = {"users": existing(hub.trainers())}
    return found


def roles(hub: Hub) -> list[dict]:
    found = [{"name": "server", "scopes": ["inherit"]}]   # the Assignments panel reads the user's groups
    for course in hub.courses:
        found.append({"name": f"formgrade-{course.id}", "groups": [f"formgrade-{course.id}"],
                      "scopes": [f"access:services!service={course.id}"]})
        found.append({"name": f"nbgrader-{course.id}", "groups": [f"nbgrader-{course.id}"],
                      "scopes": ["list:services", f"read:services!service={course.id}"]})
    found.append(members.role(hub))       # adds planned trainees to a course group while the hub runs
    if hub.idle_timeout:                  # what jupyterhub-idle-culler needs (its README), no more
        found.append({"name": CULLER, "services": [CULLER],
                      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})
    return found


CULLER = "jiuzhu-idle-culler"


def culler(hub: Hub) -> list[dict]:
    """jupyterhub-idle-culler as a hub-managed service: servers idle for ``idle_timeout`` stop."""
    if not hub.idle_timeout:
        return []
    every = max(5, min(300, hub.idle_timeout // 4))
    return [{"name": CULLER, "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                                         f"--timeout={hub.idle_timeout}", f"--cull-every={every}"]}]


def web_texts(hub: Hub) -> dict:
    """What the Chinese templates (toolkit/hub/templates) show besides their own words."""
    from toolkit.hub.messages import WEB

    return {**WEB, "service_titles": {c.id: WEB["service_title"].format(title=c.title) for c in hub.courses}}


def limited_spawner(hub: Hub):
    """The local-process spawner, with each trainee's server moved into their control group."""
    from jupyterhub.spawner import LocalProcessSpawner

    from toolkit.hub import limits

    trainers = hub.trainers()

    class LimitedSpawner(LocalProcessSpawner):
        async def start(self):
            started = await super().start()
            if self.user.name not in trainers:
                kind = limits.place(self.user.name, self.pid, hub.memory, hub.cpus)
                self.log.info("jiuzhu limits for %s (pid %s): %s", self.user.name, self.pid, kind)
            return started

        async def stop(self, now=False):
            await super().stop(now=now)
            limits.release(self.user.name)

    return LimitedSpawner


def services(hub: Hub, ports: dict[str, int], settings) -> list[dict]:
    """One formgrader per course: a single-user server in the course folder, run as the course's
    unprivileged ``grader-<id>`` account with terminals off (:mod:`toolkit.hub.grader`)."""
    from toolkit.hub.grader import give_course_to_grader, service_environment

    found = []
    for course in hub.courses:
        state = give_course_to_grader(hub, course)
        found.append({
            "name": course.id,
            "url": f"http://127.0.0.1:{ports[course.id]}",
            "user": course.grader,
            "command": [runtime_bin(hub, "jupyterhub-singleuser"),
                        f"--ServerApp.root_dir={course.folder}", "--ServerApp.terminals_enabled=False",
                        f"--LabApp.app_settings_dir={settings('lab-trainer')}"],
            "cwd": str(course.folder),
            "oauth_no_confirm": True,
            "timeout": 120,         # a formgrader on a busy 2-core server takes more than the 30 s default
            "environment": {"JUPYTERHUB_USER": course.grader, "JUPYTERHUB_DEFAULT_URL": "/formgrader",
                            "JIUZHU_EXCHANGE": str(hub.exchange), **service_environment(state)},
            # no JupyterHub auth plugin here (the course folder's nbgrader_config.py names the course):
            # the plugin would ask the hub for grader-<id>'s groups, which a service token may not read
        })
    return found + [members.service(hub)] + culler(hub)


def pre_spawn(hub: Hub, settings):
    """Trainers get the full JupyterLab; trainees land on the exercise app (我的练习), with the cadre's
    JupyterLab (no trainer tools, no terminal) only when one of their courses has ``trainee_lab: true``."""
    import json

    from toolkit.training.app import COURSE_TITLES_ENV, app_url, server_args
    from toolkit.training.trainee.casedata import COURSE_FOLDERS_ENV

    trainers = hub.trainers()

    def hook(spawner):
        user = spawner.user.name
        trainer = user in trainers
        common = settings("common")
        courses = [] if trainer else [c for c in hub.courses if user in trainees(c)]
        lab = trainer or hub.lab_for(courses)
        config_path = [settings("trainee"), common] if lab else [settings("trainee-app"), settings("trainee"), common]
        spawner.environment = {   # a new dict: the configured one is shared by every spawner
            **spawner.environment,
            "JUPYTER_CONFIG_PATH": common if trainer else ":".join(config_path),
            "JIUZHU_EXCHANGE": str(hub.exchange),
            # nbgrader fetches into ~/<course id>/<exercise>/ (path_includes_course): a notebook's
            # kernel reads the case of the course its folder names, never another course's
            COURSE_FOLDERS_ENV: "1",
            "LANG": "zh_CN.UTF-8" if _has_zh_locale() else "C.UTF-8",
            "TZ": "Asia/Shanghai",
        }
        spawner.args = [f"--LabApp.app_settings_dir={settings('lab-trainer' if trainer else 'lab-trainee')}"]
        if trainer:
            return
        spawner.environment[COURSE_TITLES_ENV] = json.dumps({c.id: c.title for c in courses}, ensure_ascii=False)
        spawner.default_url = app_url()
        spawner.args += server_args()
        if not lab:           # a trainee typing /lab meets a Chinese page, not JupyterLab
            spawner.args.append(f"--ServerApp.extra_template_paths={settings('trainee-app')}/templates")
        # the home's files in a thread: JupyterHub awaits the hook, and its event loop (every other
        # login, page and API call) never waits on file work in a home the trainee controls
        return asyncio.to_thread(prepare_home, hub, user, lab)

    return hook


def prepare_home(hub: Hub, user: str, lab: bool) -> None:
    """As root, before a trainee's server starts: the givens of their own cases, the exercise app and
    (``lab``) their JupyterLab workspace."""
    if lab:
        seed_workspace(user)
    deliver_cases(hub, user)
    install_app(user)


def install_app(user: str) -> None:
    """The exercise app into ``user``'s home, owned by root (mode 0644: the trainee reads, never edits
    it); :func:`toolkit.training.app.install_app` replaces a link planted there, never follows it."""
    import pwd

    from toolkit.training.app import install_app as install

    install(Path(pwd.getpwnam(user).pw_dir))


WORKSPACE = "default-37a8.jupyterlab-workspace"   # jupyterlab_server's file name of workspace "default"


def seed_workspace(user: str) -> bool:
    """A trainee's first JupyterLab opens on the Assignments panel (nbgrader's restorable widget).

    Written as root into the trainee's home: through file descriptors that never follow a link the
    trainee planted (``.jupyter`` pointing at /etc must not make root create or chown anything there)."""
    import json

    layout = json.loads((jupyter_dir("workspace") / "trainee.json").read_text(encoding="utf-8"))
    return seed_home_file(user, (".jupyter", "lab", "workspaces"), WORKSPACE, layout)


def _has_zh_locale() -> bool:
    import locale

    try:
        locale.setlocale(locale.LC_CTYPE, "zh_CN.UTF-8")
        return True
    except locale.Error:
        return False
    finally:
        locale.setlocale(locale.LC_CTYPE, "")


def apply(c, root: Path | str, runtime: dict) -> None:
    """Fill the traitlets config ``c`` of JupyterHub for the hub folder ``root``."""
    hub = open_hub(root, runtime.get("bind"))
    state = hub.state
    c.JupyterHub.bind_url = runtime["bind_url"]
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = runtime["hub_port"]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{runtime['proxy_api_port']}"
    # a page that takes its server longer than the proxy's default 20 s (the cadres' app starting its
    # kernel while a class logs in) must arrive, not end as a 503
    c.ConfigurableHTTPProxy.command = [runtime.get("proxy") or venv_bin(PROXY), f"--proxy-timeout={PROXY_TIMEOUT_MS}"]
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
    c.JupyterHub.pid_file = str(state / "hub.pid")
    c.JupyterHub.template_paths = [str(Path(__file__).with_name("templates"))]     # Chinese pages
    c.JupyterHub.template_vars = {"announcement_login": "救助质量培训平台：请用培训老师发给你的账号和密码登录。",
                                  **web_texts(hub)}

    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False
    everyone = {u for g in groups(hub).values() for u in g["users"]}
    c.Authenticator.allowed_users = everyone
    c.Authenticator.allow_existing_users = True    # trainees added on the running hub (REST) may log in
    c.JupyterHub.load_groups = groups(hub)
    c.JupyterHub.load_roles = roles(hub)
    # the settings folders as installed in the runtime (readable by every account), not this process's
    shipped = Path(runtime.get("jupyter_dir") or jupyter_dir("common").parent)

    def settings(name: str) -> str:
        return str(shipped / name)

    c.JupyterHub.services = services(hub, runtime["service_ports"], settings)

    c.JupyterHub.spawner_class = limited_spawner(hub)
    c.Spawner.cmd = [runtime_bin(hub, "jupyterhub-singleuser")]
    c.Spawner.default_url = "/lab"
    c.Spawner.pre_spawn_hook = pre_spawn(hub, settings)
    c.Spawner.http_timeout = 120   # a busy 2-core server: a single-user server can take a minute
    c.Spawner.start_timeout = 180
    c.JupyterHub.cleanup_servers = True

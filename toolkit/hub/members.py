"""Course members on a running hub: trainees added to ``nbgrader-<course>`` through JupyterHub's REST API.

A course's group is loaded at ``jiuzhu hub start`` from its roster (:func:`toolkit.hub.config.groups`).
Trainees added to the roster while the hub runs (``jiuzhu course plan --assign --hub``) join the
group at once through the REST API: the hub registers a token-only service :data:`SERVICE` whose
role may create hub users and change the membership of the courses' groups, nothing else.  Its
token lives in the hub's state folder (mode 0600, the administrator's), made on first use.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request

from toolkit.hub.layout import Course, Hub

SERVICE = "jiuzhu-members"
TOKEN_FILE = "members-token"
RUNTIME_FILE = "runtime.json"
TIMEOUT = 10.0


def service_token(hub: Hub) -> str:
    """The service's API token (made once, readable by the administrator only)."""
    path = hub.state / TOKEN_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


def trainees(course: Course) -> list[str]:
    """The course's trainees (its roster): the members of ``nbgrader-<course>`` at hub start."""
    from toolkit.training.course.roster import load_roster

    try:
        return [t.id for t in load_roster(course.db_url).trainees]
    except Exception:          # no gradebook yet: nobody to let in for this course
        return []


def service(hub: Hub) -> dict:
    return {"name": SERVICE, "api_token": service_token(hub)}


def role(hub: Hub) -> dict:
    return {"name": SERVICE, "services": [SERVICE],
            "scopes": ["admin:users", *(f"groups!group=nbgrader-{c.id}" for c in hub.courses)]}


def api_url(hub: Hub) -> str | None:
    """``http://host:port/hub/api`` of this hub when it is running, else None."""
    runtime = hub.state / RUNTIME_FILE
    pid_file = hub.state / "hub.pid"
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        bind_url = json.loads(runtime.read_text(encoding="utf-8"))["bind_url"]
    except (OSError, ValueError, KeyError):
        return None
    return bind_url.replace("://0.0.0.0:", "://127.0.0.1:").rstrip("/") + "/hub/api"


def _call(base: str, token: str, method: str, path: str, body: dict | None = None) -> int:
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": f"token {token}"},
                                     data=None if body is None else json.dumps(body).encode("utf-8"))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def existing_accounts(users) -> list[str]:
    """Those of ``users`` that are system accounts on this machine, sorted."""
    import pwd

    found = []
    for user in sorted(set(users)):
        try:
            pwd.getpwnam(user)
            found.append(user)
        except KeyError:
            pass
    return found


def add_to_course_group(hub: Hub, course: Course, users: list[str]) -> list[str] | None:
    """Add those of ``users`` who have a system account to ``nbgrader-<course>`` on the running hub
    (creating them as hub users first: they may log in at once) and return them; None when the hub
    is not running.  Trainees without a system account yet join when ``jiuzhu hub accounts`` makes
    it (PAM logins need the system account)."""
    base = api_url(hub)
    if base is None:
        return None
    ready = existing_accounts(users)
    if not ready:
        return []
    token = service_token(hub)
    try:
        created = _call(base, token, "POST", "/users", {"usernames": ready})
        if created not in (201, 409):            # 409: every one of them is a hub user already
            raise OSError(f"POST /users: {created}")
        added = _call(base, token, "POST", f"/groups/nbgrader-{course.id}/users", {"users": ready})
        if added != 200:
            raise OSError(f"POST /groups: {added}")
    except (urllib.error.URLError, OSError) as err:
        from toolkit.errors import UserError
        from toolkit.hub.messages import TEXT

        raise UserError(TEXT["members_failed"].format(reason=err, log=hub.state / "jupyterhub.log")) from None
    return ready


def forget_users(hub: Hub, users: list[str]) -> bool:
    """Delete ``users`` from the running hub (their servers stop, their cookies and tokens stop
    working, the authenticator drops them from its allowed users); False when the hub is not
    running.  A user the hub never knew (404) is fine."""
    base = api_url(hub)
    if base is None:
        return False
    token = service_token(hub)
    try:
        for user in users:
            answer = _call(base, token, "DELETE", f"/users/{user}")
            if answer not in (204, 404):
                raise OSError(f"DELETE /users/{user}: {answer}")
    except (urllib.error.URLError, OSError) as err:
        from toolkit.errors import UserError
        from toolkit.hub.messages import TEXT

        raise UserError(TEXT["forget_failed"].format(reason=err, log=hub.state / "jupyterhub.log")) from None
    return True


def group_members(hub: Hub, course: Course) -> list[str]:
    """The members of ``nbgrader-<course>`` as the running hub reports them (for checks)."""
    request = urllib.request.Request(f"{api_url(hub)}/groups/nbgrader-{course.id}",
                                     headers={"Authorization": f"token {service_token(hub)}"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return sorted(json.loads(response.read())["users"])


__all__ = ["SERVICE", "add_to_course_group", "api_url", "existing_accounts", "group_members", "role", "service",
           "service_token", "trainees", "forget_users"]

"""Who is trained by whom: the two training audiences of the 宣传与培训 items, and the 岗位 of each.

The town checklist (青民〔2018〕44号“宣传与培训”) scores two trainings apart: the district's training
of the 街镇 staff who handle cases (TS-24) and the 街镇's training of the 村（居） cadres (TS-25).
A trainee's 岗位 in the roster says which audience they belong to.  This is the one catalogue of
岗位 values: the roster validates against it, the 培训台账 carries each trainee's audience, and
the inspection's pre-fill counts the two audiences apart.  A bureau whose titles differ adds them
here (each title to exactly one audience).
"""

from __future__ import annotations

TOWN_STAFF = "街镇经办人员"
VILLAGE_CADRE = "村居干部"
AUDIENCES = (TOWN_STAFF, VILLAGE_CADRE)

ROLES: dict[str, str] = {
    "街镇经办人员": TOWN_STAFF,
    "街镇救助经办人": TOWN_STAFF,
    "街镇民政干部": TOWN_STAFF,
    "村居干部": VILLAGE_CADRE,
    "社会救助专干": VILLAGE_CADRE,
    "村居委会主任": VILLAGE_CADRE,
    "村居委会委员": VILLAGE_CADRE,
    "民政协理员": VILLAGE_CADRE,
}
"""岗位 (as written in the roster) → audience."""

DEFAULT_AUDIENCE = VILLAGE_CADRE
"""A trainee without a 岗位 (the column is optional) counts as a village cadre, the course's main audience."""


def audience_of(role: str) -> str | None:
    """The audience of a 岗位; ``DEFAULT_AUDIENCE`` for an empty one, None for a title not in :data:`ROLES`."""
    role = (role or "").strip()
    if not role:
        return DEFAULT_AUDIENCE
    return ROLES.get(role)


def roles_text() -> str:
    """The accepted 岗位 values by audience, for messages: “街镇经办人员：…；村居干部：…”."""
    return "；".join(f"{audience}：{'、'.join(r for r, a in ROLES.items() if a == audience)}" for audience in AUDIENCES)

"""The three kinds of round and what follows from them: teams, scope, report names and titles.

- 各区互检 (city): each district's team inspects another district (``plan.assign_teams``).
- 区级督导 (district): the district's own team inspects every 街镇 of that district.
- 自查 (街镇): every 街镇 checks itself; the team is the 街镇.
The default kind is 各区互检 for a store with several districts and 区级督导 for one district.
"""

from __future__ import annotations

from toolkit.errors import UserError

MUTUAL, DISTRICT, SELF = "各区互检", "区级督导", "自查"
KINDS = (SELF, DISTRICT, MUTUAL)
REPORT_WORD = {MUTUAL: "互检报告", DISTRICT: "区级督导检查报告", SELF: "街镇自查报告"}
SUMMARY_WORD = {MUTUAL: "各区互检", DISTRICT: "区级督导", SELF: "街镇自查"}
CITY_SUMMARY, DISTRICT_SUMMARY = "全市汇总", "全区汇总"
TEXT = {
    "unknown": "检查类型“{kind}”无效。请选择：{kinds}",
    "pick_district": "本数据库有 {n} 个区（{names}），{kind}须用 --district 指定一个区",
    "no_district": "区“{district}”不在数据库中。可选：{names}",
    "mutual_district": "各区互检覆盖全部区，不能用 --district 只选一个区；区内检查请用 --kind 区级督导 或 自查",
}


class RoundError(UserError):
    """A round, district or 街镇 named by the user does not exist or is not ready."""


def default_kind(districts: list[str]) -> str:
    return DISTRICT if len(districts) == 1 else MUTUAL


def resolve_scope(kind: str | None, districts: list[str], district: str | None) -> tuple[str, list[str]]:
    """(kind, the districts the round covers); raises RoundError with a Chinese message."""
    kind = kind or default_kind(districts)
    names = "、".join(districts)
    if kind not in KINDS:
        raise RoundError(TEXT["unknown"].format(kind=kind, kinds="、".join(KINDS)))
    if district is not None and district not in districts:
        raise RoundError(TEXT["no_district"].format(district=district, names=names))
    if kind == MUTUAL:
        if district is not None:
            raise RoundError(TEXT["mutual_district"])
        return kind, list(districts)
    if district is None:
        if kind == DISTRICT and len(districts) > 1:
            raise RoundError(TEXT["pick_district"].format(n=len(districts), names=names, kind=kind))
        return kind, list(districts)
    return kind, [district]


def team_for(kind: str, teams: dict[str, str], district: str, unit: str) -> str:
    """The team named on a form: the 街镇 for 自查, else the planned team district."""
    return unit if kind == SELF else teams.get(district, "")


SUBJECT = "社会救助管理服务质量"


TEAM_LABEL = {MUTUAL: "检查组（派出区）", DISTRICT: "检查组（本区）", SELF: "检查组（本街镇自查）"}


def team_label(kind: str) -> str:
    """The form's label of the team row."""
    return TEAM_LABEL.get(kind, TEAM_LABEL[MUTUAL])


def report_title(kind: str, district: str) -> str:
    """东湖区社会救助管理服务质量互检报告 / …区级督导检查报告 / …街镇自查报告."""
    return f"{district}{SUBJECT}{REPORT_WORD.get(kind, REPORT_WORD[MUTUAL])}"


def summary_name(districts: list[str]) -> str:
    return DISTRICT_SUMMARY if len(districts) == 1 else CITY_SUMMARY


def summary_title(kind: str, districts: list[str]) -> str:
    """青浦区社会救助管理服务质量区级督导全区汇总报告 (one district) or …各区互检全市汇总报告."""
    word = SUMMARY_WORD.get(kind, kind)
    return f"{districts[0]}{SUBJECT}{word}全区汇总报告" if len(districts) == 1 else f"{SUBJECT}{word}全市汇总报告"


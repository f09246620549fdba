"""The bureau's own offices: the 市民政局 and each 区民政局, named once and used in every 落款.

Kept in the store's ``settings`` table (``office:`` for the city, ``office:<区>`` for a district),
set by ``jiuzhu org import --city-office 名称 --district-office 区=名称``.  Until named, a district's
office is "<区>民政局" and the city's "市民政局".

Who signs what (:func:`signer`):
- 自查: each 街镇's own self-check report is signed by the 街镇 and its self-check team; the
  district roll-up by the 区民政局 (the ten other teams are listed in the report, none signs for all);
- 区级督导: the district's inspection team (``<区>督导检查组`` and its members);
- 各区互检: the inspecting district's team;
- summaries and the 整改情况通报: the 区民政局 in a one-district round, else the 市民政局.

What an office prints on the documents it sends (:func:`dispatch`, GB/T 9704-2012), optional and
omitted until set: the 主送机关 (``recipients:``), the 抄送机关 (``cc:``) and the 印发机关
(``printer:``) of the 版记, per office (the same key suffixes: '' for the city, ``<区>``), set by
``jiuzhu org import --city-recipients/--district-recipients 区=…`` and the ``-cc``/``-printer`` pairs;
an empty value clears one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from toolkit.errors import UserError
from toolkit.inspections.store import store as st
from toolkit.inspections.register.names import name as normal_name

KEY = "office:"
DISPATCH = ("recipients", "cc", "printer")      # keys '<field>:' and '<field>:<区>' of the settings table
CITY_DEFAULT = "市民政局"
TEXT = {
    "bad_pair": "--district-office“{value}”格式不对。请写成 区=区民政局名称，例如 青浦区=上海市青浦区民政局",
    "unknown": "{option}：区“{district}”不在区街镇名册中。可选：{known}",
    "empty": "{option} 不能为空。请写出民政部门的全称，例如 上海市民政局",
    "bad_dispatch": "{option}“{value}”格式不对。请写成 区=文字，例如 青浦区=各街道办事处、镇人民政府；写成 区= 则清除该区的设置",
}


def parse_pair(text: str) -> tuple[str, str]:
    """'青浦区=上海市青浦区民政局' → ('青浦区', '上海市青浦区民政局')."""
    district, sep, office = str(text).partition("=")
    district, office = normal_name(district), normal_name(office)
    if not sep or not district or not office:
        raise UserError(TEXT["bad_pair"].format(value=text))
    return district, office


def stored_districts(store) -> list[str]:
    """Districts of the store in their order (none when the store does not exist yet)."""
    try:
        engine = st.open_store(store, create=False)
    except st.StoreError:
        return []
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(st.districts.c.name).order_by(st.districts.c.position))]


def check_districts(pairs: dict[str, str], known: list[str], option: str = "--district-office") -> None:
    """Every district named by ``option`` is one of ``known`` (before anything is written)."""
    for district in pairs:
        if district not in known:
            raise UserError(TEXT["unknown"].format(option=option, district=district, known="、".join(known) or "无"))


def set_offices(store, city: str | None = None, districts: dict[str, str] | None = None) -> dict[str, str]:
    """Name the city office and/or district offices; returns what was set (key '' for the city)."""
    engine = st.open_store(store, create=False)
    wanted = {}
    if city is not None:
        check_name(city, "--city-office")
        wanted[""] = normal_name(city)
    check_districts(districts or {}, stored_districts(store))
    wanted.update(districts or {})
    with st.write_transaction(engine) as conn:
        for key, office in wanted.items():
            conn.execute(delete(st.settings).where(st.settings.c.key == KEY + key))
            conn.execute(insert(st.settings).values(key=KEY + key, value=office))
    return wanted


def _stored(store, key: str = KEY) -> dict[str, str]:
    engine = st.open_store(store, create=False)
    with engine.connect() as conn:
        rows = conn.execute(select(st.settings.c.key, st.settings.c.value).where(st.settings.c.key.like(key + "%")))
        return {k[len(key):]: v for k, v in rows}


@dataclass(frozen=True)
class Dispatch:
    """What an office prints on a document it sends: 主送机关 under the title, 抄送 and 印发机关 in
    the 版记 (each '' when not set: the element is left out)."""
    recipients: str = ""
    cc: str = ""
    printer: str = ""


def parse_dispatch_pair(text: str, option: str) -> tuple[str, str]:
    """'青浦区=各街道办事处、镇人民政府' → ('青浦区', '各街道办事处、镇人民政府'); '青浦区=' clears."""
    district, sep, value = str(text).partition("=")
    district = normal_name(district)
    if not sep or not district:
        raise UserError(TEXT["bad_dispatch"].format(option=option, value=text))
    return district, " ".join(value.split())


def set_dispatch(store, field: str, city: str | None = None, districts: dict[str, str] | None = None) -> dict[str, str]:
    """Set one :data:`DISPATCH` field of the city office and/or district offices (an empty value
    clears it); returns what was set (key '' for the city)."""
    engine = st.open_store(store, create=False)
    wanted = {"": " ".join(city.split())} if city is not None else {}
    check_districts(districts or {}, stored_districts(store), f"--district-{field}")
    wanted.update(districts or {})
    with st.write_transaction(engine) as conn:
        for key, value in wanted.items():
            conn.execute(delete(st.settings).where(st.settings.c.key == f"{field}:{key}"))
            if value:
                conn.execute(insert(st.settings).values(key=f"{field}:{key}", value=value))
    return wanted


def dispatch(store, district: str | None = None) -> Dispatch:
    """The 主送机关, 抄送 and 印发机关 of the office issuing for ``district`` (None: the city)."""
    return Dispatch(**{f: _stored(store, f + ":").get(district or "", "") for f in DISPATCH})


def dispatch_for(store, districts: list[str]) -> Dispatch:
    """Of the office issuing a summary covering ``districts`` (as :func:`office_for`)."""
    return dispatch(store, districts[0] if len(districts) == 1 else None)


def city_office(store) -> str:
    return _stored(store).get("", CITY_DEFAULT)


def district_office(store, district: str) -> str:
    return _stored(store).get(district, f"{district}民政局")


def office_for(store, districts: list[str]) -> str:
    """Who issues a summary or 通报 covering ``districts``: the 区民政局 of one district, else the city's."""
    return district_office(store, districts[0]) if len(districts) == 1 else city_office(store)


def round_kind(store, round_id: str) -> str:
    engine = st.open_store(store, create=False)
    with engine.connect() as conn:
        kind = conn.execute(select(st.rounds.c.kind).where(st.rounds.c.id == str(round_id))).scalar()
    return kind or "各区互检"


def district_signer(store, round_id: str, district: str) -> str:
    """Who signs a district's report instead of its inspection team: the 区民政局 for a 自查 roll-up
    (every 街镇 checked itself; no one team signs for all), else '' (the team signs)."""
    from toolkit.inspections.store.round_kinds import SELF

    return district_office(store, district) if round_kind(store, round_id) == SELF else ""


def summary_signer(store, round_id: str, districts: list[str]) -> str:
    """The 落款 of a summary: the office (自查 roll-up) or its inspection team, by scope."""
    from toolkit.inspections.store.round_kinds import SELF

    office = office_for(store, districts)
    return office if round_kind(store, round_id) == SELF else f"{office}督导检查组"


def check_name(value: str | None, option: str) -> None:
    if value is not None and not normal_name(value):
        raise UserError(TEXT["empty"].format(option=option))


def rectification_signer(store, district: str | None) -> str:
    """The 整改情况通报's 署名: the district's 区民政局 for one district, else the 市民政局."""
    return district_office(store, district) if district else city_office(store)

"""Forms that agree with the register: the sampled households' register values, and the differences.

``jiuzhu inspect forms`` pre-fills each sampled case file's 户主姓名, 身份证号 and 受理日期 from the
bureau's register (the form already carries personal data and is kept as such; reports mask it),
so inspectors check them against the paper file instead of typing them.  On import, what was
entered is compared with the register:

- a difference is an **import error** naming the row, the field and both values (masked), so a
  typing slip or another household's 身份证号 is never taken silently;
- when the paper file really differs from the register, the inspectors write
  :data:`MARKER` ("档案与名册不一致") in the row's 备注: the row is imported as entered, and the
  difference is kept with the case file's result (``case_checks.remarks``) as a 档案不一致 note.

Households without register values (a register imported without names, the sample city) are not
compared on the missing fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.privacy import mask_id_number, mask_name

MARKER = "档案与名册不一致"
FIELDS = (("head_name", "户主姓名"), ("id_number", "身份证号"), ("date:accept", "受理日期"))
TEXT = {
    "differs": "与低保档案名册不一致（名册为 {registered}，表格为 {entered}）。请对照纸质档案核对：录入有误的请改正；"
               "档案确与名册不符的，在该行“备注”中写明“" + MARKER + "”后重新导入（差异将记入检查结果）",
    "note": MARKER + "：{fields}",
}


@dataclass(frozen=True)
class Registered:
    head_name: str | None
    id_number: str | None
    accepted_on: date | None

    def value(self, key: str):
        return {"head_name": self.head_name, "id_number": self.id_number, "date:accept": self.accepted_on}[key]


def load_registered(conn, round_id: str) -> dict[str, Registered]:
    """The register values of the round's sampled households (case id → :class:`Registered`)."""
    from sqlalchemy import select

    from toolkit.inspections.store import store as st

    h, s = st.households, st.samples
    rows = conn.execute(select(h.c.case_id, h.c.head_name, h.c.id_number, h.c.accepted_on)
                        .join(s, s.c.case_id == h.c.case_id).where(s.c.round_id == str(round_id)))
    return {r.case_id: Registered(r.head_name or None, r.id_number or None, r.accepted_on) for r in rows}


def _entered(row, key: str):
    return row.dates.get("accept") if key == "date:accept" else getattr(row, key)


def _shown(key: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    if key == "head_name":
        return mask_name(str(value))
    if key == "id_number":
        return mask_id_number(str(value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def differences(row, registered: Registered | None) -> list[tuple[str, str, str, str]]:
    """(key, label, registered shown, entered shown) for each field that differs from the register."""
    if registered is None:
        return []
    out = []
    for key, label in FIELDS:
        want, got = registered.value(key), _entered(row, key)
        if want is None or got is None or got == "":
            continue
        if str(want).upper() != str(got).upper():
            out.append((key, label, _shown(key, want), _shown(key, got)))
    return out


def accepted_as_different(row) -> bool:
    """The inspectors wrote that the paper file differs from the register."""
    return MARKER in (row.remarks or "")


def note(diffs) -> str:
    """'档案与名册不一致：户主姓名（名册 张*，档案 李*）' for the case file's result."""
    return TEXT["note"].format(fields="；".join(f"{label}（名册 {want}，档案 {got}）" for _k, label, want, got in diffs))

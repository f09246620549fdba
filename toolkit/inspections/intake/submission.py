"""What one inspected 街镇 hands in: the unit-checklist results and the sampled case-file rows.

A :class:`UnitSubmission` is built by the Excel form reader or the data-entry widget, validated
against the round (:mod:`toolkit.inspections.intake.validation`) and written by
:func:`toolkit.inspections.intake.importer.write_submissions`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from toolkit.policy import Step

# Case-file steps in the form, in procedure order: (key, Chinese label, has staff column).
CASE_STEPS: tuple[tuple[str, str, bool], ...] = (
    ("accept", "受理", True),
    ("investigate", "入户调查", True),
    ("appraise", "民主评议", False),
    ("review", "审核", True),
    ("notice_start", "公示开始", False),
    ("notice_end", "公示结束", False),
    ("approve", "审批", True),
    ("refuse_notice", "书面告知", False),
)

DECISIONS = {"批准": "approved", "不批准": "refused"}


@dataclass
class CaseFileRow:
    case_id: str
    head_name: str
    id_number: str
    phone: str
    decision: str                                   # 批准 | 不批准
    near_relative: bool
    dates: dict[str, date] = field(default_factory=dict)       # step key -> date
    staff: dict[str, list[str]] = field(default_factory=dict)  # step key -> names
    participants: int | None = None                 # 民主评议 参加人数
    representatives: int | None = None              # 其中村（居）民代表人数
    documents: dict[str, str] = field(default_factory=dict)    # document key -> 是/否/不适用
    remarks: str = ""

    def to_json(self) -> dict:
        """Everything entered except the personal data (kept in their own columns)."""
        return {"decision": self.decision, "near_relative": self.near_relative,
                "dates": {k: v.isoformat() for k, v in self.dates.items()}, "staff": self.staff,
                "participants": self.participants, "representatives": self.representatives,
                "documents": self.documents, "remarks": self.remarks}

    @classmethod
    def from_json(cls, case_id: str, head_name: str, id_number: str, phone: str, data: dict) -> "CaseFileRow":
        return cls(case_id=case_id, head_name=head_name, id_number=id_number, phone=phone,
                   decision=data["decision"], near_relative=data["near_relative"],
                   dates={k: date.fromisoformat(v) for k, v in data["dates"].items()},
                   staff={k: list(v) for k, v in data["staff"].items()}, participants=data["participants"],
                   representatives=data["representatives"], documents=dict(data["documents"]),
                   remarks=data.get("remarks", ""))

    def field_value(self, key: str):
        """The value of one :func:`case_columns` field as entered (date, text, number or None)."""
        kind, _, name = key.partition(":")
        if kind == "date":
            return self.dates.get(name)
        if kind == "staff":
            return "、".join(self.staff.get(name, [])) or None
        if kind == "doc":
            return self.documents.get(name)
        if key == "near_relative":
            return "是" if self.near_relative else "否"
        return getattr(self, key)

    def procedure_steps(self) -> dict[str, Step]:
        """The steps ``toolkit.policy.check_steps`` takes (values already validated by the reader)."""
        steps = {}
        for key, _label, _has_staff in CASE_STEPS:
            if key in self.dates:
                appraise = key == "appraise"
                steps[key] = Step(key, self.dates[key], tuple(self.staff.get(key, ())),
                                  self.participants if appraise else None,
                                  self.representatives if appraise else None)
        return steps

    def procedure_flags(self) -> dict:
        """Decision and flags of the case, as keyword arguments of ``toolkit.policy.check_steps``."""
        return {"decision": DECISIONS[self.decision], "near_relative_of_staff": self.near_relative,
                "near_relative_filed": self.documents.get("near_relative_filing") == "是"}


@dataclass
class UnitSubmission:
    round_id: str
    district: str
    unit: str
    team_district: str
    inspectors: list[str]
    inspected_on: date
    checklist_versions: dict[str, str]              # checklist id -> version hash of the form
    items: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (cl, item) -> (value, remarks)
    case_files: list[CaseFileRow] = field(default_factory=list)
    source: str = "表单录入"
    where: dict = field(default_factory=dict)       # key -> Location of the value (form reader)

    def case_records(self) -> list[str]:
        """Each case-file row's :meth:`CaseFileRow.to_json` as JSON text: the stored record, also hashed."""
        return [json.dumps(row.to_json(), ensure_ascii=False, sort_keys=True, default=str) for row in self.case_files]

    def content_hash(self, case_records: list[str] | None = None) -> str:
        """SHA-256 of the normalised content: the same results give the same hash, whatever the file.

        The hashed text is ``json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)``
        (hashes in existing stores depend on it); it is assembled from ``case_records`` (from
        :meth:`case_records`, computed here when not given) so each row is encoded once per import.
        """
        records = self.case_records() if case_records is None else case_records
        rest = {"round_id": self.round_id, "district": self.district, "unit": self.unit,
                "team_district": self.team_district, "inspectors": self.inspectors,
                "inspected_on": self.inspected_on.isoformat(), "checklist_versions": self.checklist_versions,
                "items": sorted([list(k) + list(v) for k, v in self.items.items()])}
        # "case_files" sorts before every other key
        files = ", ".join(f"{json.dumps([r.case_id, r.head_name, r.id_number, r.phone], ensure_ascii=False, default=str)[:-1]}"
                          f", {record}]" for r, record in zip(self.case_files, records))
        text = f'{{"case_files": [{files}], {json.dumps(rest, ensure_ascii=False, sort_keys=True, default=str)[1:]}'
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case_columns(document_items) -> list[tuple[str, str]]:
    """(key, Chinese header) of the case-file sheet / widget fields, in order.

    ``document_items``: the case-file checklist items with a ``document`` check.
    """
    columns = [("case_id", "档案编号"), ("head_name", "户主姓名"), ("id_number", "身份证号"),
               ("phone", "联系电话"), ("decision", "审批结论"), ("near_relative", "近亲属申请")]
    for key, label, has_staff in CASE_STEPS:
        columns.append((f"date:{key}", f"{label}日期"))
        if has_staff:
            columns.append((f"staff:{key}", "调查人员" if key == "investigate" else f"{label}人"))
        if key == "appraise":
            columns += [("participants", "评议参加人数"), ("representatives", "其中代表人数")]
    columns += [(f"doc:{item.check['document']}", f"{item.id} {item.text}") for item in document_items]
    columns.append(("remarks", "备注"))
    return columns


REQUIRED_CASE_FIELDS = {"case_id": "档案编号", "head_name": "户主姓名", "id_number": "身份证号",
                        "decision": "审批结论", "near_relative": "近亲属申请", "date:accept": "受理日期",
                        "staff:accept": "受理人"}

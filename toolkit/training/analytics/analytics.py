"""Training analytics from the gradebook and the roster: who did what, and which rules go wrong.

Pure data: :func:`collect` reads the nbgrader gradebook (scores per submission and per test
cell) and the roster, and returns :class:`TrainingStats`, a set of pandas tables with Chinese
column names ready for the ledger workbook and the charts (:mod:`toolkit.training.analytics.report`).
Names are masked here already, so no table carries a full name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from toolkit.policy.audiences import audience_of
from toolkit.training import COURSE_ID
from toolkit.training.course.roster import Roster, Trainee

UNREGISTERED = "（未登记）"
REFERENCE_STUDENT = "__source__"       # question ids, points and rules are the same for every seed
_QUESTION = re.compile(r"(q\d+)")


@dataclass(frozen=True)
class QuestionInfo:
    assignment: str
    qid: str
    label: str        # e.g. "第1题"
    prompt: str
    rule: str
    basis: str


@dataclass
class TrainingStats:
    ledger: pd.DataFrame          # one row per trainee × assignment (submitted or not)
    towns: pd.DataFrame           # completion and pass rate per 街镇
    villages: pd.DataFrame        # … per 街镇 and 村居
    questions: pd.DataFrame       # share wrong per question
    rules: pd.DataFrame           # share wrong per rule
    not_submitted: pd.DataFrame
    not_passed: pd.DataFrame
    pass_rate: float
    sample: bool
    generated_at: datetime


def assignment_title(assignment: str) -> str:
    try:
        from toolkit.cases import case_module

        return getattr(case_module(assignment), "TITLE", assignment)
    except ImportError:
        return assignment


def question_infos(assignment: str) -> dict[str, QuestionInfo]:
    """Question id → label, prompt, rule and basis, from the assignment's case generator."""
    from toolkit.cases.base import case_for

    try:
        case = case_for(COURSE_ID, assignment, REFERENCE_STUDENT)
    except (ImportError, AttributeError):
        return {}
    infos = {}
    for number, q in enumerate(case.questions, start=1):
        infos[q.id] = QuestionInfo(assignment, q.id, f"第{number}题", _short(q.prompt), q.rule, q.basis)
    return infos


def rule_title(rule: str) -> str:
    from toolkit.cases.rules import rule_title as title

    return title(rule)


def _short(text: str, limit: int = 40) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"[*#>`|]", "", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _question_of(cell_name: str) -> str:
    m = _QUESTION.search(cell_name)
    return m.group(1) if m else cell_name


def read_gradebook(db_url: str, course_id: str = COURSE_ID) -> tuple[list[str], list[dict], list[dict]]:
    """Assignments in use (by due date, then name), one row per submission, one per graded cell."""
    from nbgrader.api import Gradebook

    submissions, cells = [], []
    with Gradebook(db_url, course_id) as gb:
        # an assignment counts once it is due or someone has submitted it; built but not yet
        # set assignments would otherwise show every trainee as "not submitted"
        assignments = sorted((a for a in gb.assignments if a.duedate or a.num_submissions),
                             key=lambda a: (a.duedate or datetime.max, a.name))
        names = [a.name for a in assignments]
        for assignment in assignments:
            for sub in gb.assignment_submissions(assignment.name):
                submissions.append({
                    "student": sub.student_id, "assignment": assignment.name,
                    "timestamp": sub.timestamp, "score": float(sub.score),
                    "max_score": float(sub.max_score), "late_seconds": float(sub.total_seconds_late or 0),
                    "needs_manual": bool(sub.needs_manual_grade),
                })
                for notebook in sub.notebooks:
                    for grade in notebook.grades:
                        pending = grade.manual_score is None and grade.auto_score is None
                        cells.append({
                            "student": sub.student_id, "assignment": assignment.name,
                            "qid": _question_of(grade.name), "score": None if pending else float(grade.score),
                            "max_score": float(grade.max_score),
                        })
    return names, submissions, cells


def collect(db_url: str, roster: Roster, *, pass_rate: float = 0.6,
            course_id: str = COURSE_ID) -> TrainingStats:
    assignments, submissions, cells = read_gradebook(db_url, course_id)
    return stats_from(assignments, submissions, cells, roster, pass_rate=pass_rate)


def stats_from(assignments: list[str], submissions: list[dict], cells: list[dict], roster: Roster, *,
               pass_rate: float = 0.6) -> TrainingStats:
    """The tables from plain rows shaped as :func:`read_gradebook` returns them."""
    people: dict[str, Trainee] = roster.by_id()
    for row in submissions:                          # graded but not on the roster
        people.setdefault(row["student"], Trainee(row["student"], "", UNREGISTERED, UNREGISTERED))
    by_key = {(r["student"], r["assignment"]): r for r in submissions}
    titles = {a: assignment_title(a) for a in assignments}

    ledger_rows = []
    for person in sorted(people.values(), key=lambda t: (t.town, t.village, t.id)):
        for assignment in assignments:
            sub = by_key.get((person.id, assignment))
            row = {"学员编号": person.id, "姓名": person.masked_name, "街镇": person.town, "村居": person.village,
                   "岗位": person.role, "培训对象": audience_of(person.role) or "", "练习": assignment, "培训内容": titles[assignment], "提交时间": None, "得分": None,
                   "满分": None, "得分率": None, "是否通过": "未提交", "备注": ""}
            if sub:
                rate = sub["score"] / sub["max_score"] if sub["max_score"] else 0.0
                notes = []
                if sub["late_seconds"] > 0:
                    notes.append("逾期提交")
                if sub["needs_manual"]:
                    notes.append("有题目待人工评分")
                row.update({"提交时间": _local(sub["timestamp"]), "得分": round(sub["score"], 2),
                            "满分": round(sub["max_score"], 2), "得分率": round(rate, 4),
                            "是否通过": "通过" if rate >= pass_rate else "未通过", "备注": "；".join(notes)})
            ledger_rows.append(row)
    ledger = pd.DataFrame(ledger_rows, columns=["学员编号", "姓名", "街镇", "村居", "岗位", "培训对象", "练习", "培训内容", "提交时间",
                                                "得分", "满分", "得分率", "是否通过", "备注"])

    towns = _rates(ledger, ["街镇"])
    villages = _rates(ledger, ["街镇", "村居"])
    questions, rules = _wrong_shares(assignments, titles, cells)
    not_submitted = ledger[ledger["是否通过"] == "未提交"][["学员编号", "姓名", "街镇", "村居", "培训内容"]]
    not_passed = ledger[ledger["是否通过"] == "未通过"][["学员编号", "姓名", "街镇", "村居", "培训内容", "得分", "满分"]]
    return TrainingStats(ledger, towns, villages, questions, rules, not_submitted.reset_index(drop=True),
                         not_passed.reset_index(drop=True), pass_rate, roster.sample, datetime.now())


def _local(timestamp) -> str | None:
    """nbgrader stores naive UTC; trainers read Beijing time."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    if timestamp is None:
        return None
    return timestamp.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def _rates(ledger: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    columns = keys + ["学员数", "应完成份数", "已提交份数", "完成率", "通过份数", "通过率"]
    if ledger.empty:
        return pd.DataFrame(columns=columns)
    grouped = ledger.groupby(keys, sort=True)
    table = pd.DataFrame({
        "学员数": grouped["学员编号"].nunique(),
        "应完成份数": grouped.size(),
        "已提交份数": grouped["是否通过"].apply(lambda s: int((s != "未提交").sum())),
        "通过份数": grouped["是否通过"].apply(lambda s: int((s == "通过").sum())),
    }).reset_index()
    table["完成率"] = (table["已提交份数"] / table["应完成份数"]).round(4)
    table["通过率"] = (table["通过份数"] / table["应完成份数"]).round(4)
    return table[columns]


def _wrong_shares(assignments: list[str], titles: dict[str, str], cells: list[dict]):
    """Per question and per rule: how many answered (graded) and how many got it wrong."""
    q_columns = ["练习", "培训内容", "题号", "题目", "规则", "依据", "评分人次", "答错人次", "答错比例"]
    r_columns = ["规则", "规则名称", "涉及题目", "依据", "评分人次", "答错人次", "答错比例"]
    graded = pd.DataFrame([c for c in cells if c["score"] is not None],
                          columns=["student", "assignment", "qid", "score", "max_score"])
    if graded.empty:
        return pd.DataFrame(columns=q_columns), pd.DataFrame(columns=r_columns)
    graded["wrong"] = graded["score"] < graded["max_score"] - 1e-9
    infos = {a: question_infos(a) for a in assignments}
    rows = []
    for (assignment, qid), group in graded.groupby(["assignment", "qid"], sort=False):
        info = infos.get(assignment, {}).get(qid)
        rows.append({"练习": assignment, "培训内容": titles.get(assignment, assignment),
                     "题号": info.label if info else qid, "题目": info.prompt if info else "",
                     "规则": info.rule if info else "（未标注）", "依据": info.basis if info else "",
                     "评分人次": len(group), "答错人次": int(group["wrong"].sum()), "_order": _order(qid)})
    questions = pd.DataFrame(rows).sort_values(["练习", "_order"]).drop(columns="_order")
    questions["答错比例"] = (questions["答错人次"] / questions["评分人次"]).round(4)

    rule_rows = []
    for rule, group in questions.groupby("规则", sort=False):
        rule_rows.append({"规则": rule, "规则名称": rule_title(rule) or _short(next(iter(group["题目"]), ""), 20),
                          "涉及题目": "、".join(f"《{t}》{q}" for t, q in zip(group["培训内容"], group["题号"])),
                          "依据": next((b for b in group["依据"] if b), ""),
                          "评分人次": int(group["评分人次"].sum()), "答错人次": int(group["答错人次"].sum())})
    rules = pd.DataFrame(rule_rows, columns=r_columns[:-1])
    rules["答错比例"] = (rules["答错人次"] / rules["评分人次"]).round(4)
    rules = rules.sort_values(["答错比例", "规则"], ascending=[False, True]).reset_index(drop=True)
    return questions[q_columns].reset_index(drop=True), rules[r_columns]


def _order(qid: str) -> int:
    digits = re.sub(r"\D", "", qid)
    return int(digits) if digits else 0

"""培训计划: a round's findings turned into the exercises each 街镇's staff and cadres should take.

Input is plain data the CLI composes from the inspection store: the findings (one row per 街镇
and failed checklist item: ``district, unit, item_id, item_text, kind, failed, finding, basis``)
and each item's ``check``.  Output: one row per 街镇, rule and exercise with the finding, how
often it occurred and its basis (:data:`COLUMNS`); :func:`unit_overview` one row per 街镇;
:func:`unmatched` the findings no exercise teaches (listed, never dropped silently).
"""

from __future__ import annotations

from toolkit.cases.finding_rules import describe_rule, exercises_by_rule, load_mapping, rules_for_item

COLUMNS = ["区", "街镇", "练习", "练习名称", "培训对象", "规则", "规则说明", "发现的问题", "次数", "检查项", "依据"]
OVERVIEW_COLUMNS = ["区", "街镇", "应学练习", "涉及规则数", "问题次数"]
ROLLUP_TAIL = ["问题次数", "无对应练习的问题"]
UNMATCHED_COLUMNS = ["区", "街镇", "检查项", "发现的问题", "次数", "依据"]
DISTRICT_OWN = "区本级"
"""Where findings with no 街镇 (the district office's own) are planned: its row and its plan."""


def unit_label(unit: str) -> str:
    """The 街镇 as the plans name it: a finding with no 街镇 is the district office's own (区本级)."""
    return unit or DISTRICT_OWN


def _count(finding) -> int:
    """Case-file items: the failed files; other items: the 街镇 once."""
    return int(finding.failed) if finding.kind == "case_file" and finding.failed else 1


def training_plan(findings, checks: dict[str, dict]):
    """Rows of the 培训计划 (:data:`COLUMNS`), by 区, 街镇, exercise, then most frequent rule."""
    import pandas as pd

    mapping = load_mapping()
    taught = exercises_by_rule()
    grouped: dict[tuple, dict] = {}
    for f in findings.itertuples(index=False):
        for rule in rules_for_item(f.item_id, checks.get(f.item_id), mapping):
            for exercise in taught[rule]:
                key = (f.district, f.unit or "", exercise.assignment, rule)
                row = grouped.setdefault(key, {
                    "区": f.district, "街镇": f.unit or "", "练习": exercise.assignment, "练习名称": exercise.title,
                    "培训对象": mapping.audience, "规则": rule, "规则说明": describe_rule(rule),
                    "_findings": [], "次数": 0, "_items": [], "_basis": []})
                row["_findings"].append(str(f.finding or f.item_text))
                row["次数"] += _count(f)
                row["_items"].append(f.item_id)
                if f.basis and f.basis not in row["_basis"]:
                    row["_basis"].append(str(f.basis))
    rows = [{**{k: v for k, v in r.items() if not k.startswith("_")}, "发现的问题": "；".join(r["_findings"]),
             "检查项": "、".join(r["_items"]), "依据": "；".join(r["_basis"])} for r in grouped.values()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["区", "街镇", "练习", "次数", "规则"], ascending=[True, True, True, False, True],
                             kind="stable").reset_index(drop=True)


def unit_overview(plan):
    """Per 街镇: the exercises to take (course order), how many rules and findings behind them."""
    import pandas as pd

    rows = []
    for (district, unit), part in plan.groupby(["区", "街镇"], sort=True):
        exercises = sorted(dict.fromkeys(zip(part["练习"], part["练习名称"])))
        rows.append({"区": district, "街镇": unit, "应学练习": "、".join(f"《{t}》" for _a, t in exercises),
                     "涉及规则数": part["规则"].nunique(), "问题次数": int(part.drop_duplicates("规则")["次数"].sum())})
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)


def rollup(plan, unmatched_frame):
    """The short roll-up of a plan, one line per 街镇: a column per exercise (course order) with the
    number of rules that send the 街镇 to it (blank: not needed), its findings behind them, and how
    many of its findings no exercise teaches (a 街镇 with only such findings is listed too)."""
    import pandas as pd

    exercises = sorted(dict.fromkeys(zip(plan["练习"], plan["练习名称"])))
    rows = []
    for district, unit in towns_of(plan, unmatched_frame):
        part = plan[(plan["区"] == district) & (plan["街镇"] == unit)]
        rules = part.groupby("练习")["规则"].nunique()
        rows.append({"区": district, "街镇": unit_label(unit),
                     **{title: (int(rules[a]) if a in rules else None) for a, title in exercises},
                     "问题次数": int(part.drop_duplicates("规则")["次数"].sum()),
                     "无对应练习的问题": int(((unmatched_frame["区"] == district) & (unmatched_frame["街镇"] == unit)).sum())})
    return pd.DataFrame(rows, columns=["区", "街镇", *(t for _a, t in exercises), *ROLLUP_TAIL])


def towns_of(plan, unmatched_frame) -> list[tuple[str, str]]:
    """Every (区, 街镇) with a planned exercise or a finding no exercise teaches, in order."""
    keys = {*zip(plan["区"], plan["街镇"]), *zip(unmatched_frame["区"], unmatched_frame["街镇"])}
    return sorted(keys)


def unmatched(findings, checks: dict[str, dict]):
    """Findings that no exercise teaches (e.g. 调研走访, 示范创建): for the trainer to cover otherwise."""
    import pandas as pd

    mapping = load_mapping()
    rows = [{"区": f.district, "街镇": f.unit or "", "检查项": f.item_id, "发现的问题": str(f.finding or f.item_text),
             "次数": _count(f), "依据": f.basis}
            for f in findings.itertuples(index=False) if not rules_for_item(f.item_id, checks.get(f.item_id), mapping)]
    return pd.DataFrame(rows, columns=UNMATCHED_COLUMNS)


RELEASE_COLUMNS = ["学员编号", "姓名", "街镇", "村居", "岗位", "练习", "练习名称", "原因"]


def release_list(plan, roster):
    """Who should take which exercise: every trainee of a 街镇 on the roster × its planned exercises.

    Names masked (the 学员编号 identifies the person in the trainer's roster).  ``原因``: the
    rules and counts behind the exercise for that 街镇.
    """
    import pandas as pd

    _refuse_ambiguous_towns(plan, roster)
    reasons = {}
    for (town, assignment, title), part in plan.groupby(["街镇", "练习", "练习名称"], sort=True):
        reasons[town, assignment] = (title, "；".join(f"{r.规则说明} {r.次数} 次" for r in part.itertuples()))
    rows = []
    for t in roster.trainees:
        for (town, assignment), (title, why) in reasons.items():
            if town == t.town:
                rows.append({"学员编号": t.id, "姓名": t.masked_name, "街镇": t.town, "村居": t.village, "岗位": t.role,
                             "练习": assignment, "练习名称": title, "原因": why})
    return pd.DataFrame(rows, columns=RELEASE_COLUMNS)


def _refuse_ambiguous_towns(plan, roster) -> None:
    """The roster names a trainee's 街镇 but not the 区: a 街镇 name planned in two districts would
    give each district's plan the other's trainees (and reasons)."""
    from toolkit.errors import InputError

    districts = plan.groupby("街镇")["区"].unique()
    for t in roster.trainees:
        if t.town in districts.index and len(districts[t.town]) > 1:
            raise InputError("--roster", t.town, f"这个街镇名在{'、'.join(sorted(districts[t.town]))}都有，"
                             "花名册没有“区”列，无法确定学员属于哪个区",
                             "请加 --district 按区分别制定培训计划（每个区用本区的花名册）")


BY_EXERCISE_COLUMNS = ["练习", "练习名称", "学员数", "街镇", "学员编号", "发布命令", "名单文件"]
STUDENT_CSV_COLUMNS = ("id", "first_name", "last_name")
"""Columns of a per-exercise list, as ``nbgrader db student import`` reads them (names masked)."""


def by_exercise(release, csv_folder: str = "发布名单"):
    """Per exercise: who should take it (学员编号), from which 街镇, and the command that releases it."""
    import pandas as pd

    rows = []
    for (assignment, title), part in release.groupby(["练习", "练习名称"], sort=True):
        rows.append({"练习": assignment, "练习名称": title, "学员数": part["学员编号"].nunique(),
                     "街镇": "、".join(dict.fromkeys(part["街镇"])), "学员编号": "、".join(dict.fromkeys(part["学员编号"])),
                     "发布命令": f"jiuzhu course release {assignment}", "名单文件": f"{csv_folder}/{assignment}.csv"})
    return pd.DataFrame(rows, columns=BY_EXERCISE_COLUMNS)


def student_csv(release, assignment: str) -> str:
    """The trainees of one exercise as CSV for ``nbgrader db student import`` (first name masked,
    last name 街镇村居, as the roster import stores them)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STUDENT_CSV_COLUMNS)
    part = release[release["练习"] == assignment].drop_duplicates("学员编号")
    for row in part.itertuples(index=False):
        writer.writerow([row.学员编号, row.姓名, f"{row.街镇}{row.村居}"])
    return buffer.getvalue()


def planned_roster(release, roster):
    """The roster's trainees who are on the release list (full records, for a course's roster)."""
    from toolkit.training.course.roster import Roster

    wanted = set(release["学员编号"])
    return Roster(tuple(t for t in roster.trainees if t.id in wanted), roster.sample)


def for_audience(roster, audience: str | None):
    """The roster's trainees of one audience (:data:`toolkit.policy.audiences.AUDIENCES`); all when None."""
    from toolkit.policy.audiences import audience_of
    from toolkit.training.course.roster import Roster

    if audience is None:
        return roster
    return Roster(tuple(t for t in roster.trainees if audience_of(t.role) == audience), roster.sample)

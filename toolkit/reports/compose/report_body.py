"""What a district report and the city summary say, block by block, for ``ReportDocument``.

A 督导检查报告 an official signs: 基本情况, 主要做法和成效, 存在问题 grouped by category with how
many 街镇 and which, 整改要求, a 落款 (the inspection team in full, the date), and the per-街镇
detail in 附件1 (the 整改清单 workbook is 附件2).  The notebooks call :func:`district_report`
or :func:`city_report` with a ``ReportDocument`` (duck-typed: this layer does not import
``toolkit.reports``) and the data; every word comes from ``report_labels``.
"""

from __future__ import annotations

from toolkit.reports.compose import report_data as rd
from toolkit.reports.compose import report_labels as L
from toolkit.reports.compose.signing import addressees, imprint
from toolkit.inspections.rectification.findings import SHOWN_CASES, SEVERITY_ORDER, case_ids_text, group_findings
from toolkit.inspections.rectification.recurrence import is_marked
from toolkit.reports.compose.training_figures import CHANGED, KEPT, district_lines
from toolkit.inspections.rectification.rectification import (
    describe_rules, fill_sheet, summarize,
)


# ---------------------------------------------------------------- shared pieces
def _severity_counts(frame, unit: str = "处", column: str = "severity") -> str:
    """'严重 66 处、一般 134 处' — 处 for occurrences (findings), 类 for kinds (grouped items)."""
    counts = [(sev, int((frame[column] == sev).sum())) for sev in SEVERITY_ORDER]
    return "、".join(f"{sev} {n} {unit}" for sev, n in counts if n)


def problems_table(grouped, city: bool = False):
    """类别 | 问题 | 涉及街镇 (or 区) | 程度 — one row per item; the category named on its first row."""
    import pandas as pd

    rows, last = [], None
    for g in grouped.itertuples(index=False):
        text = g.finding
        if g.case_ids and len(g.case_ids) <= SHOWN_CASES:
            text += f"（档案编号 {case_ids_text(g.case_ids)}）"
        rows.append({"类别": "" if g.section == last else g.section, "问题": text,
                     ("涉及区" if city else "涉及街镇"): g.where, "程度": g.severity})
        last = g.section
    return pd.DataFrame(rows, columns=["类别", "问题", "涉及区" if city else "涉及街镇", "程度"])


def _categories_sentence(grouped) -> str:
    parts = grouped.groupby("section", sort=False).size()
    top = sorted(parts.items(), key=lambda kv: -kv[1])[:4]
    return "、".join(f"{name}（{n} 类）" for name, n in top)


def _problems(doc, grouped, city: bool = False, counted=None) -> None:
    """Per checklist: a sentence on where problems concentrate, then the grouped table.

    ``counted``: every kind of problem (the city shows only the most widespread in ``grouped``;
    its counts still come from all of them)."""
    counted = grouped if counted is None else counted
    for number, (checklist, shown) in enumerate(grouped.groupby("checklist", sort=False), start=1):
        part = counted[counted["checklist"] == checklist]
        area = checklist_area(checklist)
        doc.heading(f"（{_chinese_number(number)}）{area}方面", level=2)
        units = {u for us in part["units"] for u in us}
        scope = f"涉及 {len(units)} 个街镇"
        if city:
            scope += f"、{len({d for ds in part['districts'] for d in ds})} 个区"
        tail = f"下表列出其中涉及街镇最多的 {len(shown)} 类。" if len(shown) < len(part) else ""
        doc.paragraph(f"发现问题 {len(part)} 类（{_severity_counts(part, '类')}），{scope}，"
                      f"主要集中在{_categories_sentence(part)}。{tail}")
        doc.table(problems_table(shown, city=city), caption=f"{area}方面的问题")


def checklist_area(title: str) -> str:
    """'镇（街道）社会救助管理服务质量检查表' → '镇（街道）社会救助管理服务质量'."""
    for suffix in ("检查表", "核查表", "表"):
        if title.endswith(suffix):
            return title[: -len(suffix)]
    return title


def _good_and_problems(doc, s, district: str | None, grouped, intro: str, counted=None,
                       of_these: str = "") -> None:
    """二、主要做法和成效 and 三、存在问题 (a district's, or the city's when ``district`` is None);
    ``of_these``: a sentence about the problems the intro counted, printed right after it."""
    doc.heading(L.HEADINGS["good"])
    _practices(doc, s, district)
    doc.heading(L.HEADINGS["problems"])
    if grouped.empty:
        doc.paragraph(L.NO_PROBLEMS)
        return
    doc.paragraph(intro)
    if of_these:
        doc.paragraph(of_these)
    _problems(doc, grouped, city=district is None, counted=counted)


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else f"十{digits[n - 10]}"


def _rectification(doc, plan, rules, issued, requirements: list[str], lead: str) -> None:
    doc.heading(L.HEADINGS["rectify"])
    doc.paragraph(f"{lead}整改期限自报告下发之日（{L.chinese_date(issued)}）起算：{describe_rules(rules)}"
                  f"（按国家法定节假日安排计算工作日）。")
    doc.table(summarize(plan), caption=f"整改期限（共 {len(plan)} 处，明细见附件2）")
    for text in requirements:
        doc.paragraph(text)


def _annex_note(doc, items: list[str]) -> None:
    """附件说明 (GB/T 9704 7.3.4): after the body, before the 落款, kept on the 落款's page."""
    doc.annex_note(items)


# ---------------------------------------------------------------- district report
def district_report(doc, s, findings, plan, teams, *, district: str, issued, rules, prev=None,
                    prev_id: str | None = None, training=None, prev_note: str = "", signer: str = "") -> None:
    """The blocks of one district's report (``findings``: ``findings.load_findings`` of the
    district, marked by ``recurrence.mark_recurrences``; ``plan``: its 整改清单; ``teams``:
    ``report_data.team_members``; ``training``: ``training_figures.training_figures``;
    ``signer``: who signs instead of the inspection team, ``offices.district_signer``)."""
    grouped = group_findings(findings)
    team = teams.iloc[0] if len(teams) else None

    doc.heading(L.HEADINGS["basic"])
    doc.paragraph(rd.district_summary_text(s, district))
    doc.heading(L.SUBHEADINGS["inspection"], level=2)
    doc.table(overview_table(s, district, teams), caption="检查基本情况")
    doc.heading(L.SUBHEADINGS["scores"], level=2)
    doc.table(rd.unit_checklist_table(s, district), caption="各街镇得分率（%）及等级")
    doc.paragraph("各部分得分率及得分最低的街镇见附件1。")
    doc.heading(L.SUBHEADINGS["case_files"], level=2)
    doc.table(rd.case_file_table(s, district), caption="低保案卷合规情况",
              note=L.CASE_FILE_NOTE + "置信区间按 Wilson 方法计算；抽查份数少时区间较宽。")
    doc.heading(L.SUBHEADINGS["previous"], level=2)
    if prev_note:
        doc.paragraph(prev_note)                      # which round, and why (round_dates.compare_with)
    change = rd.change_table(s, prev, district)
    if change is None:
        if not prev_note:
            doc.paragraph(rd.NO_PREVIOUS)
    else:
        doc.table(change, caption=f"与上一轮（{L.round_title(prev_id)}）比较")
    _training(doc, s, training)

    units = {u for us in grouped["units"] for u in us} if len(grouped) else set()
    recurring = int(is_marked(findings).sum())
    # the 反弹 count is of all the problems just counted (every checklist), so it follows that
    # count, not the last checklist's table
    _good_and_problems(doc, s, district, grouped,
                       f"本轮检查发现问题 {len(grouped)} 类、{len(findings)} 处（{_severity_counts(findings)}），"
                       f"涉及 {len(units)} 个街镇。按检查表和类别归纳如下，各街镇逐项明细见附件1。",
                       of_these=L.RECURRENCE["district"].format(n=recurring, total=len(findings),
                                                                prev=L.round_title(prev_id)) if recurring else "")

    _rectification(doc, plan, rules, issued, L.DISTRICT_REQUIREMENTS,
                   "请各街镇对照整改清单逐项整改，并将整改情况书面报区民政部门。")
    _annex_note(doc, [L.ANNEX_DETAILS, "整改清单（由各街镇填写整改情况）"])
    doc.signature([signer, L.chinese_date(issued)] if signer else signature_lines(team, issued))

    doc.annex("附件1", f"{district}{L.ANNEX_DETAILS}")
    doc.table(rd.section_table(s, district), caption="各部分得分率及最低的街镇")
    doc.figure(rd.section_chart(s, district), caption="各街镇分项得分率")
    doc.paragraph(L.CASE_FILE_NOTE)
    doc.figure(rd.case_file_chart(s, district), caption="各街镇案卷合规率及 95% 置信区间")
    doc.table(details_table(findings), caption=f"{district}各街镇问题明细")
    _training_annex(doc, training)
    rectification_books(doc, plan, district=district, round_id=s.round_id, issued=issued, rules=rules)


def unit_book_name(unit: str) -> str:
    """'整改清单（朱家角镇）.xlsx': the 街镇's own list, a safe file name whatever the 街镇 is called."""
    from toolkit.files import safe_file_name

    return L.RECTIFICATION_BOOK.replace(".xlsx", f"（{safe_file_name(unit)}）.xlsx")


def rectification_books(doc, plan, *, district: str, round_id: str, issued, rules) -> None:
    """The district office's combined 整改清单.xlsx and one 整改清单（街镇）.xlsx per 街镇 with only its rows,
    each 街镇 fills its own and returns it (``jiuzhu inspect rectification import`` takes either)."""
    title = f"{district}{L.round_title(round_id)}督导检查整改清单"
    tail = (f"整改期限：{describe_rules(rules)}；下发日期 {L.chinese_date(issued)}。"
            f"黄色列由责任单位填写；完成情况从下拉列表中选择")
    doc.sheet(L.RECTIFICATION_BOOK, "整改清单", **fill_sheet(plan), lines=[title, tail])
    for unit, part in plan[plan["街镇"] != ""].groupby("街镇", sort=False):
        part = part.reset_index(drop=True)
        part["序号"] = range(1, len(part) + 1)
        doc.sheet(unit_book_name(unit), "整改清单", **fill_sheet(part),
                  lines=[f"{district}{unit}{L.round_title(round_id)}督导检查整改清单", tail])


def overview_table(s, district: str, teams):
    """项目 | 情况: 街镇, case files, the team with its members in full, dates, score, rank."""
    table = rd.district_overview(s, district)
    if len(teams):
        members = "；".join(f"{t.team_district}检查组：{'、'.join(t.members)}" for t in teams.itertuples())
        days = "；".join(_days(t.first, t.last) for t in teams.itertuples())
        table.loc[table["项目"] == "检查组及检查人员", "情况"] = members
        table.loc[len(table)] = ["检查时间", days]
    return table


def _days(first, last) -> str:
    if first == last:
        return L.chinese_date(first)
    return f"{L.chinese_date(first)}至{L.chinese_date(last)}"


def signature_lines(team, issued) -> list[str]:
    """落款: '云岭区督导检查组', its members in full, the date."""
    if team is None:
        return [f"{L.DEFAULT_OFFICE}督导检查组", L.chinese_date(issued)]
    return [f"{team.team_district}督导检查组", "检查组成员：" + "、".join(team.members), L.chinese_date(issued)]


def _practices(doc, s, district: str | None) -> None:
    practices = rd.notable_practices(s, district)
    units = rd._of(s.units, district).sort_values("pct", ascending=False)
    best = "、".join(f"{u.unit}（{u.pct:.1f}%）" for u in units.head(3).itertuples())
    doc.paragraph(f"得分率居前的街镇为{best}。")
    if practices.empty:
        doc.paragraph(L.NO_PRACTICES)
        return
    scope = "各街镇" if district else L.summary_words(list(s.districts["district"]))["area"] + "各街镇"
    for section, part in practices.groupby("部分", sort=False):
        doc.paragraph(f"{section}方面，{scope}均做到" + "；".join(part["检查项"]) + "。")


def details_table(findings):
    """附件1: 街镇 | 编号 | 问题 | 检查结果 | 涉及档案 | 程度 — one row per 街镇 and item."""
    import pandas as pd

    rows = []
    for f in findings.sort_values(["unit", "order"], kind="stable").itertuples(index=False):
        result = f.result if f.kind != "case_file" else ""
        mark = L.RECURRENCE_PREFIX if getattr(f, "recurs_from", "") else ""
        rows.append({"街镇": f.unit, "编号": f.item_id,
                     "问题": mark + f.finding + (f"。备注：{f.remarks}" if f.remarks else ""),
                     "检查结果": result or "—", "涉及档案编号": case_ids_text(f.case_ids) or "—",
                     "程度": f.severity})
    return pd.DataFrame(rows, columns=["街镇", "编号", "问题", "检查结果", "涉及档案编号", "程度"])


def _outcome_counts(figures) -> dict:
    return {"kept": int((figures["处理"] == KEPT).sum()), "changed": int((figures["处理"] == CHANGED).sum())}


def _training(doc, s, figures) -> None:
    """（五）宣传与培训 in the body: which items were proposed from which ledger, how many kept and
    changed; the per-街镇 figures go to 附件1 (:func:`_training_annex`)."""
    if figures is None or figures.empty:
        return
    texts = dict(zip(s.items["item_id"], s.items["item_text"]))
    items = list(dict.fromkeys(figures["检查项"]))
    doc.heading(L.TRAINING["heading_district"], level=2)
    doc.paragraph(L.TRAINING["district"].format(
        item="”“".join(texts.get(i, i) for i in items), n_items=L.chinese_count(len(items)),
        towns=figures["街镇"].nunique(), total=len(figures),
        **_outcome_counts(figures)))


def _training_annex(doc, figures) -> None:
    """附件1's table of the training figures: per 街镇 and item the figures, proposed and recorded result."""
    if figures is None or figures.empty:
        return
    table = figures.drop(columns=["区", "来源"])       # the ledger's file name is not for the document
    doc.table(table.reset_index(drop=True), caption=L.TRAINING["caption_district"])


def _training_by_district(doc, figures, each: str = "各区") -> None:
    """（四）宣传与培训 of the city summary: one line per district (``each``: 本区 in a one-district round)."""
    if figures is None or figures.empty:
        return
    doc.heading(L.TRAINING["heading_city"], level=2)
    doc.paragraph(L.TRAINING["city"].format(**_outcome_counts(figures)).replace("各区", each))
    doc.table(district_lines(figures).drop(columns="来源"),                 # no file names
              caption=L.TRAINING["caption_city"].replace("各区", each))


def recurrence_table(findings):
    """区 | 反弹问题数 | 涉及街镇 — every district of the round; None when nothing recurs."""
    import pandas as pd

    marked = is_marked(findings)
    if not marked.any():
        return None
    rows = []
    for district, part in findings.groupby("district", sort=False):
        hit = part[marked.loc[part.index]]
        rows.append([district, len(hit), "、".join(dict.fromkeys(hit["unit"])) or "—"])
    return pd.DataFrame(rows, columns=L.RECURRENCE["columns"])


def _recurrences_by_district(doc, findings, prev_id) -> None:
    if findings["district"].nunique() == 1:          # 全区汇总: per 街镇, no 各区 table
        marked = findings[is_marked(findings)]
        if len(marked):
            table = marked.groupby("unit", sort=False).size().reset_index()
            table.columns = L.RECURRENCE["columns_one_district"]
            doc.paragraph(L.RECURRENCE["one_district"].format(prev=prev_id, n=len(marked)))
            doc.table(table, caption=L.RECURRENCE["caption_one_district"])
        return
    table = recurrence_table(findings)
    if table is not None:
        doc.paragraph(L.RECURRENCE["city"].format(prev=L.round_title(prev_id), n=int(table[L.RECURRENCE["columns"][1]].sum())))
        doc.table(table, caption=L.RECURRENCE["caption"])


# ---------------------------------------------------------------- city summary
def city_report(doc, s, findings, plan, *, issued, rules, prev=None, prev_id: str | None = None,
                top_n: int = 10, office: str = L.DEFAULT_OFFICE, training=None, prev_note: str = "",
                signer: str = "", dispatch=None) -> None:
    """The blocks of the city summary (``findings``: ``findings.load_findings`` of the round, marked
    by ``recurrence.mark_recurrences``; ``training``: ``training_figures.training_figures``;
    ``dispatch``: the issuing office's 主送机关 and 版记, ``offices.dispatch_for``, each printed when set)."""
    every = _city_groups(findings)
    grouped = every.sort_values("spread", ascending=False, kind="stable").head(top_n).sort_values("order", kind="stable")
    words = L.summary_words(list(s.districts["district"]), office)
    addressees(doc, dispatch)
    _city_overall(doc, s, prev, prev_id, training, prev_note)
    _good_and_problems(doc, s, None, grouped,
                       f"{words['area']}共发现问题 {len(findings)} 处（{_severity_counts(findings)}）。"
                       f"涉及街镇最多的 {len(grouped)} 类问题如下（“涉及区”列出{words['districts']}涉及的街镇个数），"
                       f"{words['districts']}问题数量见附件1，各街镇明细见{words['districts']}督导检查报告。",
                       counted=every)
    _recurrences_by_district(doc, findings, prev_id)

    _rectification(doc, plan, rules, issued, words["requirements"], words["lead"])
    annex = L.ANNEX_CITY.format(districts=words["districts"])
    _annex_note(doc, [annex, f"{words['area']}整改清单"])
    doc.signature([signer or f"{words['office']}督导检查组", L.chinese_date(issued)])

    doc.annex("附件1", annex)
    doc.table(rd.sections_by_district_table(s), caption=f"{words['districts']}分项得分率（%）")
    doc.table(rd.findings_count_table(s), caption=f"{words['districts']}问题数量（按严重程度）")
    doc.sheet(L.RECTIFICATION_BOOK, f"{words['area']}整改清单", **fill_sheet(plan),
              lines=[f"{words['area']}{L.round_title(s.round_id)}督导检查整改清单",
                     f"整改期限：{describe_rules(rules)}；下发日期 {L.chinese_date(issued)}"])
    imprint(doc, dispatch, issued)                  # 版记 on the last page, after the annexes


def _city_groups(findings):
    """Every kind of problem, "涉及区" counting the 街镇 per district (the summary shows the most
    widespread, and counts all)."""
    grouped = group_findings(findings)
    if grouped.empty:
        return grouped
    by_item = findings.groupby("item_id", sort=False)
    districts = {k: list(dict.fromkeys(p["district"])) for k, p in by_item}
    counts = {k: p.groupby("district", sort=False).size() for k, p in by_item}
    grouped["districts"] = [districts[i] for i in grouped["item_id"]]
    grouped["where"] = ["、".join(f"{d}\u00a0{n}\u00a0个" for d, n in counts[i].items()) for i in grouped["item_id"]]
    return grouped


def _city_overall(doc, s, prev, prev_id, training, prev_note: str = "") -> None:
    """一、总体情况 of the summary: ranking, grades, sections, trend, case files, training."""
    each = L.summary_words(list(s.districts["district"]))["districts"]     # 各区, or 本区 for one district
    doc.heading(L.HEADINGS["overall"])
    doc.paragraph(rd.city_summary_text(s))
    doc.table(ranking_table(s), caption=ranking_caption(s))
    doc.table(rd.grade_distribution(s), caption="等级分布")
    doc.figure(rd.grade_chart(s), caption="街镇等级分布")
    doc.heading("（一）分项得分", level=2)
    doc.figure(rd.section_heatmap(s), caption=f"{each}分项得分率热力图")
    doc.heading("（二）与上一轮比较", level=2)
    if prev_note:
        doc.paragraph(prev_note)
    trend = rd.trend_table(s, prev)
    if trend is None:
        if not prev_note:
            doc.paragraph(rd.NO_PREVIOUS)
    else:
        doc.table(trend, caption=f"与上一轮（{L.round_title(prev_id)}）比较")
        doc.figure(rd.trend_chart(s, prev), caption=f"{each}得分率变化")
    doc.heading("（三）低保案卷抽查", level=2)
    doc.table(rd.case_file_table(s, by="district"), caption=f"{each}低保案卷合规情况",
              note=L.CASE_FILE_NOTE + "置信区间按 Wilson 方法计算；抽查份数少时区间较宽。")
    doc.figure(rd.case_file_chart(s, by="district"), caption=f"{each}案卷合规率及 95% 置信区间")
    _training_by_district(doc, training, each)


# ---------------------------------------------------------------- a 街镇's own self-check report (自查)
SELF_CHECK_TITLE = "{unit}社会救助管理服务质量自查报告"


def self_check_report(doc, s, findings, plan, team, *, district: str, unit: str, issued, rules) -> None:
    """One 街镇's own 自查报告, signed by its self-check team (``findings``/``plan``: the 街镇's rows;
    ``team``: its row of ``report_data.team_members`` or None)."""
    units = s.units[(s.units["district"] == district) & (s.units["unit"] == unit)]
    rate = f"综合得分率 {units['pct'].iloc[0]:.1f}%，等级为“{units['grade'].iloc[0]}”；" if len(units) else ""
    members = "、".join(team.members) if team is not None else ""
    when = _days(team.first, team.last) if team is not None else ""
    doc.heading(L.HEADINGS["basic"])
    doc.paragraph(f"本轮（{s.round_id}）{unit}按照{district}的部署开展社会救助管理服务质量自查"
                  + (f"，自查组成员：{members}" if members else "") + (f"，自查时间：{when}" if when else "")
                  + f"。{rate}发现问题 {len(findings)} 项" + (f"（{_severity_counts(findings)}）" if len(findings) else "")
                  + "。")
    table = rd.unit_checklist_table(s, district)
    doc.table(table[table["街镇"] == unit].reset_index(drop=True), caption="自查得分率（%）及等级")
    doc.heading(L.HEADINGS["problems"])
    if findings.empty:
        doc.paragraph(L.NO_PROBLEMS)
    else:
        doc.table(details_table(findings).drop(columns=["街镇"]), caption=f"{unit}自查发现的问题")
    doc.heading(L.HEADINGS["rectify"])
    doc.paragraph(f"对照整改清单逐项整改，整改期限自{L.chinese_date(issued)}起算：{describe_rules(rules)}"
                  f"（按国家法定节假日安排计算工作日）；整改情况按期报区民政部门。")
    if len(plan):
        doc.table(summarize(plan), caption=f"整改期限（共 {len(plan)} 项，明细见本街镇整改清单）")
    doc.signature([f"{unit}自查组"] + ([f"自查组成员：{members}"] if members else []) + [L.chinese_date(issued)])


def self_check_documents(s, findings, plan, teams, *, district: str, issued, rules) -> list[tuple[str, str, object]]:
    """(file name, title, compose) for each 街镇 of ``district``: compose(doc) writes its 自查报告 into a
    ``ReportDocument`` (the notebook hands them to ``toolkit.reports.self_check.write_documents``)."""
    by_team = {t.team_district: t for t in teams.itertuples()}
    out = []
    for unit in s.units[s.units["district"] == district]["unit"]:
        def compose(doc, unit=unit):
            self_check_report(doc, s, findings[findings["unit"] == unit], plan[plan["街镇"] == unit],
                              by_team.get(unit), district=district, unit=unit, issued=issued, rules=rules)
        name = unit_book_name(unit).replace(L.RECTIFICATION_BOOK.removesuffix(".xlsx"), "自查报告").replace(
            ".xlsx", ".docx")
        out.append((name, SELF_CHECK_TITLE.format(unit=unit), compose))
    return out


def ranking_table(s):
    """The summary's ranking: districts city-wide; with one district, its 街镇 (全区汇总)."""
    if len(s.districts) != 1:
        return rd.ranking_table(s)
    units = s.units.sort_values(["pct", "unit"], ascending=[False, True]).reset_index(drop=True)
    units.insert(0, "名次", units["pct"].rank(method="min", ascending=False).astype(int))
    return units.rename(columns={"unit": "街镇", "score": "得分", "max_points": "满分", "pct": "得分率（%）",
                                 "grade": "等级"})[["名次", "街镇", "得分", "满分", "得分率（%）", "等级"]].round(1)


def ranking_caption(s) -> str:
    return "各区得分排名" if len(s.districts) != 1 else f"{s.districts['district'].iloc[0]}各街镇得分排名"

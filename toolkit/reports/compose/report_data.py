"""Tables and charts for the supervision report notebooks (Chinese labels, masked names).

Every function takes a ``RoundScores`` (``toolkit.inspections.scores.scores``) and returns a pandas
DataFrame ready to show, or a matplotlib Figure.  Percentages are 0–100, one decimal.
The notebooks stay thin: they call these functions and hand the results to ``ReportDocument``.
"""

from __future__ import annotations


from toolkit.inspections.scores.scores import wilson_interval
from toolkit.privacy import mask_name

SEVERITY_ORDER = ("严重", "一般", "轻微")
GRADE_ORDER = ("优秀", "良好", "合格", "不合格")
NO_PREVIOUS = "无上一轮数据，不作比较。"


# ---------------------------------------------------------------- helpers
def _pct(score: float, max_points: float) -> float:
    return round(100.0 * score / max_points, 1) if max_points else float("nan")


def _of(frame, district: str | None):
    return frame if district is None else frame[frame["district"] == district]


def wilson_percent(successes: int, n: int) -> tuple[float, float]:
    """Wilson 95 % interval (scores API) as percentages with one decimal; (nan, nan) when n == 0."""
    low, high = wilson_interval(successes, n)
    return round(100 * low, 1), round(100 * high, 1)


def _interval_text(low, high) -> str:
    if low != low or high != high:  # nan
        return "—"
    return f"{low:.1f}%–{high:.1f}%"


def _inspector_text(value) -> str:
    names = value if isinstance(value, (list, tuple)) else str(value or "").replace("，", "、").split("、")
    return "、".join(mask_name(n.strip()) for n in names if str(n).strip())


def _section_pct(s, district: str | None, by: list[str]):
    sections = _of(s.sections, district)
    grouped = sections.groupby(by + ["section"], sort=False)[["score", "max_points"]].sum().reset_index()
    grouped["pct"] = [_pct(a, b) for a, b in zip(grouped["score"], grouped["max_points"])]
    return grouped


def _new_figure(width: float = 8.0, height: float = 4.5):
    """A figure outside pyplot (no GUI backend, nothing to close; imports faster in a kernel)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.add_subplot()


# ---------------------------------------------------------------- district report
def district_overview(s, district: str):
    """基本情况: units inspected, case files sampled, inspection team and inspectors (masked)."""
    import pandas as pd

    units = _of(s.units, district)
    files = _of(s.case_files, district)
    row = s.districts[s.districts["district"] == district]
    teams = _of(s.inspectors, district)
    team_text = "；".join(f"{t.team_district}检查组：{_inspector_text(t.inspectors)}"
                         for t in teams.itertuples(index=False)) or "—"
    items = [("被检查街镇", f"{len(units)} 个（{'、'.join(units['unit'])}）"),
             ("抽查低保案卷", f"{int(files['sampled'].sum())} 份，其中合规 {int(files['compliant'].sum())} 份"),
             ("检查组及检查人员", team_text)]
    if len(row):
        r = row.iloc[0]
        items.append(("综合得分率", f"{r['pct']:.1f}%（{r['grade']}）"))
        if len(s.districts) > 1:            # a one-district store has no city ranking
            items.append(("全市排名", f"第 {int(r['rank'])} 名（共 {len(s.districts)} 个区）"))
    return pd.DataFrame(items, columns=["项目", "情况"])


def unit_checklist_table(s, district: str):
    """Each 街镇's score rate (%) per checklist, its total rate and grade, best first."""
    items = _of(s.items, district)
    titles = dict(zip(s.checklists["checklist_id"], s.checklists["title"]))
    grouped = items.groupby(["unit", "checklist_id"], sort=False)[["score", "max_points"]].sum().reset_index()
    grouped["pct"] = [_pct(a, b) for a, b in zip(grouped["score"], grouped["max_points"])]
    table = grouped.pivot(index="unit", columns="checklist_id", values="pct")
    table = table[[c for c in s.checklists["checklist_id"] if c in table.columns]]
    table.columns = [titles[c] for c in table.columns]
    units = _of(s.units, district).set_index("unit")
    table["总得分率"] = units["pct"].round(1)
    table["等级"] = units["grade"]
    table = table.sort_values("总得分率", ascending=False)
    table.insert(0, "街镇", table.index)
    table.columns.name = None
    return table.reset_index(drop=True)


def section_table(s, district: str | None = None):
    """Per checklist section: average rate over 街镇 and the weakest 街镇 (district or city)."""
    import pandas as pd

    grouped = _section_pct(s, district, ["checklist_id", "unit"])
    titles = dict(zip(s.checklists["checklist_id"], s.checklists["title"]))
    rows = []
    for (checklist, section), part in grouped.groupby(["checklist_id", "section"], sort=False):
        total = _pct(part["score"].sum(), part["max_points"].sum())
        weakest = part.sort_values("pct").iloc[0]
        rows.append({"检查表": titles.get(checklist, checklist), "部分": section, "得分率（%）": total,
                     "最低的街镇": f"{weakest['unit']}（{weakest['pct']:.1f}%）"})
    return pd.DataFrame(rows)


def _heatmap(table, label: str, title: str):
    """Heatmap of a rates table (first column: row labels), values written in the cells."""
    values = table.drop(columns=label).to_numpy(dtype=float)
    fig, ax = _new_figure(max(7, 0.6 * values.shape[1] + 2.5), 0.36 * values.shape[0] + 2.4)
    image = ax.imshow(values, cmap="RdYlGn", vmin=30, vmax=100, aspect="auto")
    ax.set_xticks(range(values.shape[1]), table.columns[1:], rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(values.shape[0]), table[label], fontsize=9)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j] == values[i, j]:
                ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="得分率（%）", shrink=0.8)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def unit_section_rates(s, district: str):
    """Section score rate (%) per 街镇 (rows, best first) and section (columns)."""
    grouped = _section_pct(s, district, ["unit"])
    sections = list(dict.fromkeys(grouped["section"]))
    order = list(_of(s.units, district).sort_values("pct", ascending=False)["unit"])
    table = grouped.pivot(index="unit", columns="section", values="pct")[sections].reindex(order)
    table.columns.name = None
    table.insert(0, "街镇", table.index)
    return table.reset_index(drop=True)


def section_chart(s, district: str):
    """Heatmap: section score rate (%) for each 街镇 of the district."""
    return _heatmap(unit_section_rates(s, district), "街镇", f"{district}各街镇分项得分率（%）")


def case_file_table(s, district: str | None = None, by: str = "unit"):
    """Case-file compliance with Wilson 95 % intervals, per 街镇 (or per 区 with ``by='district'``)."""
    import pandas as pd

    files = _of(s.case_files, district)
    if by == "district":
        files = files.groupby("district", sort=False)[["sampled", "compliant"]].sum().reset_index()
    rows = []
    for f in files.itertuples(index=False):
        n, k = int(f.sampled), int(f.compliant)
        low, high = wilson_percent(k, n)
        rows.append({"区" if by == "district" else "街镇": getattr(f, by), "抽查份数": n,
                     "合规份数": k, "合规率（%）": _pct(k, n),
                     "95%置信区间": _interval_text(low, high)})
    return pd.DataFrame(rows)


def case_file_chart(s, district: str | None = None, by: str = "unit"):
    """Compliance rate per 街镇 (or 区) with 95 % interval whiskers."""
    table = case_file_table(s, district, by)
    label = "区" if by == "district" else "街镇"
    lows, highs = [], []
    for f in _of(s.case_files, district).groupby(by, sort=False)[["sampled", "compliant"]].sum().itertuples():
        low, high = wilson_percent(int(f.compliant), int(f.sampled))
        lows.append(low)
        highs.append(high)
    rates = table["合规率（%）"].to_numpy()
    fig, ax = _new_figure(8, 4)
    ax.errorbar(table[label], rates, yerr=[rates - lows, [h - r for h, r in zip(highs, rates)]],
                fmt="o", capsize=5, color="#9b1c1c")
    ax.set_ylim(0, 105)
    ax.set_ylabel("案卷合规率（%）")
    ax.set_title("低保案卷合规率及 95% 置信区间")
    ax.tick_params(axis="x", rotation=20)
    fig.tight_layout()
    return fig


def change_table(current, previous, district: str):
    """Each 街镇's rate now and in the previous round; None when there is no previous round."""
    if previous is None:
        return None
    now = _of(current.units, district).set_index("unit")
    before = _of(previous.units, district).set_index("unit")
    table = now[["pct", "grade"]].rename(columns={"pct": "本轮得分率", "grade": "本轮等级"})
    table["上轮得分率"] = before["pct"].reindex(table.index)
    table["上轮等级"] = before["grade"].reindex(table.index)
    table["变化（百分点）"] = (table["本轮得分率"] - table["上轮得分率"]).round(1)
    table = table[["本轮得分率", "上轮得分率", "变化（百分点）", "本轮等级", "上轮等级"]]
    table.insert(0, "街镇", table.index)
    return table.reset_index(drop=True).round(1)


def findings_by_severity(s, district: str | None = None) -> list[tuple[str, object]]:
    """[(severity, DataFrame[街镇, 问题, 依据, 情况说明])], 严重 first; empty severities left out."""
    findings = _of(s.findings, district)
    groups = []
    for severity in list(SEVERITY_ORDER) + sorted(set(findings["severity"]) - set(SEVERITY_ORDER)):
        part = findings[findings["severity"] == severity]
        if not len(part):
            continue
        table = part.rename(columns={"unit": "街镇", "item_text": "问题", "basis": "依据",
                                     "remarks": "情况说明", "district": "区"})
        columns = (["区"] if district is None else []) + ["街镇", "问题", "依据", "情况说明"]
        groups.append((severity, table[columns].fillna("").reset_index(drop=True)))
    return groups


def notable_practices(s, district: str | None = None):
    """主要做法和成效: items every inspected 街镇 (of the district, or city-wide) met in full."""
    import pandas as pd

    items = _of(s.items, district).dropna(subset=["score"])
    items = items[items["max_points"] > 0]
    if not len(items):
        return pd.DataFrame(columns=["部分", "检查项", "街镇数"])
    full = items.assign(full=items["score"] >= items["max_points"])
    grouped = full.groupby(["checklist_id", "item_id"], sort=False).agg(
        section=("section", "first"), text=("item_text", "first"), all_full=("full", "all"),
        units=("unit", "nunique"))
    best = grouped[grouped["all_full"]]
    return pd.DataFrame({"部分": best["section"], "检查项": best["text"],
                         "街镇数": best["units"]}).reset_index(drop=True)


# ---------------------------------------------------------------- cross-district summary
def ranking_table(s):
    """名次, 区, 得分, 满分, 得分率, 等级 — ordered by rank."""
    table = s.districts.sort_values("rank")
    return table.rename(columns={"rank": "名次", "district": "区", "score": "得分", "max_points": "满分",
                                 "pct": "得分率（%）", "grade": "等级"})[
        ["名次", "区", "得分", "满分", "得分率（%）", "等级"]].round(1).reset_index(drop=True)


def section_by_district(s):
    """Section score rate (%) per 区 (rows) and section (columns)."""
    grouped = _section_pct(s, None, ["district"])
    sections = list(dict.fromkeys(grouped["section"]))
    order = list(s.districts.sort_values("rank")["district"])
    table = grouped.pivot(index="district", columns="section", values="pct")[sections].reindex(order)
    table.columns.name = None
    table.insert(0, "区", table.index)
    return table.reset_index(drop=True)


def sections_by_district_table(s):
    """Section score rates (%) with sections as rows and 区 (ranked) as columns: fits a page."""
    table = section_by_district(s).set_index("区").T
    table.columns.name = None
    table.insert(0, "部分", table.index)
    return table.reset_index(drop=True)


def section_heatmap(s):
    """Heatmap of section score rates: 区 × section, values written in the cells."""
    return _heatmap(section_by_district(s), "区", "各区分项得分率（%）")


def trend_table(current, previous):
    """Each 区's rate and rank now and in the previous round; None without a previous round."""
    if previous is None:
        return None
    now = current.districts.set_index("district")
    before = previous.districts.set_index("district").reindex(now.index)
    import pandas as pd

    table = pd.DataFrame({"区": now.index, "本轮得分率": now["pct"].round(1),
                          "上轮得分率": before["pct"].round(1),
                          "变化（百分点）": (now["pct"] - before["pct"]).round(1),
                          "本轮名次": now["rank"], "上轮名次": before["rank"]})
    return table.sort_values("本轮名次").reset_index(drop=True)


def trend_chart(current, previous):
    """Bars for this round's rate per 区, markers for the previous round."""
    table = trend_table(current, previous)
    fig, ax = _new_figure(8, 4.2)
    ax.bar(table["区"], table["本轮得分率"], color="#4a78a8", label=f"本轮（{current.round_id}）")
    ax.plot(table["区"], table["上轮得分率"], "D", color="#c0392b", label=f"上轮（{previous.round_id}）")
    ax.set_ylim(0, 105)
    ax.set_ylabel("得分率（%）")
    ax.set_title("各区得分率与上轮比较")
    ax.legend(loc="lower right")
    ax.tick_params(axis="x", rotation=20)
    fig.tight_layout()
    return fig


def top_problems(s, n: int = 10):
    """The n most common problems city-wide: how many 街镇 and 区 had each, with its basis."""
    import pandas as pd

    findings = s.findings
    if not len(findings):
        return pd.DataFrame(columns=["序号", "问题", "严重程度", "涉及街镇数", "涉及区数", "依据"])
    grouped = findings.groupby(["checklist_id", "item_id"], sort=False).agg(
        问题=("item_text", "first"), 严重程度=("severity", "first"),
        涉及街镇数=("unit", "size"), 涉及区数=("district", "nunique"), 依据=("basis", "first"))
    grouped["_sev"] = [SEVERITY_ORDER.index(v) if v in SEVERITY_ORDER else 9 for v in grouped["严重程度"]]
    grouped = grouped.sort_values(["涉及街镇数", "_sev"], ascending=[False, True], kind="stable").head(n)
    table = grouped.drop(columns="_sev").reset_index(drop=True)
    table.insert(0, "序号", range(1, len(table) + 1))
    return table


def grade_distribution(s):
    """Number of 区 and of 街镇 in each grade."""
    import pandas as pd

    grades = list(GRADE_ORDER) + sorted((set(s.units["grade"]) | set(s.districts["grade"])) - set(GRADE_ORDER))
    return pd.DataFrame({"等级": grades,
                         "区数": [int((s.districts["grade"] == g).sum()) for g in grades],
                         "街镇数": [int((s.units["grade"] == g).sum()) for g in grades]})


def grade_chart(s):
    table = grade_distribution(s)
    fig, ax = _new_figure(6, 3.6)
    ax.bar(table["等级"], table["街镇数"], color=["#2e7d32", "#4a78a8", "#f0a30a", "#c0392b"][:len(table)])
    for x, v in zip(table["等级"], table["街镇数"]):
        ax.text(x, v, str(v), ha="center", va="bottom")
    ax.set_ylabel("街镇数")
    ax.set_title("街镇等级分布")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- sentences
def require_district_data(s, district: str) -> None:
    """Stop the report with a clear message when the district has no imported data this round."""
    from toolkit.errors import UserError

    if not (s.units["district"] == district).any():
        raise UserError(f"轮次 {s.round_id} 中没有{district}的检查数据（没有已导入的街镇检查表）。"
                        f"请先导入该区的检查表，或不为该区生成报告")


def district_summary_text(s, district: str) -> str:
    """One-sentence 基本情况 of a district (units, rate, grade, rank, problems by severity)."""
    units = _of(s.units, district)
    row = s.districts[s.districts["district"] == district].iloc[0]
    findings = _of(s.findings, district)
    counts = "，".join(f"{sev} {int((findings['severity'] == sev).sum())} 项"
                      for sev in SEVERITY_ORDER if (findings["severity"] == sev).any())
    text = (f"本轮（{s.round_id}）对{district} {len(units)} 个街镇开展督导检查，综合得分率 "
            f"{row['pct']:.1f}%，等级为“{row['grade']}”，在 {len(s.districts)} 个区中排第 "
            f"{int(row['rank'])} 名；发现问题 {len(findings)} 项")
    return text + (f"（{counts}）。" if counts else "。")


def city_summary_text(s) -> str:
    """One-sentence overview of the round across all districts (a one-district round: of the district)."""
    best = s.districts.sort_values("rank").iloc[0]
    findings = s.findings
    if len(s.districts) == 1:
        unit = s.units.sort_values(["pct", "unit"], ascending=[False, True]).iloc[0]
        return (f"本轮（{s.round_id}）对{best['district']} {len(s.units)} 个街镇开展督导检查，抽查低保案卷 "
                f"{int(s.case_files['sampled'].sum())} 份，全区综合得分率 {best['pct']:.1f}%（{best['grade']}），"
                f"得分率最高的街镇为{unit['unit']}（{unit['pct']:.1f}%）。共发现问题 {len(findings)} 项，其中严重问题 "
                f"{int((findings['severity'] == '严重').sum())} 项。")
    return (f"本轮（{s.round_id}）共检查 {len(s.districts)} 个区、{len(s.units)} 个街镇，抽查低保案卷 "
            f"{int(s.case_files['sampled'].sum())} 份；{best['district']}综合得分率最高"
            f"（{best['pct']:.1f}%）。共发现问题 {len(findings)} 项，其中严重问题 "
            f"{int((findings['severity'] == '严重').sum())} 项。")


def findings_count_table(s):
    """Number of problems per 区 and severity (rows ordered by rank)."""
    import pandas as pd

    order = list(s.districts.sort_values("rank")["district"])
    counts = pd.crosstab(s.findings["district"], s.findings["severity"]).reindex(order).fillna(0)
    columns = [c for c in SEVERITY_ORDER if c in counts.columns]
    counts = counts[columns].astype(int)
    counts["合计"] = counts.sum(axis=1)
    counts.insert(0, "区", counts.index)
    counts.columns.name = None
    return counts.reset_index(drop=True)


def load_previous(store, round_id: str, previous_round: str = "", district: str | None = None):
    """(previous round id or None, its scores or None) — the given round, else the one before.

    With ``district``, only that district is loaded, and None is returned when it had no data then.
    """
    from toolkit.inspections.scores.scores import list_districts, load_round_scores, previous_round as before

    prev_id = previous_round or before(store, round_id)
    if not prev_id:
        return None, None
    if district is not None and district not in list_districts(store, prev_id):
        return prev_id, None
    return prev_id, load_round_scores(store, prev_id, district)


def team_members(store, round_id: str, district: str | None = None):
    """Who inspected each district, named in full (they sign the report), and when.

    Columns: district, team_district, members (list, in first-seen order), first, last (dates).
    """
    import pandas as pd
    from sqlalchemy import select

    from toolkit.inspections.store import store as st

    engine = st.open_store(store)
    where = st.unit_results.c.round_id == str(round_id)
    if district:
        where = where & (st.units.c.district == district)
    with engine.connect() as conn:
        rows = conn.execute(select(st.units.c.district, st.unit_results.c.team_district,
                                   st.unit_results.c.inspectors, st.unit_results.c.inspected_on)
                            .join(st.units, st.units.c.id == st.unit_results.c.unit_id)
                            .where(where).order_by(st.units.c.district, st.units.c.name)).all()
    teams: dict[tuple[str, str], dict] = {}
    for d, team, names, day in rows:
        entry = teams.setdefault((d, team), {"members": [], "days": []})
        for name in str(names or "").split("、"):
            if name.strip() and name.strip() not in entry["members"]:
                entry["members"].append(name.strip())
        entry["days"].append(day)
    return pd.DataFrame([{"district": d, "team_district": t, "members": e["members"],
                          "first": min(e["days"]), "last": max(e["days"])}
                         for (d, t), e in teams.items()],
                        columns=["district", "team_district", "members", "first", "last"])

"""Text views for the terminal: the plan summary, import results and the scores table."""

from __future__ import annotations

from pathlib import Path

from toolkit import SAMPLE_MARK
from toolkit.checklists.text_table import format_table
from toolkit.inspections.intake.importer import ImportRecord
from toolkit.inspections.plan.plan import SAMPLE_RULE, Plan
from toolkit.inspections.scores.scores import RoundScores


def plan_text(plan: Plan) -> str:
    counts = plan.sample.groupby("district").agg(units=("unit", "nunique"), cases=("case_id", "size"))
    rows = [[d, t, int(counts.loc[d, "units"]) if d in counts.index else 0,
             int(counts.loc[d, "cases"]) if d in counts.index else 0] for d, t in plan.assignments]
    team = "检查组（派出区）" if plan.kind == "各区互检" else ("检查组" if plan.kind == "区级督导" else "检查组（各街镇自查）")
    lines = [f"轮次 {plan.round_id} {plan.kind}计划（随机种子 {plan.seed}）：",
             format_table(["被检查区", team, "街镇数", "抽查档案数"], rows),
             f"抽样规则：{SAMPLE_RULE}"]
    if plan.path:
        lines.append(f"计划已写入 {plan.path}")
    return "\n".join(lines)


def import_text(records: list[ImportRecord]) -> str:
    rows = [[r.district, r.unit, r.action, r.rows, r.source] for r in records]
    summary = "、".join(f"{a} {sum(1 for r in records if r.action == a)} 个"
                        for a in ("新增", "替换", "未变化") if any(r.action == a for r in records))
    return "导入完成：" + summary + "\n" + format_table(["区", "街镇", "处理", "行数", "来源"], rows)


def scores_text(s: RoundScores, district: str | None = None) -> str:
    mark = f"【{SAMPLE_MARK}】" if s.is_sample else ""
    out = [f"{mark}轮次 {s.round_id} 督导检查评分" + (f"：{district}" if district else "")]
    if district is None:
        out.append("\n区排名")
        out.append(format_table(["名次", "区", "得分", "应得分", "得分率%", "等次"],
                                [[r.rank, r.district, f"{r.score:.1f}", f"{r.max_points:g}", f"{r.pct:.1f}", r.grade]
                                 for r in s.districts.itertuples()]))
    units = s.units.merge(s.case_files, on=["district", "unit"], how="left")
    out.append("\n街镇得分与档案合规率（95% Wilson 区间）")
    out.append(format_table(
        ["区", "街镇", "得分率%", "等次", "抽查档案", "合规", "合规率%", "95%区间"],
        [[r.district, r.unit, f"{r.pct:.1f}", r.grade, _int(r.sampled), _int(r.compliant),
          _pct(r.rate), f"{_pct(r.ci_low)}–{_pct(r.ci_high)}"] for r in units.itertuples()]))
    if district is not None:
        out.append("\n分项得分")
        out.append(format_table(["街镇", "检查表", "部分", "得分", "应得分", "得分率%"],
                                [[r.unit, r.checklist_id, r.section, f"{r.score:.1f}", f"{r.max_points:g}",
                                  f"{r.pct:.1f}"] for r in s.sections.itertuples()]))
    severe = s.findings[s.findings["severity"] == "严重"]
    out.append(f"\n发现问题 {len(s.findings)} 项，其中严重 {len(severe)} 项；按出现次数最多的问题：")
    top = (s.findings.groupby(["item_id", "item_text", "severity", "basis"]).size()
           .sort_values(ascending=False).head(10).reset_index(name="count"))
    out.append(format_table(["编号", "问题", "严重程度", "街镇数", "依据"],
                            [[r.item_id, r.item_text, r.severity, r.count, r.basis] for r in top.itertuples()]))
    return "\n".join(out)


def _int(value) -> str:
    return "" if value != value else str(int(value))   # NaN-safe


def _pct(value) -> str:
    return "" if value != value else f"{value * 100:.1f}"


def paths_text(title: str, paths: list[Path]) -> str:
    return title + "\n" + "\n".join(f"  {p}" for p in paths)

"""The Chinese words of the supervision reports, in one place for review.

Titles come from :func:`report_title`, so a round kind (街镇自查, 区级督导, 互检…) only has to add
its name to :data:`KIND_TITLES`.  Headings, the standing rectification requirements and the
annex names are here too; the report composition (``report_body``) only fills in numbers.
"""

from __future__ import annotations

SUBJECT = "社会救助管理服务质量"
KIND_TITLES = {"": "督导检查报告", "督导检查": "督导检查报告", "区级督导": "区级督导检查报告",
               "互检": "互检报告", "街镇自查": "街镇自查报告"}
SUMMARY_SCOPE = "全市汇总"

HEADINGS = {
    "basic": "一、基本情况",
    "overall": "一、总体情况",
    "good": "二、主要做法和成效",
    "problems": "三、存在问题",
    "rectify": "四、整改要求",
}
SUBHEADINGS = {
    "inspection": "（一）检查情况",
    "scores": "（二）得分情况",
    "case_files": "（三）低保案卷抽查",
    "previous": "（四）与上一轮比较",
}

ANNEX_DETAILS = "各街镇问题明细"
ANNEX_CITY = "各区得分与问题统计"
RECTIFICATION_BOOK = "整改清单.xlsx"

DISTRICT_REQUIREMENTS = [
    "（一）逐项整改。各街镇对照附件1和整改清单逐项制定整改措施，明确责任人和完成时限；"
    "涉及档案的问题，按所列档案编号逐份补正，不能补正的写明原因。",
    "（二）举一反三。对本次抽查以外的档案和工作环节开展自查，同类问题一并整改，"
    "从制度和流程上堵塞漏洞，防止问题反复出现。",
    "（三）按时报送。请于完成时限前在整改清单中填写整改措施、完成日期、佐证材料和完成情况，"
    "连同佐证材料书面报区民政部门；区民政部门汇总后报市民政局。",
    "（四）跟踪问效。区民政部门对整改情况进行复查，整改不到位的督促限期完成，"
    "复查结果纳入下一轮督导检查。",
]
CITY_REQUIREMENTS = [
    "（一）各区对照本区督导检查报告和整改清单，督促所辖街镇逐项整改，"
    "严重问题优先整改，区民政部门逐项复核。",
    "（二）对多个区共同存在的问题，各区结合实际完善制度和工作流程，"
    "市民政局将组织专题培训。",
    "（三）各区于完成时限前将整改清单（含整改措施、完成日期、佐证材料和完成情况）报市民政局，"
    "整改情况纳入下一轮督导检查。",
]

NO_PROBLEMS = "本轮检查未发现问题。"
NO_PRACTICES = "本轮没有所有街镇均得满分的检查项。"
DEFAULT_OFFICE = "市民政局"


def report_title(name: str = "", kind: str = "") -> str:
    """'东湖区社会救助管理服务质量督导检查报告' (``name`` empty: the city summary's title)."""
    ending = KIND_TITLES.get(kind, kind if kind.endswith("报告") else f"{kind}报告")
    if not name:
        return f"{SUBJECT}{ending.removesuffix('报告')}全市汇总报告"
    return f"{name}{SUBJECT}{ending}"


def chinese_date(day) -> str:
    """'2019年12月23日' (the date line of a 落款, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"

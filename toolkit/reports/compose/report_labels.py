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
ANNEX_CITY = "{districts}得分与问题统计"     # 各区, or 本区 in a one-district summary
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

# 反弹: the rectification stage's labels (a report and the 整改清单 say it the same way)
from toolkit.inspections.rectification.rectification_labels import (  # noqa: E402,F401
    RECURRENCE, RECURRENCE_COLUMN, RECURRENCE_MARK, RECURRENCE_PREFIX, RECURRENCE_TAG,
)

# 宣传与培训: the training figures recorded when the forms were pre-filled (training_figures)
TRAINING = {
    "heading_district": "（五）宣传与培训",
    "heading_city": "（四）宣传与培训",
    "district": "宣传与培训方面，{towns} 个街镇检查表中的“{item}”{n_items}项按培训台账中的培训数字预填建议值"
                "（来源：{source}），共 {total} 项，检查组核实后采纳 {kept} 项、修改 {changed} 项。"
                "各街镇的培训数字和检查组评定见附件1。",
    "city": "宣传与培训方面，各区检查表中的培训项目按培训台账预填建议值，检查组核实后采纳 {kept} 项、"
            "修改 {changed} 项，各区情况如下（各街镇的培训数字见各区督导检查报告）：",
    "caption_district": "各街镇培训数字与检查组评定",
    "caption_city": "各区培训建议值采纳情况",
}

ONE_DISTRICT_REQUIREMENTS = [
    "（一）各街镇对照本报告和整改清单逐项整改，严重问题优先整改，区民政部门逐项复核。",
    "（二）对多个街镇共同存在的问题，各街镇结合实际完善制度和工作流程，区民政部门组织专题培训。",
    "（三）各街镇于完成时限前将整改清单（含整改措施、完成日期、佐证材料和完成情况）报区民政部门，"
    "整改情况纳入下一轮督导检查。",
]
# The summary's words: the city's, or — a round of one district (全区汇总) — the district's
SUMMARY_WORDS = {
    "city": {"area": "全市", "districts": "各区", "office": "{office}",
             "lead": "各区督促所辖街镇对照整改清单逐项整改，整改情况按期报市民政部门。"},
    "district": {"area": "全区", "districts": "本区", "office": "{district}民政局",
                 "lead": "请各街镇对照整改清单逐项整改，整改情况按期报区民政部门。"},
}

NO_PROBLEMS = "本轮检查未发现问题。"
NO_PRACTICES = "本轮没有所有街镇均得满分的检查项。"
DEFAULT_OFFICE = "市民政局"


def report_title(name: str = "", kind: str = "") -> str:
    """'东湖区社会救助管理服务质量督导检查报告' (``name`` empty: the city summary's title)."""
    ending = KIND_TITLES.get(kind, kind if kind.endswith("报告") else f"{kind}报告")
    if not name:
        return f"{SUBJECT}{ending.removesuffix('报告')}全市汇总报告"
    return f"{name}{SUBJECT}{ending}"


COUNT_WORDS = "一两三四五六七八九十"     # "两项" before a measure word, not "二项"


def chinese_count(n: int) -> str:
    """1 → '一', 2 → '两' … 10 → '十' (a count before a measure word); larger counts in digits."""
    return COUNT_WORDS[n - 1] if 1 <= n <= len(COUNT_WORDS) else f" {n} "


def chinese_date(day) -> str:
    """'2019年12月23日' (the date line of a 落款, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def summary_words(districts: list[str], office: str = DEFAULT_OFFICE) -> dict:
    """{'area': '全市' | '全区', 'districts': '各区' | '本区', 'office': who signs, 'lead': …,
    'requirements': […]} for the summary."""
    one = len(districts) == 1
    words = dict(SUMMARY_WORDS["district" if one else "city"])
    words["office"] = words["office"].format(office=office, district=districts[0] if one else "")
    words["requirements"] = ONE_DISTRICT_REQUIREMENTS if one else CITY_REQUIREMENTS
    return words

"""Chinese titles of the rule ids the training questions are tagged with (for analytics).

Procedure rule ids are the policy engine's own (``toolkit.policy.RULES``); the others name the
concept a question tests.  A test keeps every question's rule id covered here or in the engine.
"""

from __future__ import annotations

TRAINING_RULES: dict[str, str] = {
    # m01 家庭收入核算与低保金
    "income_excluded": "不计入家庭收入的项目",
    "income_counted": "计入家庭收入的项目",
    "per_capita_income": "家庭月人均收入计算",
    "standard_in_force": "评估日适用的低保标准",
    "eligibility_threshold": "人均收入低于（不含等于）低保标准",
    "benefit_amount": "低保金按差额计算",
    # m02 审核确认流程与时限
    "rule_set": "按受理日期适用的办法",
    "procedure_violations": "识别办理流程中的违规",
    "workday_counting": "工作日计算（节假日与调休）",
    # m03 档案材料核查
    "file_missing": "档案应有材料",
    "file_defects": "材料的签名、日期和人数",
    # m04 一口受理与一次性告知
    "one_window": "一门办理、一口受理",
    "one_time_notice": "一次性告知补正材料",
    "first_inquiry": "首问负责",
    "one_time_notice_letter": "一次性告知书的写作",
    # m05 资金发放核对
    "funds_deceased": "死亡后仍发放",
    "funds_duplicate": "重复发放",
    "funds_amount": "发放金额与核定金额不符",
    "funds_after_stop": "停发后仍发放",
    "funds_recovery": "应追回资金",
    "funds_top_up": "应补发资金",
    # m06 支出型贫困与临时救助
    "expenditure_income_test": "支出型贫困：收入低于上年度人均可支配收入",
    "expenditure_cost_test": "支出型贫困：扣除医疗支出后的人均收入",
    "expenditure_eligibility": "支出型贫困家庭认定",
    "expenditure_amount": "支出型贫困生活救助金额",
    "temporary_eligibility": "临时救助申请对象",
    "temporary_amount": "临时救助一般标准与期限",
}


def rule_title(rule: str) -> str:
    """Chinese title of a question's rule id; '' when unknown."""
    from toolkit.policy import RULES

    if rule in RULES:
        return RULES[rule].title
    return TRAINING_RULES.get(rule, "")

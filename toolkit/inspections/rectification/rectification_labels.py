"""Labels of the rectification stage that reports repeat: 反弹 (a problem reported 已整改 and found again)."""

# 反弹 (toolkit.inspections.rectification.recurrence): problems reported 已整改 last round and found again
RECURRENCE_MARK = "反弹"
RECURRENCE_TAG = "（反弹）"                    # after a 街镇's name in the problem tables
RECURRENCE_PREFIX = "【反弹】"                 # before a problem in 附件1 and the 整改清单
RECURRENCE_COLUMN = "标记"                     # the 整改清单 column that says 反弹
RECURRENCE = {
    "district": "上述 {total} 处问题中，{n} 处为反弹问题：在上一轮（{prev}）检查后已报告“已整改”，本轮再次发现，"
                "表中在街镇名称后标注“（反弹）”，整改清单“标记”列注明“反弹”。请相关街镇查明原因，重点整改。",
    "city": "与上一轮（{prev}）相比，共有 {n} 处问题在已报告“已整改”后本轮再次发现（反弹），各区分布如下：",
    "caption": "各区反弹问题数",
    "columns": ["区", "反弹问题数", "涉及街镇"],
    # a one-district summary (全区汇总): per 街镇, no 各区
    "one_district": "与上一轮（{prev}）相比，共有 {n} 处问题在已报告“已整改”后本轮再次发现（反弹），本区各街镇分布如下：",
    "caption_one_district": "本区各街镇反弹问题数",
    "columns_one_district": ["街镇", "反弹问题数"],
    "previous": "上一轮检查后已报告整改（{day}），本轮再次发现",
}

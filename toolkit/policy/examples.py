"""Worked households and case timelines shown by ``jiuzhu demo`` (fictional people, 示例数据)."""

from __future__ import annotations

HOUSEHOLDS: list[tuple[str, dict]] = [
    ("三口之家，奖学金不计入收入（2022年）", {
        "region": "shanghai", "date": "2022-03-01",
        "members": [{"name": "张三", "age": 45, "income": {"wage": 1500, "scholarship": 800}},
                    {"name": "李四", "age": 43, "disability_grade": 2},
                    {"name": "张小明", "age": 12}],
        "assets": {"deposits": 20000}}),
    ("人均收入恰好等于标准，不符合条件（2018年）", {
        "date": "2018-06-01",
        "members": [{"name": "王五", "age": 58, "income": {"wage": 2000, "pension": 140}},
                    {"name": "赵六", "age": 56}]}),
    ("新标准施行当天（2021年7月1日），有未成年人", {
        "date": "2021-07-01",
        "members": [{"name": "钱七", "age": 38, "income": {"wage": 1800, "assistance": 600}},
                    {"name": "钱小七", "age": 9}],
        "assets": {"deposits": 5000}}),
    ("拥有生活用机动车，财产状况不符合", {
        "date": "2022-08-01",
        "members": [{"name": "孙八", "age": 50, "income": {"business": 900}}],
        "assets": {"deposits": 3000, "vehicles": 1}}),
]

TIMELINES: list[tuple[str, dict]] = [
    ("2021年规则：调查人数不足、公示只有6天、受理与审核同一人", {
        "decision": "approved",
        "steps": [{"step": "accept", "date": "2022-03-01", "staff": ["王芳"]},
                  {"step": "investigate", "date": "2022-03-03", "staff": ["李强"]},
                  {"step": "review", "date": "2022-03-10", "staff": ["王芳"]},
                  {"step": "notice_start", "date": "2022-03-11"},
                  {"step": "notice_end", "date": "2022-03-16"},
                  {"step": "approve", "date": "2022-03-18", "staff": ["赵敏"]}]}),
    ("2012年规则：国庆长假前受理，合规办结", {
        "decision": "approved",
        "steps": [{"step": "accept", "date": "2018-09-28", "staff": ["周一"]},
                  {"step": "investigate", "date": "2018-10-09", "staff": ["吴二", "郑三"]},
                  {"step": "appraise", "date": "2018-10-12", "staff": ["吴二"], "participants": 9, "representatives": 6},
                  {"step": "review", "date": "2018-10-15", "staff": ["冯四"]},
                  {"step": "notice_start", "date": "2018-10-16"},
                  {"step": "notice_end", "date": "2018-10-22"},
                  {"step": "approve", "date": "2018-10-24", "staff": ["陈五"]}]}),
    ("不予批准：近亲属未备案，告知超过3个工作日", {
        "decision": "refused", "near_relative_of_staff": True, "near_relative_filed": False,
        "steps": [{"step": "accept", "date": "2023-09-25", "staff": ["褚六"]},
                  {"step": "investigate", "date": "2023-09-27", "staff": ["卫七", "蒋八"]},
                  {"step": "review", "date": "2023-09-28", "staff": ["沈九"]},
                  {"step": "approve", "date": "2023-10-09", "staff": ["韩十"]},
                  {"step": "refuse_notice", "date": "2023-10-13", "staff": ["沈九"]}]}),
]

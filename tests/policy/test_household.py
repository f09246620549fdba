"""低保 means test: hand-worked households, each citing the rule it exercises."""

from decimal import Decimal

import pytest

from toolkit.errors import InputError, ParameterMissing
from toolkit.policy import assess, standard_on
from datetime import date


def household(day, *members, assets=None, **extra):
    data = {"date": day, "members": list(members), **extra}
    if assets is not None:
        data["assets"] = assets
    return data


def test_issue_example_household():
    # 条例 art. 10 and 16: per-capita 1500/3 = 500 < 1330 → gap 1330×3 − 1500 = 2490.
    # The scholarship is excluded income (民发〔2021〕57号 第十三条, in force from 2021-07-01).
    result = assess(household("2022-03-01",
                              {"name": "张三", "age": 45, "income": {"wage": 1500, "scholarship": 800}},
                              {"name": "李四", "age": 43, "disability_grade": 2},
                              {"name": "张小明", "age": 12},
                              assets={"deposits": 20000}))
    assert result["standard"] == 1330
    assert result["household_size"] == 3
    assert result["counted_income"] == 1500.0
    assert result["excluded_income"] == 800.0
    assert result["per_capita_income"] == 500.0
    assert result["eligible"] is True and result["reasons"] == []
    assert result["monthly_benefit"] == 2490.0
    assert [s["monthly_amount"] for s in result["supplements"]] == [400.0]     # 1730 − 1330 (M)
    assert "《上海市社会救助条例》第十条" in result["basis"]
    assert "《最低生活保障审核确认办法》（民发〔2021〕57号）第十三条" in result["basis"]
    # No figure on file for the severely disabled: said, not invented.
    assert any("重度残疾人" in n for n in result["notes"])


def test_income_equal_to_standard_is_not_eligible():
    # 条例 art. 10: income must be *below* the standard. 2 × 1070 = 2140 → per capita exactly 1070.
    result = assess(household("2018-06-01", {"name": "王五", "income": {"wage": 2000, "pension": 140}},
                              {"name": "赵六"}))
    assert result["per_capita_income"] == 1070.0
    assert result["eligible"] is False
    assert result["monthly_benefit"] == 0.0
    assert result["reasons"] == ["家庭月人均收入 1070.00 元不低于当时低保标准 1070 元（2018-04-01 起施行）"]


def test_one_yuan_below_standard_is_eligible():
    result = assess(household("2018-06-01", {"name": "王五", "income": {"wage": 2138}}, {"name": "赵六"}))
    assert result["per_capita_income"] == 1069.0
    assert result["eligible"] is True
    assert result["monthly_benefit"] == 2.0


def test_day_a_new_standard_starts():
    # 1160 from 2019-04-01; the day before, 1070 is in force.
    member = {"name": "钱七", "income": {"wage": 1100}}
    before = assess(household("2019-03-31", member))
    on_day = assess(household("2019-04-01", member))
    assert before["standard"] == 1070 and before["eligible"] is False
    assert on_day["standard"] == 1160 and on_day["eligible"] is True
    assert on_day["monthly_benefit"] == 60.0


def test_from_2021_yearly_change_is_on_1_july():
    assert standard_on(date(2021, 6, 30)).value == Decimal(1240)
    assert standard_on(date(2021, 7, 1)).value == Decimal(1330)
    result = assess(household("2021-07-01", {"name": "孙八", "income": {"wage": 1000}}))
    # 2021 rules: benefit basis cites 民发〔2021〕57号 第二十三条.
    assert any("第二十三条" in b and "2021" in b for b in result["basis"])


def test_excluded_incomes_do_not_count():
    excluded = {"special_care": 300, "family_planning_award": 50, "scholarship": 800,
                "heroism_award": 1000, "assistance": 500, "basic_pension_central": 200}
    result = assess(household("2022-08-01", {"name": "周九", "income": {"wage": 1000, **excluded}}))
    assert result["counted_income"] == 1000.0
    assert result["excluded_income"] == 2850.0
    assert result["eligible"] is True
    assert result["monthly_benefit"] == 420.0  # 1420 − 1000


def test_per_capita_rounds_half_up():
    result = assess(household("2020-05-01", {"name": "甲", "income": {"wage": "1000.05"}}, {"name": "乙"}))
    assert result["per_capita_income"] == 500.03  # 500.025 → 500.03
    assert result["monthly_benefit"] == 1479.95  # 1240×2 − 1000.05


def test_minor_supplement_from_2022_parameters():
    result = assess(household("2022-08-01", {"name": "吴十", "age": 40, "income": {"wage": 1000}},
                              {"name": "吴小", "age": 10}))
    assert result["eligible"] is True
    assert result["monthly_benefit"] == 1840.0  # 1420×2 − 1000
    assert result["supplements"] == [{
        "type": "minor", "title": "未成年人分类施保", "member": "吴*", "monthly_amount": 430.0,
        "basis": "《上海市社会救助条例》第十六条（分类施保）", "confidence": "M"}]


@pytest.mark.parametrize("assets,reason", [
    ({"deposits": 90003}, "家庭人均货币财产 30001.00 元超过 3 人家庭的限额 30000 元"),
    ({"vehicles": 1}, "机动车 1 辆"),
    ({"non_residential_properties": 1}, "非居住类房产 1 处"),
    ({"homes": 2}, "住房 2 套，超过可拥有的 1 套"),
])
def test_property_test_failures(assets, reason):
    result = assess(household("2019-06-01", {"name": "甲", "income": {}}, {"name": "乙"}, {"name": "丙"}, assets=assets))
    assert result["eligible"] is False
    assert any(reason in r for r in result["reasons"])
    assert result["monthly_benefit"] == 0.0


def test_property_limits_for_small_households_and_small_homes():
    # 1–2 person households: 33,000 per capita; two homes allowed when floor area is below average.
    ok = assess(household("2019-06-01", {"name": "甲"}, {"name": "乙"},
                          assets={"deposits": 66000, "homes": 2, "per_capita_floor_area_below_average": True}))
    assert ok["eligible"] is True
    assert any("可信度为 L" in n for n in ok["notes"])


def test_wage_at_minimum_wage_is_flagged_not_discounted():
    result = assess(household("2019-06-01", {"name": "郑一", "income": {"wage": 2480}},
                              {"name": "郑二"}, {"name": "郑三"}))
    assert result["counted_income"] == 2480.0
    assert any("第二十七条" in n and "郑*" in n for n in result["notes"])


def test_full_width_digits_and_yuan_accepted():
    result = assess(household("２０１９年５月１日", {"name": "甲", "income": {"wage": "１，５００元"}}))
    assert result["counted_income"] == 1500.0


@pytest.mark.parametrize("day", ["2008-03-31", "2027-07-01", "2030-01-01"])
def test_dates_without_a_standard_on_file_are_errors(day):
    with pytest.raises(ParameterMissing) as err:
        assess(household(day, {"name": "甲"}))
    assert day in str(err.value) and "shanghai.yaml" in str(err.value)


def test_property_limits_missing_before_2019_is_an_error_when_assets_given():
    with pytest.raises(ParameterMissing, match="家庭财产状况认定标准"):
        assess(household("2018-06-01", {"name": "甲"}, assets={"deposits": 1}))


@pytest.mark.parametrize("data,where", [
    ({"date": "2019-05-01", "members": [{"income": {"salary": 100}}]}, "members[0].income.salary"),
    ({"date": "2019-05-01", "members": [{"income": {"wage": -1}}]}, "members[0].income.wage"),
    ({"date": "2019-05-01", "members": [{"income": {"wage": "abc"}}]}, "members[0].income.wage"),
    ({"date": "2019-02-30", "members": [{}]}, "date"),
    ({"date": "2019-05-01", "members": []}, "members"),
    ({"date": "2019-05-01", "members": [{"nick": "x"}]}, "members[0].nick"),
    ({"date": "2019-05-01", "members": [{}], "assets": {"gold": 1}}, "assets.gold"),
    ({"date": "2019-05-01", "members": [{}], "region": "mars"}, "region"),
    ({"members": [{}]}, "date"),
])
def test_bad_input_names_the_field(data, where):
    with pytest.raises(InputError) as err:
        assess(data)
    assert str(err.value).startswith(where + "：")

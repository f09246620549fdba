"""支出型贫困 and 临时救助 (《上海市社会救助条例》第十二、十八、十五、二十九条), worked by hand."""

from decimal import Decimal

import pytest

from toolkit.policy.special import expenditure_test, temporary_assistance_cap


@pytest.mark.parametrize(("counted", "medical", "size", "below", "after", "meets", "aid"), [
    (3000, 2000, 2, True, "500.00", True, "1660.00"),      # gap: 1330 × 2 − (3000 − 2000)
    (1000, 1500, 2, True, "0.00", True, "2660.00"),        # costs exceed income: the full standard
    (4000, 500, 2, True, "1750.00", False, "0.00"),        # still above the standard after costs
    (3000, 2000, 2, False, "500.00", False, "0.00"),       # income above the city average
])
def test_expenditure_test_worked_by_hand(counted, medical, size, below, after, meets, aid):
    result = expenditure_test(Decimal(counted), Decimal(medical), size, Decimal(1330), below)
    assert result.per_capita_after_costs == Decimal(after)
    assert result.meets_cost_test is meets
    assert result.monthly_aid == Decimal(aid)



@pytest.mark.parametrize("persons,months,status,cap", [
    (3, 2, "hukou", "7980.00"),              # 1330 × 3 × 2
    (2, 5, "residence_permit", "7980.00"),   # at most 3 months: 1330 × 2 × 3
    (2, 1, "none", "0"),                     # neither hukou nor 居住证
])
def test_temporary_assistance_cap(persons, months, status, cap):
    assert temporary_assistance_cap(Decimal(1330), persons, months, status) == Decimal(cap)

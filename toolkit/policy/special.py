"""支出型贫困 and 临时救助 (《上海市社会救助条例》), only as far as policy-facts supports.

- 支出型贫困 (art. 12, 18): per-capita income below last year's city average disposable income,
  property within the low-income test, and income minus medical costs below the 低保 standard;
  benefit = the gap, or the full standard when costs exceed income.  The alternative test
  "medical costs above a set share of income" has no share on file and is not encoded.
- 临时救助 (art. 15, 29, 36): generally at most the 低保 standard per person per month, for at most
  3 months per episode; hukou families and 居住证 holders may apply.
The city average income and the household's medical costs are inputs, never parameters guessed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from toolkit.policy import basis

CENT = Decimal("0.01")
TEMPORARY_MAX_MONTHS = 3
TEMPORARY_ELIGIBLE_STATUS = ("hukou", "residence_permit")
EXPENDITURE_BASIS = basis.sh("第十二条、第十八条")
TEMPORARY_BASIS = basis.sh("第十五条、第二十九条、第三十六条")


@dataclass(frozen=True)
class ExpenditureTest:
    per_capita_after_costs: Decimal      # (counted income − medical costs) / size, at least 0
    meets_cost_test: bool                # below the city average and below the 低保 standard after costs
    monthly_aid: Decimal                 # the gap, or the full standard when costs exceed income


def expenditure_test(counted: Decimal, medical: Decimal, size: int, standard: Decimal,
                     below_city_average: bool) -> ExpenditureTest:
    """支出型贫困 test and monthly amount (property assumed within the low-income limits)."""
    after = max(Decimal(0), (counted - medical) / size).quantize(CENT, rounding=ROUND_HALF_UP)
    meets = below_city_average and after < standard
    if not meets:
        aid = Decimal(0)
    elif medical >= counted:
        aid = standard * size
    else:
        aid = standard * size - (counted - medical)
    return ExpenditureTest(after, meets, aid.quantize(CENT))


def temporary_assistance_cap(standard: Decimal, persons: int, months: int, status: str) -> Decimal:
    """Most 临时救助 in the general case: standard × persons × min(months, 3); 0 when not eligible."""
    if status not in TEMPORARY_ELIGIBLE_STATUS:
        return Decimal(0)
    return (standard * persons * min(months, TEMPORARY_MAX_MONTHS)).quantize(CENT)

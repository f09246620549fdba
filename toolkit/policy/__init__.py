"""The policy core: rules as pure functions over plain data, parameters as dated YAML.

Imports nothing of ours except the leaf helpers ``toolkit.errors`` and ``toolkit.privacy``.
"""

from toolkit.policy.limits import Limit, RuleSet, limit_for, rule_set_for
from toolkit.policy.means_test import COUNTED_INCOME, EXCLUDED_INCOME, assess, benefit_basis, income_basis
from toolkit.policy.params import Param, available_regions, load_region, standard_on, standard_span
from toolkit.policy.procedure import RULES, STEPS, Rule, Step, check_procedure, check_steps, rule_title
from toolkit.policy.workdays import WorkdayCount, WorkdayResult, add_workdays, is_workday, workdays_between

__all__ = [
    "COUNTED_INCOME", "EXCLUDED_INCOME", "RULES", "STEPS", "Limit", "Param", "Rule", "RuleSet", "Step",
    "WorkdayCount", "WorkdayResult", "add_workdays", "assess", "available_regions", "benefit_basis",
    "check_procedure", "check_steps", "income_basis", "is_workday", "limit_for", "load_region", "rule_set_for", "rule_title",
    "standard_on", "standard_span", "workdays_between",
]

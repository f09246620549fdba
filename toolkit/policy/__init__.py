"""The policy core: rules as pure functions over plain data, parameters as dated YAML.

Imports nothing of ours except the leaf helpers ``toolkit.errors`` and ``toolkit.privacy``.
"""

from toolkit.policy.means_test import COUNTED_INCOME, EXCLUDED_INCOME, assess
from toolkit.policy.params import Param, available_regions, load_region, standard_on
from toolkit.policy.procedure import RULES, STEPS, Rule, Step, check_procedure, check_steps
from toolkit.policy.workdays import WorkdayCount, WorkdayResult, add_workdays, is_workday, workdays_between

__all__ = [
    "COUNTED_INCOME", "EXCLUDED_INCOME", "RULES", "STEPS", "Param", "Rule", "Step", "WorkdayCount", "WorkdayResult",
    "add_workdays", "assess", "available_regions", "check_procedure", "check_steps", "is_workday", "load_region",
    "standard_on", "workdays_between",
]

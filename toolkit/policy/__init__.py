"""The policy core: rules as pure functions over plain data, parameters as dated YAML.

Imports nothing of ours except the leaf helpers ``toolkit.errors``, ``toolkit.privacy`` and ``toolkit.lazy``.
The names below are loaded from their modules on first use (PEP 562), so that importing one
module of the package (``toolkit.policy.inputs`` in every graded kernel) does not import every
rule module and PyYAML.
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.policy.limits": ("Limit", "RuleSet", "limit_for", "rule_set_for"),
    "toolkit.policy.household": ("COUNTED_INCOME", "EXCLUDED_INCOME", "assess", "benefit_basis", "excluded_income_on",
                                 "income_basis", "regulation_cite"),
    "toolkit.policy.params": ("Param", "available_regions", "load_region", "standard_on", "standard_span"),
    "toolkit.policy.procedure": ("RULES", "STEPS", "Rule", "Step", "check_procedure", "check_steps", "rule_title"),
    "toolkit.policy.workdays": ("WorkdayCount", "WorkdayResult", "add_workdays", "is_workday", "workdays_between"),
})

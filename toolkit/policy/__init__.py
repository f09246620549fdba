"""The policy core: rules as pure functions over plain data, parameters as dated YAML.

Imports nothing of ours except the leaf helpers ``toolkit.errors`` and ``toolkit.privacy``.
The names below are loaded from their modules on first use (PEP 562), so that importing one
module of the package (``toolkit.policy.inputs`` in every graded kernel) does not import every
rule module and PyYAML.
"""

from importlib import import_module

_FROM = {
    "toolkit.policy.limits": ("Limit", "RuleSet", "limit_for", "rule_set_for"),
    "toolkit.policy.means_test": ("COUNTED_INCOME", "EXCLUDED_INCOME", "assess", "benefit_basis", "income_basis"),
    "toolkit.policy.params": ("Param", "available_regions", "load_region", "standard_on", "standard_span"),
    "toolkit.policy.procedure": ("RULES", "STEPS", "Rule", "Step", "check_procedure", "check_steps", "rule_title"),
    "toolkit.policy.workdays": ("WorkdayCount", "WorkdayResult", "add_workdays", "is_workday", "workdays_between"),
}
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

"""The loop joining the two flows: training planned from a round's findings, and the training
ledger turned into proposed results on the next round's forms.

``course_plan`` (findings → 培训计划.xlsx, 发布名单, the hub course's trainees; ``jiuzhu course plan``),
``training_plan`` (which exercise for which 街镇 and trainee, from the rules a finding breaks),
``training_facts`` (培训台账 → the 宣传与培训 items pre-filled as proposals; ``inspect forms --training``).
Imports inspections, reports and training; nothing is imported until a name is used (PEP 562).
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.loop.course_plan": ("round_findings", "write_plan"),
    "toolkit.loop.training_plan": ("training_plan", "unit_overview", "unmatched", "release_list"),
    "toolkit.loop.training_facts": ("read_ledger_facts", "write_forms_with_training"),
})

"""Every question's rule id has a Chinese title, so the training report names rules, not ids."""

from toolkit.cases import ASSIGNMENTS
from toolkit.cases.base import case_for
from toolkit.cases.rules import rule_title


def test_every_rule_id_has_a_title():
    missing = set()
    for assignment in ASSIGNMENTS:
        for student in ("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"):
            for question in case_for("jiuzhu", assignment, student).questions:
                if not rule_title(question.rule):
                    missing.add((assignment, question.id, question.rule))
    assert not missing

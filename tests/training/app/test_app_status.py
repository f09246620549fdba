"""我的练习's status and next step for every situation a cadre can be in (table-driven)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from toolkit.training.app.status import Action, Facts, Status, standing

T0 = datetime(2026, 12, 6, 4, 0, tzinfo=timezone.utc)
BEFORE, AFTER = T0 - timedelta(minutes=5), T0 + timedelta(minutes=5)

CASES = [
    # what the cadre did                                   status                 next step        changed  old feedback
    ("released, not fetched", Facts(fetched=False), Status.NOT_STARTED, Action.START, False, False),
    ("fetched, nothing answered", Facts(True, 0, 6), Status.IN_PROGRESS, Action.CONTINUE, False, False),
    ("fetched, half answered", Facts(True, 3, 6), Status.IN_PROGRESS, Action.CONTINUE, False, False),
    ("fetched, all answered", Facts(True, 6, 6), Status.IN_PROGRESS, Action.SUBMIT, False, False),
    ("case unknown: never offers 提交 blindly", Facts(True, 6, 0), Status.IN_PROGRESS, Action.CONTINUE, False, False),
    ("submitted, no feedback yet", Facts(True, 6, 6, T0, BEFORE), Status.SUBMITTED, Action.CONTINUE, False, False),
    ("submitted partly blank", Facts(True, 4, 6, T0, BEFORE), Status.SUBMITTED, Action.CONTINUE, False, False),
    ("submitted, folder deleted since", Facts(False, 0, 6, T0), Status.SUBMITTED, Action.START, False, False),
    ("graded: feedback of the latest submission", Facts(True, 6, 6, T0, BEFORE, True, 8.0),
     Status.GRADED, Action.FEEDBACK, False, False),
    ("graded, folder deleted since", Facts(False, 0, 6, T0, None, True, 8.0), Status.GRADED, Action.FEEDBACK, False, False),
    ("answer changed after submitting", Facts(True, 6, 6, T0, AFTER), Status.IN_PROGRESS, Action.SUBMIT, True, False),
    ("answer cleared after submitting", Facts(True, 5, 6, T0, AFTER), Status.IN_PROGRESS, Action.SUBMIT, True, False),
    ("changed after grading: resubmit, old feedback still readable", Facts(True, 6, 6, T0, AFTER, True, 8.0),
     Status.IN_PROGRESS, Action.SUBMIT, True, True),
    ("submitted, its time in a zone nobody can tell (CST)", Facts(True, 6, 6, None, AFTER, submitted=True),
     Status.SUBMITTED, Action.CONTINUE, False, False),
    ("graded, submission time unknown", Facts(True, 6, 6, None, AFTER, True, 8.0, submitted=True),
     Status.GRADED, Action.FEEDBACK, False, False),
    ("saved exactly at submission time", Facts(True, 6, 6, T0, T0), Status.SUBMITTED, Action.CONTINUE, False, False),
]


@pytest.mark.parametrize("facts,status,action,changed,old_feedback",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_standing(facts, status, action, changed, old_feedback):
    found = standing(facts)
    assert (found.status, found.action, found.changed_after_submit, found.feedback_too) == (
        status, action, changed, old_feedback)

"""Where a trainee stands on one exercise, and the one next step (pure logic, table-tested).

Inputs are what nbgrader's exchange listing and the trainee's own folder tell: released, fetched,
questions answered, the latest submission's time, the newest answer's time, whether feedback of
the latest submission exists (and its score).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class Status(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    GRADED = "graded"


class Action(str, Enum):
    START = "start"
    CONTINUE = "continue"
    SUBMIT = "submit"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class Facts:
    fetched: bool                           # the exercise folder is in the trainee's home
    answered: int = 0                       # questions answered (answers.json)
    total: int = 0                          # questions of the case (0: unknown)
    submitted_at: datetime | None = None    # the latest submission (UTC); None: none, or time unknown
    last_saved: datetime | None = None      # the newest saved answer (UTC)
    feedback: bool = False                  # feedback of the latest submission exists
    score: float | None = None              # from that feedback
    submitted: bool | None = None           # a submission exists (None: whenever submitted_at is set)

    @property
    def has_submission(self) -> bool:
        return self.submitted if self.submitted is not None else self.submitted_at is not None


@dataclass(frozen=True)
class Standing:
    status: Status
    action: Action
    changed_after_submit: bool = False
    feedback_too: bool = False              # an older submission's feedback can still be read


def standing(facts: Facts) -> Standing:
    """The status shown on 我的练习 and the button for the next step."""
    submitted = facts.has_submission
    changed = (facts.submitted_at is not None and facts.fetched and facts.last_saved is not None
               and facts.last_saved > facts.submitted_at)
    complete = facts.total > 0 and facts.answered >= facts.total
    if submitted and not changed:
        if facts.feedback:
            return Standing(Status.GRADED, Action.FEEDBACK)
        return Standing(Status.SUBMITTED, Action.CONTINUE if facts.fetched else Action.START)
    if not facts.fetched:
        return Standing(Status.NOT_STARTED, Action.START)
    return Standing(Status.IN_PROGRESS, Action.SUBMIT if complete or changed else Action.CONTINUE,
                    changed_after_submit=changed, feedback_too=changed and facts.feedback)

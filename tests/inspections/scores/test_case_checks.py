"""The import checks case files through ``check_steps``; it must judge exactly as ``check_procedure``."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.inspections.intake.submission import CaseFileRow
from toolkit.policy import check_procedure, check_steps

ROWS = [
    # across the new year and the Spring Festival, 2012 rules, 2 investigators, notice too short
    CaseFileRow("A1", "张三", "", "", "批准", False,
                dates={"accept": date(2019, 12, 20), "investigate": date(2020, 1, 10), "appraise": date(2020, 1, 13),
                       "review": date(2020, 1, 14), "notice_start": date(2020, 1, 15), "notice_end": date(2020, 1, 19),
                       "approve": date(2020, 2, 5)},
                staff={"accept": ["王芳"], "investigate": ["李强", "赵敏"], "review": ["王芳"], "approve": ["周杰"]},
                participants=9, representatives=5),
    # refused under the 2021 rules, near relative not filed, one investigator
    CaseFileRow("B2", "李四", "", "", "不批准", True,
                dates={"accept": date(2022, 3, 1), "investigate": date(2022, 3, 2), "review": date(2022, 3, 20),
                       "approve": date(2022, 4, 28), "refuse_notice": date(2022, 5, 9)},
                staff={"accept": ["甲"], "investigate": ["乙"], "review": ["丙"], "approve": ["丁"]}),
]


def _as_json(row: CaseFileRow) -> dict:
    steps = []
    for key, day in row.dates.items():
        step = {"step": key, "date": day.isoformat(), "staff": row.staff.get(key, [])}
        if key == "appraise":
            step.update(participants=row.participants, representatives=row.representatives)
        steps.append(step)
    return {"decision": {"批准": "approved", "不批准": "refused"}[row.decision],
            "near_relative_of_staff": row.near_relative, "near_relative_filed": False, "steps": steps}


@pytest.mark.parametrize("row", ROWS, ids=[r.case_id for r in ROWS])
def test_check_steps_judges_as_check_procedure(row):
    expected = check_procedure(_as_json(row))
    assert expected["violations"], "the example must break rules to be a real comparison"
    assert check_steps(row.procedure_steps(), **row.procedure_flags()) == expected

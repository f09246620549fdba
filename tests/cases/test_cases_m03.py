"""m03: the file shows what the answers say; 三分离 and filing agree with the engine."""

from __future__ import annotations

from collections import Counter

import pytest

from toolkit.cases import m03_case_file as m03
from toolkit.policy import check_procedure
from case_tools import answers

SEEDS = range(80)


@pytest.fixture(scope="module")
def built():
    return [m03.build(s) for s in SEEDS]


def listed_documents(case) -> set[str]:
    shown = {row["材料"] for row in case.data["documents"]}
    return {key for key, label in m03.DOCUMENTS.items() if label in shown}


def test_missing_documents_are_absent_and_defective_ones_present(built):
    for case, _ in built:
        a = answers(case)
        listed = listed_documents(case)
        assert not a["q1"] & listed
        assert a["q2"] <= listed


def test_separation_and_filing_answers_agree_with_the_engine(built):
    for case, timeline in built:
        a = answers(case)
        rules = {v["rule"] for v in check_procedure(timeline)["violations"]}
        assert (a["q3"] == "ok") == ("separation_of_duties" not in rules)
        assert (a["q4"] == "not_filed") == ("near_relative_filing" in rules)
        assert (a["q4"] == "filed") == ("near_relative_form" in listed_documents(case))


def test_appraisal_record_required_only_under_the_2012_measures(built):
    for case, timeline in built:
        rule_set = check_procedure(timeline)["rule_set"]
        assert answers(case)["q5"] == ("required" if rule_set == "2012" else "if_disputed")
        if rule_set == "2021":
            assert "appraisal" not in answers(case)["q1"]


def test_every_kind_of_finding_occurs(built):
    seen = Counter()
    for case, _ in built:
        a = answers(case)
        seen.update(f"missing:{d}" for d in a["q1"])
        seen.update(f"defect:{d}" for d in a["q2"])
        seen.update((f"q3:{a['q3']}", f"q4:{a['q4']}", f"q5:{a['q5']}"))
    for key in ("missing:authorization", "missing:pledge", "missing:identity", "missing:notice",
                "missing:appraisal", "missing:near_relative_form", "defect:home_visit", "defect:notice",
                "defect:approval", "defect:application", "defect:appraisal", "q3:ok", "q3:accept-review",
                "q3:review-approve", "q3:accept-approve", "q4:not_near", "q4:filed", "q4:not_filed"):
        assert seen[key], key

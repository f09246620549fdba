"""Shared fixtures for the case-generator tests."""

from __future__ import annotations


import pytest

SEEDS = tuple(range(40))


@pytest.fixture(scope="session")
def cases_by_assignment():
    """40 generated cases per assignment, shared by the tests of this folder."""
    from toolkit.cases import ASSIGNMENTS, case_module

    return {a: [case_module(a).generate(s) for s in SEEDS] for a in ASSIGNMENTS}

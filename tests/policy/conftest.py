"""Policy tests never see a holiday file or a local parameters file of the machine they run on."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_local_holiday_file(tmp_path, monkeypatch):
    from toolkit.policy import holidays, params

    monkeypatch.setenv(holidays.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.delenv(holidays.ENV_FILE, raising=False)
    monkeypatch.delenv(params.ENV_FILE, raising=False)
    holidays.use_file(None)
    params.use_file(None)
    yield
    holidays.use_file(None)
    params.use_file(None)

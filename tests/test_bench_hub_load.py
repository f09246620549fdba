"""bench/hub_load.py runs end to end at a tiny size (one trainee, two saves): it logs in over the
hub's login form, starts the trainee's server and a kernel over REST, saves answers over the
kernel's websocket, opens the cadres' app in Chromium, prints its figures, and leaves no server or account behind."""

from __future__ import annotations

import importlib.util
import os
import pwd
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[1] / "bench" / "hub_load.py"


def test_hub_load_bench_at_a_tiny_size(capsys):
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("bench/hub_load.py needs root (one system account per trainee)", pytrace=False)
        pytest.skip("bench/hub_load.py needs root")
    spec = importlib.util.spec_from_file_location("hub_load", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.run(1, 2, [1], burst_seconds=1)
    out = capsys.readouterr().out
    assert results["held"] == 1 and "largest N held: 1 of 1" in out
    [stage] = results["stages"]
    assert stage["saves"] == 2 and stage["save_p95"] > 0 and stage["mib_per_trainee"] > 10
    assert stage["cores_per_trainee"] >= 0
    assert results["burst"]["logins"] == 1 and not results["burst"]["failures"] and "login burst: 1 of 1" in out
    assert "projected on a 32 GiB / 8-core server" in out
    app = results["app"]                              # the cadres' app opened in Chromium: timed, not judged
    assert app["cadres"] == 1 and not app["failures"] and "app, 1 cadres at once" in out
    assert 0 < app["title_median"] <= app["list_median"] and 0 < app["exercise_median"]
    assert results["projection"]["by_memory"] == int(28 * 1024 / stage["mib_per_trainee"])
    existing = {p.pw_name for p in pwd.getpwall()}
    assert not existing & set(results["users"])                                # accounts deleted

"""Fixtures for the real-browser end-to-end tests (issue 6).

* ``lab_factory`` starts JupyterLab servers on 127.0.0.1 with a random token and a
  throw-away HOME, Jupyter config/data/runtime dirs, user-settings and workspaces dirs;
  readiness is waited on by polling ``/api/status``; each server runs in its own
  process group and is stopped by its own process id at the end of the session.
* ``browser`` is Debian's Chromium (``/usr/bin/chromium``) driven by playwright; no
  downloaded browser is ever used.
* ``context`` / ``page`` carry a network guard: any request that would leave
  127.0.0.1 (or file://, data:, blob:) is aborted and fails the test.
* ``shot(page, name)`` writes a screenshot to ``build/e2e/<name>.png``.
"""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e_support import (CHROMIUM, CHROMIUM_ARGS, SHOTS, LabServer, NetworkGuard,
                         free_port, require_chromium, throwaway_env)


# --------------------------------------------------------------------------- browser


# Conditions (not sleeps) are waited on; on this shared 2-core machine a kernel restart can take
# well over playwright's default 5 s, so assertions retry for as long as locators wait.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session", autouse=True)
def chromium_present():
    """Checked before any expensive set-up: fail in CI, skip elsewhere, with the fix."""
    require_chromium()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def network_guard():
    guard = NetworkGuard()
    yield guard
    for prefix, reason in guard.tolerated.items():
        hits = [u for u in guard.outside(include_tolerated=True) if u.startswith(prefix)]
        if hits:
            warnings.warn(f"已拦截（已知问题，未判失败）：{hits[0]} — {reason}", stacklevel=1)
    leaked = guard.outside()
    if leaked:
        pytest.fail("页面试图访问本机以外的地址（内网离线环境下会失败）：\n  " + "\n  ".join(leaked),
                    pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def context(request, browser, network_guard):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN",
                              service_workers="block")
    ctx.set_default_timeout(30_000)
    network_guard.install(ctx)
    yield ctx
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:   # what the browser showed when the test failed
        SHOTS.mkdir(parents=True, exist_ok=True)
        for index, open_page in enumerate(ctx.pages):
            open_page.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}-{index}.png"))
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def shot():
    """``shot(page_or_locator, name)`` → path of ``build/e2e/<name>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(target, name: str, **kwargs) -> Path:
        path = SHOTS / f"{name}.png"
        target.screenshot(path=str(path), **kwargs)
        assert path.stat().st_size > 0
        return path

    return take


# --------------------------------------------------------------------------- JupyterLab


@pytest.fixture(scope="session")
def lab_factory(tmp_path_factory):
    """``lab_factory(name, root_dir, nbgrader_config=None, env=None, args=())`` → a started LabServer.

    ``nbgrader_config`` (Python source) is written to the server's throw-away
    ``JUPYTER_CONFIG_DIR/nbgrader_config.py`` so nbgrader's lab extensions (assignment list,
    formgrader) read it.  All servers are stopped at the end of the session.
    """
    servers: list[LabServer] = []

    def start(name: str, root_dir: Path, nbgrader_config: str | None = None, env: dict | None = None,
              args=()) -> LabServer:
        base = tmp_path_factory.mktemp(f"lab-{name}")
        server_env = throwaway_env(base)
        server_env.update(env or {})
        if nbgrader_config:
            (base / "config" / "nbgrader_config.py").write_text(nbgrader_config, encoding="utf-8")
        server = LabServer(name=name, root_dir=Path(root_dir), base=base, port=free_port(),
                           token=secrets.token_hex(24), env=server_env, extra_args=list(args))
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


# --------------------------------------------------------------------------- supervision sample data


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """The built-in sample city's inspection store (all rounds imported), generated once."""
    from toolkit.demo import sample_data

    out = tmp_path_factory.mktemp("sample")
    return Path(sample_data.generate(out, seed=1, say=lambda *_: None).store)


@pytest.fixture(scope="session")
def sample_reports(sample_store, tmp_path_factory) -> dict:
    """One district's report and the city summary for the latest sample round (HTML only)."""
    from toolkit.inspections.scores.scores import list_districts, list_rounds
    from toolkit.reports.compose.inspection_round import SUMMARY_NAME, plan_round
    from toolkit.reports.runner.runner import run_notebooks

    round_id = list_rounds(sample_store)[-1]
    district = list_districts(sample_store, round_id)[0]
    jobs, _, extra = plan_round(str(sample_store), round_id, formats=("html",))
    chosen = [job for job in jobs if job.name in (district, SUMMARY_NAME)]
    out = tmp_path_factory.mktemp("reports") / round_id
    summary = run_notebooks(chosen, out, workers=2, progress=False, manifest_extra=extra)
    failures = [r for r in summary.results if not r.ok]
    assert not failures, f"报告生成失败：{failures}"
    return {"round": round_id, "district_name": district, "district": out / district / "report.html",
            "summary": out / SUMMARY_NAME / "report.html"}

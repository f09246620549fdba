"""Issue 15 item 4 / issue 10: one store, several teams at once — SQLite and a real PostgreSQL.

The PostgreSQL server is Debian's (``make test`` installs ``postgresql`` through
tools/system-deps.sh); the fixture runs initdb as the ``postgres`` user in a fresh folder, starts
the server on a free loopback port and stops it by the pid in its ``postmaster.pid``.
Two ``jiuzhu inspect import`` processes started at the same moment must both land (one waits for
the other's write lock) — never a traceback, never a lost row.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.pg_server import PostgresServer, pg_bin
from toolkit.demo import qingpu
from toolkit.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres_url():
    if pg_bin() is None or os.geteuid() != 0:
        pytest.fail("需要 Debian 的 postgresql 软件包并以 root 运行（make test 会安装）")
    with PostgresServer.start() as pg:            # stopped by its own pid, folder removed
        yield pg.createdb("jiuzhu")


def prepare(store: str, work: Path, round_id: str) -> list[Path]:
    assert main(["org", "template", "--out", str(work)]) == 0
    qingpu.fill_templates(work, per_unit=22)
    assert main(["org", "import", str(work / "区街镇名册.xlsx"), "--store", store]) == 0
    assert main(["register", "import", str(work / "低保档案名册.xlsx"), "--store", store]) == 0
    assert main(["inspect", "plan", "--round", round_id, "--store", store, "--out", str(work / "plan")]) == 0
    assert main(["inspect", "forms", "--round", round_id, "--store", store, "--out", str(work / "forms")]) == 0
    forms = sorted((work / "forms").glob("*.xlsx"))
    qingpu.fill_forms(store, round_id, forms)
    return forms


def import_at_once(store: str, round_id: str, halves: list[list[Path]], cwd: Path) -> list[subprocess.CompletedProcess]:
    command = [sys.executable, "-m", "toolkit", "inspect", "import", "--round", round_id, "--store", store]
    procs = [subprocess.Popen([*command, *map(str, half)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for half in halves]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in procs]


def check_both_landed(store: str, round_id: str, runs, forms) -> None:
    from toolkit.inspections.store import store as st

    for run in runs:
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    engine = st.open_store(store, create=False)
    with engine.connect() as conn:
        units = conn.execute(select(func.count()).select_from(st.unit_results)
                             .where(st.unit_results.c.round_id == round_id)).scalar()
        audit = conn.execute(select(func.count()).select_from(st.imports)
                             .where(st.imports.c.round_id == round_id)).scalar()
    engine.dispose()
    assert units == len(forms) == audit == 11


def test_two_imports_at_once_into_sqlite_both_land(tmp_path):
    store = str(tmp_path / "jiuzhu.sqlite")
    forms = prepare(store, tmp_path, "2019")
    runs = import_at_once(store, "2019", [forms[::2], forms[1::2]], tmp_path)
    check_both_landed(store, "2019", runs, forms)


def test_the_whole_flow_on_postgresql_with_two_imports_at_once(postgres_url, tmp_path, capsys):
    forms = prepare(postgres_url, tmp_path, "2019-区级督导")
    runs = import_at_once(postgres_url, "2019-区级督导", [forms[::2], forms[1::2]], tmp_path)
    check_both_landed(postgres_url, "2019-区级督导", runs, forms)
    # the same file again from two processes: both succeed, the second sees 未变化
    again = import_at_once(postgres_url, "2019-区级督导", [forms[:1], forms[:1]], tmp_path)
    assert all(r.returncode == 0 for r in again), [r.stderr for r in again]
    assert all("未变化" in r.stdout for r in again), [r.stdout for r in again]
    # two register updates at once (different households changed in each): both land, both logged
    from toolkit.inspections.store import store as st

    rows = qingpu.households(per_unit=22)
    first, second = [list(r) for r in rows], [list(r) for r in rows]
    first[0][5], second[1][5] = 8, 9
    files = []
    for i, body in enumerate((first, second)):
        assert main(["org", "template", "--out", str(tmp_path / f"r{i}")]) == 0
        files.append(qingpu.fill(tmp_path / f"r{i}" / "低保档案名册.xlsx", body))
    command = [sys.executable, "-m", "toolkit", "register", "import", "--store", postgres_url]
    procs = [subprocess.Popen([*command, str(f)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for f in files]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [code for code, _, _ in results] == [0, 0] and all("Traceback" not in err for _, _, err in results)
    engine = st.open_store(postgres_url, create=False)
    with engine.connect() as conn:
        logged = conn.execute(select(func.count()).select_from(st.register_imports)
                              .where(st.register_imports.c.what == "低保档案名册")).scalar()
    engine.dispose()
    assert logged == 3
    capsys.readouterr()
    assert main(["inspect", "scores", "--round", "2019-区级督导", "--store", postgres_url]) == 0
    assert "夏阳街道" in capsys.readouterr().out
    assert main(["inspect", "report", "--round", "2019-区级督导", "--store", postgres_url, "--out",
                 str(tmp_path / "报告"), "--formats", "html", "--jobs", "2",
                 "--issue-date", "2020-01-20"]) == 0           # the kernels read PostgreSQL too
    assert list((tmp_path / "报告" / "2019-区级督导" / "全区汇总").glob("*.html"))

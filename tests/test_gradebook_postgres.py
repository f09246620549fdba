"""The gradebook on PostgreSQL: a hub course whose ``hub.yaml`` names a PostgreSQL URL.

A real Debian PostgreSQL is started (and stopped by its pid) by the test.  The course is built,
the roster imported, submissions graded with ``jiuzhu course grade`` and the ledger written —
all against PostgreSQL; no SQLite gradebook appears in the course folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pg_server import PostgresServer, pg_bin

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

M01 = "m01_means_test"


def jiuzhu(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("JIUZHU_STUDENT", "JUPYTERHUB_USER", "JIUZHU_GRADEBOOK")}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    result = subprocess.run([sys.executable, "-m", "toolkit", *args], env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def postgres(tmp_path):
    if pg_bin() is None:
        message = "需要 Debian 的 postgresql（make setup 会安装）。"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = PostgresServer.start()
    pid = server.pid()
    try:
        yield server
    finally:
        server.remove()
    assert pid and not Path(f"/proc/{pid}").exists()        # stopped by its own pid


def test_hub_course_gradebook_on_postgresql(postgres, tmp_path):
    from openpyxl import Workbook
    from sqlalchemy import create_engine, text

    from toolkit.hub.layout import open_hub
    from toolkit.training.course.simulate import simulate_submissions

    url = postgres.createdb("gradebook")
    root = tmp_path / "hub"
    root.mkdir()
    (root / "hub.yaml").write_text(
        "courses:\n"
        f"  - {{id: quji, title: 区级培训, trainers: [], gradebook: '{url}'}}\n", encoding="utf-8")
    course = open_hub(root).course("quji")
    assert course.db_url == url
    folder = str(course.folder)
    jiuzhu("course", "build", M01, "--course", folder)
    roster = tmp_path / "roster.xlsx"
    workbook = Workbook()
    workbook.active.append(["学员编号", "姓名", "街镇", "村居"])
    workbook.active.append(["dh001", "张三", "东湖街道", "东湖社区"])
    workbook.active.append(["xs001", "李四", "西山镇", "西山村"])
    workbook.save(roster)
    jiuzhu("course", "roster", "import", str(roster), "--course", folder)
    simulate_submissions(course.folder, {("dh001", M01): "correct", ("xs001", M01): "blank"})
    graded = jiuzhu("course", "grade", "--course", folder, "--quiet", "--jobs", "1").stdout
    assert "共 2 份提交" in graded
    report = jiuzhu("course", "report", "--course", folder, "--out", str(tmp_path / "report")).stdout
    assert "培训台账" in report

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            scores = dict(conn.execute(text(
                "select s.student_id, sum(g.auto_score) from submitted_assignment s "
                "join submitted_notebook n on n.assignment_id = s.id join grade g on g.notebook_id = n.id "
                "group by s.student_id")).all())
            course_ids = {row[0] for row in conn.execute(text("select id from course"))}
            roster_rows = conn.execute(text("select count(*) from jiuzhu_roster")).scalar()
    finally:
        engine.dispose()
    assert scores["dh001"] == 10 and scores["xs001"] == 0
    assert "quji" in course_ids and roster_rows == 2
    assert not list(course.folder.glob("*.db"))          # nothing fell back to SQLite

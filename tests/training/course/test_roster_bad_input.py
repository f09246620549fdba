"""Hostile rosters: personal data as 学员编号, stray far cells, thousands of errors — each refused with
row and column, nothing personal echoed, in bounded memory (the reader runs under ``setrlimit``)."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest
from openpyxl import Workbook

HEADER = ("学员编号", "姓名", "街镇", "村居", "岗位", "手机号")
GOOD = ("dh001", "王伟", "东湖街道", "湖滨社区", "", "")
MEMORY_LIMIT = 2 * 1024 ** 3

READ = """
import sys
from toolkit.errors import UserError
from toolkit.training.course.roster import read_roster_xlsx
try:
    read_roster_xlsx(sys.argv[1])
except UserError as err:
    print(err)
    sys.exit(2)
print("accepted")
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def _roster(path, rows, cells=None):
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    for ref, value in (cells or {}).items():
        wb.active[ref] = value
    wb.save(path)
    return path


CASES = [
    # (id, extra rows, far cells, fragments, secret)
    ("身份证号 as 学员编号", [("11010519491231002X", "李娜", "东湖街道", "湖滨社区", "", "")], {},
     ["第 3 行 A 列（学员编号）", "不能作学员编号", "110105"], "11010519491231002X"),
    ("mobile number as 学员编号", [("13812345678", "李娜", "东湖街道", "湖滨社区", "", "")], {},
     ["第 3 行 A 列（学员编号）", "不能作学员编号", "138****5678"], "13812345678"),
    ("name as 学员编号", [("欧阳娜娜", "欧阳娜娜", "东湖街道", "湖滨社区", "", "")], {},
     ["第 3 行 A 列（学员编号）", "不是有效的学员编号"], "欧阳娜娜"),
    ("unknown 岗位", [("dh002", "李娜", "东湖街道", "湖滨社区", "专干", "")], {},
     ["第 3 行 E 列（岗位）", "值“专干”不是可选的岗位", "村居干部：", "社会救助专干", "或留空"], ""),
    ("name typed as 岗位", [("dh002", "欧阳娜娜", "东湖街道", "湖滨社区", "欧阳娜娜", "")], {},
     ["第 3 行 E 列（岗位）", "值“欧***”不是可选的岗位"], "欧阳娜娜"),
    ("身份证号 typed as 岗位", [("dh002", "李娜", "东湖街道", "湖滨社区", "11010519491231002X", "")], {},
     ["第 3 行 E 列（岗位）", "不是可选的岗位"], "11010519491231002X"),
    ("stray cell at A1048576", [], {"A1048576": "x"}, ["第 5001 行", "最多 5000 行"], ""),
    ("stray cell at XFD1048576", [], {"XFD1048576": "x"}, ["第 5001 行", "最多 5000 行"], ""),
]


@pytest.mark.parametrize("rows,cells,fragments,secret", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_roster_is_refused(tmp_path, rows, cells, fragments, secret):
    path = _roster(tmp_path / "花名册.xlsx", [HEADER, GOOD, *rows], cells)
    run = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True,
                         preexec_fn=_limits, timeout=300)
    assert run.returncode == 2, run.stdout + run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert all(f in run.stdout for f in fragments), run.stdout
    if secret:
        assert secret not in run.stdout


def test_stray_cell_far_right_is_ignored(tmp_path):
    from toolkit.training.course.roster import read_roster_xlsx

    path = _roster(tmp_path / "花名册.xlsx", [HEADER, GOOD], {"XFD2": "旁注"})
    assert [t.id for t in read_roster_xlsx(path).trainees] == ["dh001"]


def test_many_problems_are_counted_not_all_listed(tmp_path):
    from toolkit.errors import UserError
    from toolkit.training.course.roster import read_roster_xlsx

    path = _roster(tmp_path / "花名册.xlsx", [HEADER] + [("", f"人{i}", "", "", "", "")
                                                        for i in range(300)])
    with pytest.raises(UserError) as info:
        read_roster_xlsx(path)
    assert len(info.value.problems) == 51 and "处错误未列出" in info.value.problems[-1]

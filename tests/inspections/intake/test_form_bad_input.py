"""Hostile and mistyped forms through ``jiuzhu inspect import``, one table row each.

Every case runs the real command in a child process under resource limits (address space and
CPU time, set with ``setrlimit`` before it starts: no timing asserts).  Each must end with exit
status 2, a Chinese message naming the cell and what is wrong, nothing personal on screen or in
the error list, the error list written, and the store byte for byte as before.
"""

from __future__ import annotations

import hashlib
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook

CASE_SHEET = "低保档案材料核查表"
WINDOW_SHEET = "窗口服务检查表"
MEMORY_LIMIT = 3 * 1024 ** 3         # address space of the import process (a sound import needs ~1 GiB)
CPU_SECONDS = 120                    # CPU time of the import process
ID_NUMBER = "11010519491231002X"     # a valid 身份证号 (GB 11643 example)
PHONE = "13812345678"


@dataclass
class Case:
    id: str
    edits: dict                                  # sheet → {cell: value}; "@head:B5" = household name in B5
    fragments: list[str]                         # all of these in one line of the message
    where: str                                   # sheet of the problem
    cell: str = ""                               # "H4": 第 4 行 H 列; "XFD2000": named in the line
    secrets: list[str] = field(default_factory=list)   # never on screen nor in the error list
    control: str = ""                            # cell whose text gets a U+0001
    many_rows: int = 0                           # remark-only rows appended to the case sheet
    more_than_shown: bool = False                # the screen lists a count of the rest
    padding: str = ""                            # sheet / strings: inflated by 40 MB of blanks; merges


CASES = [
    Case("proportion NaN", {WINDOW_SHEET: {"H7": "NaN"}}, ["不是比例"], WINDOW_SHEET, "H7"),
    Case("proportion Infinity", {WINDOW_SHEET: {"H7": "-Infinity"}}, ["不是比例"], WINDOW_SHEET, "H7"),
    Case("proportion 1e400", {WINDOW_SHEET: {"H7": "1e400"}}, ["比例不能大于 1"], WINDOW_SHEET, "H7"),
    Case("control character in a cell", {}, ["控制字符", "U+0001"], CASE_SHEET, "AE4", control="AE4"),
    Case("stray cell at XFD1048576", {CASE_SHEET: {"XFD1048576": "x"}}, ["XFD1048576", "超出导入读取范围"],
         CASE_SHEET, "XFD1048576"),
    Case("stray cell at XFD2000", {CASE_SHEET: {"XFD2000": "x"}}, ["XFD2000", "最多 1000 行、64 列"],
         CASE_SHEET, "XFD2000"),
    Case("60k remark rows", {}, ["超出导入读取范围", "请删除第 1000 行以下"], CASE_SHEET, many_rows=60_000),
    Case("many bad rows inside the range", {}, ["缺失"], CASE_SHEET, many_rows=900, more_than_shown=True),
    Case("身份证号 in the decision column", {CASE_SHEET: {"E4": ID_NUMBER}}, ["不是可选的取值", "110105"],
         CASE_SHEET, "E4", secrets=[ID_NUMBER]),
    Case("household name in the decision column", {CASE_SHEET: {"E4": "@head:B5"}}, ["不是可选的取值"],
         CASE_SHEET, "E4", secrets=["@head:B5"]),
    Case("身份证号 with a wrong check digit", {CASE_SHEET: {"C4": "110105194912310022"}}, ["GB 11643", "110105…"],
         CASE_SHEET, "C4", secrets=["110105194912310022"]),
    Case("name in the 身份证号 column", {CASE_SHEET: {"C4": "@head:B5"}}, ["身份证号"], CASE_SHEET, "C4",
         secrets=["@head:B5"]),
    Case("phone number as 受理人", {CASE_SHEET: {"H4": PHONE}}, ["不是人员姓名"], CASE_SHEET, "H4", secrets=[PHONE]),
    Case("phone number as 检查人员", {"基本信息": {"B6": f"王五、{PHONE}"}}, ["不是人员姓名"], "基本信息", "B6",
         secrets=[PHONE]),
    Case("staff names run together", {CASE_SHEET: {"P4": "王芳李强赵敏钱多多孙悟空周八戒吴沙僧郑唐僧"}},
         ["超过 20 个字"], CASE_SHEET, "P4"),
    Case("32,767 characters in one cell", {CASE_SHEET: {"E4": "很长的文字" * 7000}}, ["不是可选的取值", "…（共 32767 字）"],
         CASE_SHEET, "E4"),
    Case("99 representatives of 11 participants", {CASE_SHEET: {"M4": 11, "N4": 99}},
         ["多于评议参加人数 11 人"], CASE_SHEET, "N4"),
    Case("sheet inflated to 40 MB", {}, ["解压后超过 32 MB"], CASE_SHEET, padding="sheet"),
    Case("shared strings inflated to 40 MB", {}, ["xl/sharedStrings.xml", "解压后超过 32 MB"], "", padding="strings"),
    Case("300,000 merged ranges", {}, ["是合并单元格"], CASE_SHEET, padding="merges", more_than_shown=True),
    Case("1e300 participants", {CASE_SHEET: {"M4": 1e300}}, ["超过合理上限"], CASE_SHEET, "M4"),
    # a renamed column, or a form an older release made (before 信息核对日期): re-made by the office, not guessed
    Case("a renamed column header", {CASE_SHEET: {"C3": "证件号码"}}, ["表头与本轮检查表不符", "旧版工具箱生成", "重新生成"],
         CASE_SHEET),
]


def _prepare(path: Path, case: Case) -> list[str]:
    """Apply the case's edits to the form at ``path``; returns the secrets as actual text."""
    book = load_workbook(path)
    head = {f"@head:{cell}": book[CASE_SHEET][cell].value for cell in ("B5",)}
    for sheet, cells in case.edits.items():
        for cell, value in cells.items():
            book[sheet][cell] = head.get(value, value)
    if case.many_rows:
        ws = book[CASE_SHEET]
        start = ws.max_row + 1
        for row in range(start, start + case.many_rows):
            ws.cell(row=row, column=32, value="备注")      # AF 备注 only: every other field missing
    if case.control:
        book[CASE_SHEET][case.control] = "CONTROLMARK"
    book.save(path)
    if case.control:
        _patch(path, b"CONTROLMARK", b"bad_x0001_text")
    if case.padding == "sheet":
        _patch(path, b"</sheetData>", b" " * (40 * 1024 ** 2) + b"</sheetData>", CASE_SHEET)
    if case.padding == "merges":
        merges = b"".join(b'<mergeCell ref="AF%d:AG%d"/>' % (r, r) for r in range(1, 300_001))
        _patch(path, b"</sheetData>", b'</sheetData><mergeCells count="300000">' + merges + b"</mergeCells>",
               CASE_SHEET)
    if case.padding == "strings":
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (40 * 1024 ** 2) + b"</sst>")
    return [head.get(s, s) for s in case.secrets]


def _patch(path: Path, old: bytes, new: bytes, sheet: str = "") -> None:
    """Replace bytes inside the xlsx's parts (openpyxl refuses to write a control character);
    with ``sheet``, only in that sheet's part."""
    from toolkit.inspections.forms.workbook_values import sheet_parts

    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
        only = sheet_parts(src)[sheet][0] if sheet else None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data.replace(old, new) if only in (None, name) else data)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_form_is_refused_cleanly(city, case):
    form = city.forms[1]
    secrets = _prepare(form, case)
    before = _sha(city.store)
    run = subprocess.run([sys.executable, "-m", "toolkit", "inspect", "import", "--store", str(city.store),
                          *map(str, city.forms), "--round", "2019", "--by", "测试"],
                         capture_output=True, text=True, preexec_fn=_limits, timeout=600)
    out = run.stdout + run.stderr
    assert run.returncode == 2, out[-3000:]
    assert "Traceback" not in out
    assert _sha(city.store) == before, "a refused import must leave the store byte-identical"
    lines = [line for line in out.splitlines() if all(f in line for f in case.fragments)]
    assert lines, out[-3000:]
    assert any(form.name in line and (f"工作表“{case.where}”" in line or not case.where) for line in lines), lines
    if case.cell.rstrip("0123456789") and case.cell[-1].isdigit() and len(case.cell) <= 4:
        letters, row = case.cell.rstrip("0123456789"), case.cell[len(case.cell.rstrip("0123456789")):]
        assert any(f"第 {row} 行 {letters} 列" in line for line in lines), lines
    elif case.cell:
        assert any(case.cell in line for line in lines), lines
    reports = sorted(city.folder.glob("导入错误清单_*.xlsx"))
    assert len(reports) == 1, "the error list is written"
    listed = [" ".join(str(v) for v in row if v is not None)
              for row in load_workbook(reports[0]).active.iter_rows(values_only=True)]
    assert any(all(f in text for f in case.fragments) for text in listed)
    for secret in secrets:
        assert secret not in out, f"{secret} shown in full on screen"
        assert not any(secret in text for text in listed), f"{secret} written in full into the error list"
    assert len(out.splitlines()) <= 60 and len(out) < 30_000, "the screen lists a bounded number of problems"
    if case.more_than_shown:
        assert "处问题未在此列出" in out

"""Issue 21, done-when: a one-district campaign year from an empty folder with the installed wheel.

青浦区's 11 街镇 (fictional households) go through 2025-自查 → 2025-区级督导 → report → each 街镇's
own 整改清单 returned and imported one by one → status → 整改情况通报 → 2026-区级督导, with the
docs' round names (区 sorts before 自, so a name sort would compare 2026-区级督导 with 2025-自查).
Checked: every report compares with the right round and says why; the 自查 roll-up is signed by the
区民政局, the 区级督导 report by the district's team, the summaries by the office; an issue date
before the last 检查日期 is refused; per-街镇 returns each keep theirs; no 全市 or 各区 wording.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from toolkit.demo import qingpu
from tests.inspections.register.test_installed_flow import installed, run  # noqa: F401 - the wheel fixture

pytestmark = pytest.mark.slow

DISTRICT_OFFICE = "上海市青浦区民政局"
CITY_OFFICE = "上海市民政局"
STORE = "jiuzhu.sqlite"
# round, kind, first 检查日期 (each 街镇 one working day after the previous), issue date
ROUNDS = [
    ("2025-自查", "自查", date(2025, 3, 3), "2025-03-24"),
    ("2025-区级督导", "区级督导", date(2025, 5, 6), "2025-05-26"),
    ("2026-区级督导", "区级督导", date(2026, 5, 11), "2026-06-01"),
]
FIXED_ON, RETURNED_ON = date(2025, 6, 10), "2025-07-01"
# the district office's 主送机关 and 版记, printed on what it sends (通报, 全区汇总), not on a team's report
DISPATCH = ("--district-recipients", "青浦区=各街道办事处、镇人民政府", "--district-cc", "青浦区=区人民政府办公室，区财政局",
            "--district-printer", f"青浦区={DISTRICT_OFFICE}办公室")
ADDRESSEES = '<p class="addressees">各街道办事处、镇人民政府：</p>'


def imprint(html: str) -> str:
    block = re.search(r'<div class="imprint">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", block.group(1)) if block else ""


def fill_forms(store: Path, round_id: str, forms: list[Path], first: date) -> date:
    """Fill the forms as the teams would, each 街镇 inspected on its own day; returns the last day."""
    import pandas as pd
    from sqlalchemy import select

    from toolkit.inspections.store import store as st
    from toolkit.inspections.forms.forms import fill_form
    from toolkit.inspections.store.rounds import load_context
    from toolkit.demo.sample_data import make_submission
    from toolkit.policy import add_workdays

    engine = st.open_store(store, create=False)
    ctx = load_context(engine, round_id, today=date(2026, 6, 30))
    with engine.connect() as conn:
        rows = conn.execute(select(st.households.c.case_id, st.households.c.accepted_on, st.households.c.status,
                                   st.households.c.head_name, st.households.c.id_number)).all()
    engine.dispose()
    by_id = pd.DataFrame([tuple(r) for r in rows], columns=["case_id", "accepted_on", "status", "head_name",
                                                      "id_number"]).set_index("case_id")
    units = sorted(ctx.units.values(), key=lambda u: u.name)
    day = first
    for n, unit in enumerate(units):
        day = add_workdays(first, n).date if n else first
        form = next(f for f in forms if f"{unit.district}_{unit.name}" in f.name)
        sub = dataclasses.replace(make_submission(ctx, unit, by_id, 0.8, seed=3), inspected_on=day)
        fill_form(form, sub, ctx)
    return day


def signature(html: str) -> str:
    block = re.search(r'<div class="signature">(.*?)</div>', html, re.S)
    assert block, "the report has a 落款"
    return re.sub(r"<[^>]+>", " ", block.group(1))


def page(folder: Path) -> str:
    return (folder / "report.html").read_text(encoding="utf-8")


def no_city_words(html: str, where: str) -> None:
    text = re.sub(r"<[^>]+>", "", html)
    for word in ("全市", "各区", "个区中排第"):
        assert word not in text, f"{where}: “{word}” in a one-district round"


def fill_own_list(book: Path, day: date) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 12) if any(c.value == "问题编号" for c in ws[r]))
    col = {c.value: c.column for c in ws[header]}
    n = 0
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, col["问题编号"]).value:
            for name, value in (("整改措施", "补正档案并修订制度"), ("完成日期", day), ("佐证材料", "补正档案清单"),
                                ("完成情况", "已整改")):
                ws.cell(r, col[name]).value = value
            n += 1
    wb.save(book)
    return n


def test_a_one_district_campaign_year_by_the_book(installed, tmp_path):  # noqa: F811
    from toolkit.inspections.rectification.rectification_status import recurrences, reporting

    work = tmp_path / "青浦区民政局"
    work.mkdir()
    run(installed, work, "org", "template", "--out", ".")
    qingpu.fill_templates(work)
    out = run(installed, work, "org", "import", "区街镇名册.xlsx", "--store", STORE,
              "--district-office", f"青浦区={DISTRICT_OFFICE}", "--city-office", CITY_OFFICE, *DISPATCH)
    assert DISTRICT_OFFICE in out
    run(installed, work, "register", "import", "低保档案名册.xlsx", "--store", STORE)

    store = work / STORE
    reports = work / "报告"
    for round_id, kind, first, issued in ROUNDS:
        run(installed, work, "inspect", "plan", "--round", round_id, "--kind", kind, "--store", STORE,
            "--out", f"计划/{round_id}")
        run(installed, work, "inspect", "forms", "--round", round_id, "--store", STORE, "--out", f"表格/{round_id}")
        forms = sorted((work / "表格" / round_id).glob("*.xlsx"))
        fill_forms(store, round_id, forms, first)
        run(installed, work, "inspect", "import", *map(str, forms), "--round", round_id, "--store", STORE)

        # an issue date before the last 检查日期 is refused, naming that date and its 街镇
        run(installed, work, "inspect", "report", "--round", round_id, "--store", STORE, "--out", "早",
            "--issue-date", first.isoformat(), expect=2)
        run(installed, work, "inspect", "report", "--round", round_id, "--store", STORE, "--out", "报告",
            "--formats", "html,xlsx,docx" if kind == "自查" else "html,xlsx", "--jobs", "2", "--issue-date", issued)
        district, summary = reports / round_id / "青浦区", reports / round_id / "全区汇总"
        for folder in (district, summary):
            no_city_words(page(folder), f"{round_id}/{folder.name}")

        if round_id == "2025-区级督导":                 # the 街镇 return their own lists, one by one
            towns = ("朱家角镇", "夏阳街道")
            counts = {}
            for town in towns:
                own = district / f"整改清单（{town}）.xlsx"
                if not own.exists():
                    continue
                returned = work / "回收" / town / own.name
                returned.parent.mkdir(parents=True)
                returned.write_bytes(own.read_bytes())
                counts[town] = fill_own_list(returned, FIXED_ON)
                run(installed, work, "inspect", "rectification", "import", str(returned), "--round", round_id,
                    "--store", STORE, "--today", RETURNED_ON)
            assert counts, "at least one of the two 街镇 had findings"
            sent = reporting(store, round_id).set_index("街镇")
            for town, n in counts.items():
                assert sent.loc[town, "已填报"] == n and sent.loc[town, "未填报"] == 0, town
            status = run(installed, work, "inspect", "rectification", "status", "--round", round_id, "--store", STORE,
                         "--as-of", RETURNED_ON)
            assert "报送情况" in status and "尚未报送" in status
            run(installed, work, "inspect", "rectification", "report", "--round", round_id, "--store", STORE,
                "--out", "报告", "--formats", "html", "--as-of", RETURNED_ON)
            notice = reports / round_id / "整改情况通报" / "青浦区"
            assert not (reports / round_id / "整改情况通报" / "全市").exists()
            html = page(notice)
            no_city_words(html, "整改情况通报")
            assert DISTRICT_OFFICE in signature(html) and "2025年7月1日" in signature(html)
            assert ADDRESSEES in html and html.index(ADDRESSEES) < html.index("一、")
            assert "抄送：区人民政府办公室，区财政局。" in imprint(html)
            assert f"{DISTRICT_OFFICE}办公室　2025年7月1日印发" in imprint(html)

    # the early issue date was refused with the last 检查日期 and its 街镇, nothing written
    assert not (work / "早").exists()
    # 自查: the roll-up is the 区民政局's, not one town's team
    self_check = page(reports / "2025-自查" / "青浦区")
    assert DISTRICT_OFFICE in signature(self_check) and "督导检查组" not in signature(self_check)
    assert DISTRICT_OFFICE in signature(page(reports / "2025-自查" / "全区汇总"))
    # …and each 街镇 has its own 自查报告, signed by its own self-check team
    from docx import Document

    own = sorted((reports / "2025-自查" / "青浦区").glob("自查报告（*）.docx"))
    assert sorted(p.name for p in own) == sorted(f"自查报告（{u}）.docx" for u, _k in qingpu.UNITS)
    text = "\n".join(p.text for p in Document(str(own[0])).paragraphs)
    town = own[0].name[5:-6]
    assert f"{town}自查组" in text and "自查组成员：" in text and "2025年3月24日" in text
    # 区级督导: the district's team with its members; the summary by the office's team
    inspected = page(reports / "2025-区级督导" / "青浦区")
    assert "青浦区督导检查组" in signature(inspected) and "检查组成员：" in signature(inspected)
    assert f"{DISTRICT_OFFICE}督导检查组" in signature(page(reports / "2025-区级督导" / "全区汇总"))
    assert ADDRESSEES in page(reports / "2025-区级督导" / "全区汇总")
    assert "2025年5月26日印发" in imprint(page(reports / "2025-区级督导" / "全区汇总"))
    assert ADDRESSEES not in inspected and not imprint(inspected)          # the team's report is not sent by the office
    # comparisons by dates, kind and scope — never 2025-自查 for a 区级督导
    assert "本报告不作与上一轮的比较" in inspected and "与上一轮比较的是2025-自查" not in inspected
    later = page(reports / "2026-区级督导" / "青浦区")
    assert "与上一轮比较的是2025-区级督导" in later and "按检查日期确定" in later
    assert "与上一轮比较的是2025-区级督导" in page(reports / "2026-区级督导" / "全区汇总")
    again = recurrences(store, "2026-区级督导", "2025-区级督导")
    if len(again):
        assert "（反弹）" in later or "【反弹】" in later
    assert not any(p.name.startswith("2025-自查") for p in (reports / "2026-区级督导").iterdir())


def test_an_early_issue_date_names_the_last_inspection_day_and_town(installed, tmp_path):  # noqa: F811
    work = tmp_path / "青浦"
    work.mkdir()
    run(installed, work, "org", "template", "--out", ".")
    qingpu.fill_templates(work, per_unit=4)
    run(installed, work, "org", "import", "区街镇名册.xlsx", "--store", STORE)
    run(installed, work, "register", "import", "低保档案名册.xlsx", "--store", STORE)
    round_id, kind, first, _issued = ROUNDS[1]
    run(installed, work, "inspect", "plan", "--round", round_id, "--kind", kind, "--store", STORE, "--out", "计划")
    run(installed, work, "inspect", "forms", "--round", round_id, "--store", STORE, "--out", "表格")
    forms = sorted((work / "表格").glob("*.xlsx"))
    last = fill_forms(work / STORE, round_id, forms, first)
    run(installed, work, "inspect", "import", *map(str, forms), "--round", round_id, "--store", STORE)
    import subprocess

    done = subprocess.run([str(installed / "bin" / "jiuzhu"), "inspect", "report", "--round", round_id, "--store",
                           STORE, "--issue-date", "2025-05-08"], cwd=work, capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    town = sorted(u for u, _k in qingpu.UNITS)[-1]
    assert f"最晚的检查日期是 {last.isoformat()}（青浦区 {town}）" in done.stderr

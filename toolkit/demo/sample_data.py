"""Fictional sample data: 示例市 with 8 invented districts, ≈ 40,000 低保 households, two rounds.

Everything here is invented (place names, people, 身份证号 with region code 99…, phone numbers)
and every output carries the 示例数据 mark.  Defects vary by district and improve (mostly) from
the 2018 baseline to the 2019 round, so reports have something real to show: missing documents,
late investigations, single investigators, short 公示, 三分离 breaches, late decisions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import insert, select

from toolkit.checklists import Checklist, load_checklists
from toolkit.checklists.model import NO, NOT_APPLICABLE, YES
from toolkit.errors import UserError
from toolkit.inspections.store import store as st
from toolkit.files import save_workbook
from toolkit.inspections.forms.forms import build_form, fill_workbook, form_filename
from toolkit.inspections.intake.importer import ImportRecord, import_files
from toolkit.inspections.plan.plan import make_plan
from toolkit.inspections.store.rounds import RoundContext, load_context
from toolkit.inspections.intake.submission import CaseFileRow, UnitSubmission
from toolkit.privacy import id_check_digit

CITY = "示例市"
DISTRICTS = ["东湖区", "云岭区", "梅溪区", "枫林湾区", "松涛区", "银杏区", "鹭洲区", "竹韵区"]
ROUNDS = ("2018", "2019")
TARGET_HOUSEHOLDS = 40_000
_FIRST = "晨桃清石白青明杏玉芦荷柳星翠凤锦春长安和福瑞康宁丰"
_SECOND = "光源泉榴鹭枫月花兰苇塘岸河竹鸣绣晖乐澜平湾坊桥园"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = ["建国", "秀英", "桂兰", "志强", "海燕", "明", "丽", "军", "伟", "芳", "敏", "静", "磊", "洋",
          "勇", "艳", "杰", "娟", "涛", "超", "红梅", "玉珍", "国华", "春生", "文杰", "晓东", "美玲", "志刚"]


class SampleDataError(UserError):
    """The sample-data output folder cannot be used."""


@dataclass
class SampleResult:
    store: Path
    plans: list[Path]
    forms: list[Path]
    imports: dict[str, list[ImportRecord]]


def _name(rng: np.random.Generator) -> str:
    return _SURNAMES[rng.integers(len(_SURNAMES))] + _GIVEN[rng.integers(len(_GIVEN))]


def _id_number(rng: np.random.Generator, district_index: int) -> str:
    born = date(1940, 1, 1) + timedelta(days=int(rng.integers(0, 60 * 365)))
    first17 = f"99{district_index + 1:02d}{int(rng.integers(1, 99)):02d}{born:%Y%m%d}{int(rng.integers(0, 999)):03d}"
    return first17 + id_check_digit(first17)


def _letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the district part of a case-file id."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


def build_city(seed: int, districts: list[str] = DISTRICTS, unit_range: tuple[int, int] = (5, 12),
               total_households: int = TARGET_HOUSEHOLDS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units [district, name, unit_type, code], households [unit_index, case_id, size, accepted_on, status])."""
    rng = np.random.default_rng(seed)
    pairs = [a + b for a in _FIRST for b in _SECOND if a != b]
    # names are unique in the city while the pool lasts, and always unique within a district
    pool = list(rng.permutation(pairs)) if len(districts) * unit_range[1] <= len(pairs) else None
    unit_rows = []
    for d_index, district in enumerate(districts):
        count = int(rng.integers(unit_range[0], unit_range[1] + 1))
        names = [pool.pop() for _ in range(count)] if pool is not None else list(rng.choice(pairs, count, replace=False))
        for u, stem in enumerate(names):
            kind = "镇" if rng.random() < 0.4 else "街道"
            unit_rows.append({"district": district, "name": stem + kind, "unit_type": kind,
                              "code": f"{_letters(d_index)}{u + 1:02d}"})
    units = pd.DataFrame(unit_rows)
    weights = rng.uniform(0.6, 1.4, size=len(units))
    counts = np.maximum(30, np.round(weights / weights.sum() * total_households)).astype(int)
    unit_index = np.repeat(np.arange(len(units)), counts)
    seq = np.concatenate([np.arange(1, c + 1) for c in counts])
    codes = units["code"].to_numpy()[unit_index]
    case_ids = np.char.add(np.char.add(codes.astype(str), "-"), np.char.zfill(seq.astype(str), 4))
    start, end = np.datetime64("2013-01-07"), np.datetime64("2019-11-29")
    span = int((end - start).astype(int))
    accepted = start + rng.integers(0, span, size=len(unit_index)).astype("timedelta64[D]")
    accepted = np.busday_offset(accepted, 0, roll="forward")
    households = pd.DataFrame({
        "unit_index": unit_index, "case_id": case_ids,
        "size": rng.choice([1, 2, 3, 4, 5], size=len(unit_index), p=[0.35, 0.3, 0.2, 0.1, 0.05]),
        "accepted_on": pd.to_datetime(accepted).date,
        "status": np.where(rng.random(len(unit_index)) < 0.08, "不予批准", "在保"),
    })
    return units, households


def write_city(engine, units: pd.DataFrame, households: pd.DataFrame) -> None:
    with engine.begin() as conn:
        conn.execute(insert(st.settings), [{"key": "is_sample", "value": "1"}, {"key": "city", "value": CITY}])
        conn.execute(insert(st.districts), [{"name": d, "position": i}
                                            for i, d in enumerate(dict.fromkeys(units["district"]))])
        ids = []
        for row in units.itertuples():
            ids.append(conn.execute(insert(st.units).values(district=row.district, name=row.name,
                                                            unit_type=row.unit_type)).inserted_primary_key[0])
        frame = households.assign(unit_id=np.asarray(ids)[households["unit_index"].to_numpy()])
        conn.execute(insert(st.households), frame[["case_id", "unit_id", "size", "accepted_on", "status"]]
                     .to_dict("records"))


def district_quality(seed: int, districts: list[str] = DISTRICTS) -> dict[str, dict[str, float]]:
    """Per round and district, the probability that a check passes (2019 mostly better)."""
    rng = np.random.default_rng(seed + 7)
    base = dict(zip(districts, rng.uniform(0.55, 0.93, size=len(districts))))
    later = {d: float(np.clip(q + rng.uniform(-0.04, 0.12), 0.5, 0.98)) for d, q in base.items()}
    later[districts[int(rng.integers(len(districts)))]] -= 0.1       # one district slips
    return {"2018": {d: float(q) for d, q in base.items()}, "2019": later}


def _bday(day: date, n: int) -> date:
    return pd.Timestamp(np.busday_offset(np.datetime64(day), n, roll="forward")).date()


def _case_row(rng, case_id: str, accepted_on: date, status: str, q: float, staff: list[str],
              district_index: int) -> CaseFileRow:
    fail = lambda weight=1.0: rng.random() > 1 - (1 - q) * weight  # noqa: E731 - tiny local helper
    refused = status == "不予批准"
    near = rng.random() < 0.04
    row = CaseFileRow(case_id=case_id, head_name=_name(rng), id_number=_id_number(rng, district_index),
                      phone=f"139{int(rng.integers(0, 10**8)):08d}", decision="不批准" if refused else "批准",
                      near_relative=near)
    accept = _bday(accepted_on, 0)
    investigate = _bday(accept, int(rng.integers(12, 16)) if fail(0.4) else int(rng.integers(1, 6)))
    appraise = _bday(investigate, int(rng.integers(2, 5)))
    review = _bday(appraise, int(rng.integers(1, 3)))
    row.dates = {"accept": accept, "investigate": investigate, "appraise": appraise}
    if not fail(0.1):
        row.dates["review"] = review
    accept_staff, review_staff, approve_staff = staff[0], staff[1], staff[2]
    if fail(0.3):
        review_staff = accept_staff                          # 三分离 breach
    investigators = [staff[3]] if fail(0.3) else [staff[3], staff[4]]
    row.staff = {"accept": [accept_staff], "investigate": investigators, "review": [review_staff],
                 "approve": [approve_staff]}
    row.participants = int(rng.integers(9, 16))
    row.representatives = (row.participants * 2 + 2) // 3 + (0 if not fail(0.2) else -3)
    if refused:
        approve = _bday(review, int(rng.integers(1, 3)))
        row.dates["approve"] = approve
        row.dates["refuse_notice"] = approve + timedelta(days=int(rng.integers(5, 9)) if fail(0.4) else int(rng.integers(0, 3)))
    else:
        notice_start = _bday(review, 1)
        notice_end = notice_start + timedelta(days=int(rng.integers(3, 6)) if fail(0.35) else 6)
        row.dates.update(notice_start=notice_start, notice_end=notice_end,
                         approve=_bday(notice_end, int(rng.integers(6, 9)) if fail(0.3) else int(rng.integers(1, 3))))
    documents = {"application": 0.3, "id_hukou": 0.6, "check_authorisation": 0.5, "home_visit": 0.4,
                 "appraisal_record": 0.5, "notice_record": 0.4, "approval_form": 0.2, "pledge": 0.7}
    row.documents = {doc: NO if fail(w) else YES for doc, w in documents.items()}
    if refused:
        row.documents["notice_record"] = NOT_APPLICABLE
    row.documents["near_relative_filing"] = (NO if fail(1.5) else YES) if near else NOT_APPLICABLE
    row.documents["refusal_notice"] = (NO if fail(0.5) else YES) if refused else NOT_APPLICABLE
    return row


def make_submission(ctx: RoundContext, unit, households_by_id: pd.DataFrame, q: float, seed: int
                    ) -> UnitSubmission:
    """Invented, plausible results for one 街镇 in one round (``households_by_id``: indexed by case id)."""
    from toolkit.inspections.plan.plan import stable_seed

    rng = np.random.default_rng(stable_seed(seed, ctx.round_id, unit.id, "results"))
    q = float(np.clip(q + rng.normal(0, 0.05), 0.3, 0.99))
    team = ctx.team_for(unit.district, unit.name)
    team_rng = np.random.default_rng(stable_seed(seed, ctx.round_id, team, "team"))
    team_members = [_name(team_rng) for _ in range(4)]
    sub = UnitSubmission(
        round_id=ctx.round_id, district=unit.district, unit=unit.name, team_district=team,
        inspectors=list(rng.choice(team_members, size=int(rng.integers(2, 4)), replace=False)),
        inspected_on=_bday(date(ctx.year, 12, 2), int(rng.integers(0, 12))),
        checklist_versions={cid: c.version_hash for cid, c in ctx.checklists.items()})
    for checklist in ctx.checklists.values():
        if checklist.kind != "unit":
            continue
        for item in checklist.items:
            if item.scoring == "yes_no":
                value = YES if rng.random() < q else NO
            elif item.scoring == "levels":
                r = rng.random()
                index = 0 if r < q else (1 if r < q + (1 - q) * 0.7 else len(item.levels) - 1)
                value = item.levels[min(index, len(item.levels) - 1)].label
            else:
                value = f"{float(np.clip(q + rng.normal(0, 0.08), 0, 1)):.2f}"
            sub.items[(checklist.id, item.id)] = (value, "")  # reports word findings from the item
    staff = [_name(rng) for _ in range(5)]
    d_index = DISTRICTS.index(unit.district) if unit.district in DISTRICTS else 0
    for case_id in ctx.sample.get(unit.id, []):
        record = households_by_id.loc[case_id]
        # case files fail far less often than whole items: most files are complete
        sub.case_files.append(_case_row(rng, case_id, record["accepted_on"], record["status"], 1 - (1 - q) * 0.3,
                                        staff, d_index))
    return sub


def generate(out_dir: Path, seed: int = 1, say: Callable[[str], None] = print,
             checklists: dict[str, Checklist] | None = None, districts: list[str] = DISTRICTS,
             unit_range: tuple[int, int] = (5, 12), total_households: int = TARGET_HOUSEHOLDS) -> SampleResult:
    """Write the sample store, the plans and filled forms, and import the forms (smaller cities for tests)."""
    out_dir = Path(out_dir)
    store_path = out_dir / "jiuzhu.sqlite"
    if store_path.exists():
        engine = st.open_store(store_path)
        with engine.connect() as conn:
            flag = conn.execute(select(st.settings.c.value).where(st.settings.c.key == "is_sample")).first()
        engine.dispose()
        if not flag or flag[0] != "1":
            raise SampleDataError(f"{store_path} 已存在且不是示例数据库，不会覆盖。请换一个输出目录。")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    checklists = checklists or load_checklists()
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_store = out_dir / f".tmp-{os.getpid()}-jiuzhu.sqlite"
    engine = st.open_store(tmp_store)
    units, households = build_city(seed, districts, unit_range, total_households)
    write_city(engine, units, households)
    say(f"【示例数据】{CITY}：{len(districts)} 个区、{len(units)} 个街镇、{len(households):,} 户低保家庭（均为虚构）")
    quality = district_quality(seed, districts)
    households_by_id = households.set_index("case_id")
    result = SampleResult(store=store_path, plans=[], forms=[], imports={})
    for round_id in ROUNDS:
        plan = make_plan(engine, round_id, checklists, seed=seed, out_dir=out_dir / "plans" / round_id, is_sample=True)
        result.plans.append(plan.path)
        ctx = load_context(engine, round_id)
        folder = out_dir / "forms" / round_id
        filled = []
        for unit in sorted(ctx.units.values(), key=lambda u: (u.district, u.name)):
            sub = make_submission(ctx, unit, households_by_id, quality[round_id][unit.district], seed)
            wb = fill_workbook(build_form(ctx, unit), sub, ctx)
            filled.append(save_workbook(wb, folder / form_filename(ctx, unit)))
        result.forms.extend(filled)
        result.imports[round_id] = import_files(engine, round_id, filled, imported_by="示例数据生成")
        say(f"轮次 {round_id}：互检计划 {plan.path.relative_to(out_dir)}，{len(filled)} 份检查表格已填写并导入，"
            f"抽查档案 {len(plan.sample)} 份")
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp_store}{suffix}").unlink(missing_ok=True)
    os.replace(tmp_store, store_path)
    return result

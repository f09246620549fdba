"""Rounds are dated records: the round compared with is the latest earlier one of the same kind and
scope by 检查日期, never by name; an issue date before the inspection ended is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

D = dt.date

# round id, kind, scope, first and last 检查日期 (None: nothing imported yet)
ROUNDS = [
    ("2025-自查", "自查", "青浦区", D(2025, 3, 3), D(2025, 3, 14)),
    ("2025-区级督导", "区级督导", "青浦区", D(2025, 5, 6), D(2025, 5, 20)),
    ("2026-自查", "自查", "青浦区", D(2026, 3, 2), D(2026, 3, 13)),
    ("2026-区级督导", "区级督导", "青浦区", D(2026, 5, 11), D(2026, 5, 22)),
    ("2026-互检", "各区互检", "", D(2026, 6, 1), D(2026, 6, 12)),
    ("2025-松江区级督导", "区级督导", "松江区", D(2025, 4, 1), D(2025, 4, 3)),
    ("2026-补查", "区级督导", "青浦区", None, None),
    # named so that it sorts last, inspected before 2025-区级督导
    ("2025-zz-区级督导-早", "区级督导", "青浦区", D(2025, 1, 6), D(2025, 1, 10)),
]

CASES = [
    # round, expected previous, why
    ("2026-区级督导", "2025-区级督导", "same kind and scope; 区 sorts before 自 but dates decide"),
    ("2026-自查", "2025-自查", "a 自查 is compared with the 自查 before it, not a later 区级督导"),
    ("2025-区级督导", "2025-zz-区级督导-早", "the name sorts after, the dates are earlier"),
    ("2025-zz-区级督导-早", None, "nothing of that kind ended before it"),
    ("2025-自查", None, "the first 自查"),
    ("2026-互检", None, "no earlier city-wide round"),
    ("2025-松江区级督导", None, "another district's rounds are another scope"),
    ("2026-补查", None, "no forms imported: no dates to compare by"),
]


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory):
    from toolkit.inspections.store import store as st

    path = tmp_path_factory.mktemp("dates") / "jiuzhu.sqlite"
    engine = st.open_store(path)
    with st.write_transaction(engine) as conn:
        for position, district in enumerate(("青浦区", "松江区")):
            conn.execute(insert(st.districts).values(name=district, position=position))
        conn.execute(insert(st.units), [
            {"id": 1, "district": "青浦区", "name": "朱家角镇", "unit_type": "镇"},
            {"id": 2, "district": "青浦区", "name": "夏阳街道", "unit_type": "街道"},
            {"id": 3, "district": "松江区", "name": "岳阳街道", "unit_type": "街道"},
        ])
        for n, (rid, kind, scope, first, last) in enumerate(ROUNDS, start=1):
            conn.execute(insert(st.rounds).values(id=rid, title=rid, year=int(rid[:4]), is_sample=False,
                                                  created_at=st.now(), kind=kind, scope=scope))
            if first is None:
                continue
            unit_ids = (3,) if scope == "松江区" else (1, 2)
            for unit_id, day in zip(unit_ids, (first, last) if len(unit_ids) == 2 else (last,)):
                import_id = conn.execute(insert(st.imports).values(
                    round_id=rid, unit_id=unit_id, source="x.xlsx", file_hash="h", rows=1, action="新增",
                    imported_by="测试", imported_at=st.now())).inserted_primary_key[0]
                conn.execute(insert(st.unit_results).values(
                    round_id=rid, unit_id=unit_id, team_district="青浦区", inspectors="张三", inspected_on=day,
                    import_id=import_id, content_hash="c"))
    engine.dispose()
    return path


@pytest.mark.parametrize("round_id,expected,why", CASES, ids=[c[0] for c in CASES])
def test_previous_round_by_dates_kind_and_scope(dated_store, round_id, expected, why):
    from toolkit.inspections.store.round_dates import _round_name, compare_with
    from toolkit.inspections.scores.scores import previous_round

    assert previous_round(dated_store, round_id) == expected, why
    choice = compare_with(dated_store, round_id)
    assert choice.round_id == expected
    if expected:
        assert f"与上一轮比较的是{_round_name(expected)}" in choice.reason and "按检查日期确定" in choice.reason
    else:
        assert choice.reason.endswith("本报告不作与上一轮的比较。")


def test_previous_round_given_overrides_and_says_so(dated_store):
    from toolkit.inspections.store.round_dates import compare_with

    choice = compare_with(dated_store, "2026-区级督导", "2025-自查")
    assert choice.round_id == "2025-自查" and "（按指定）" in choice.reason


def test_the_reason_names_the_period_and_the_start(dated_store):
    from toolkit.inspections.store.round_dates import compare_with

    reason = compare_with(dated_store, "2026-区级督导").reason
    assert "同为青浦区区级督导" in reason and "2025年5月6日至20日" in reason and "2026年5月11日" in reason


ISSUE_DATES = [
    (D(2026, 5, 21), False),      # the day before the last 检查日期
    (D(2026, 5, 11), False),      # the first day of the inspection
    (D(2026, 5, 22), True),       # the last 检查日期 itself
    (D(2026, 6, 1), True),
]


@pytest.mark.parametrize("day,accepted", ISSUE_DATES, ids=[d.isoformat() for d, _ in ISSUE_DATES])
def test_an_issue_date_before_the_inspection_ended_is_refused(dated_store, day, accepted):
    from toolkit.inspections.store.round_dates import IssueDateError, check_issue_date

    if accepted:
        check_issue_date(dated_store, "2026-区级督导", day)
        return
    with pytest.raises(IssueDateError) as err:
        check_issue_date(dated_store, "2026-区级督导", day)
    assert f"--issue-date {day.isoformat()} 早于本轮检查结束的日期" in str(err.value)
    assert "最晚的检查日期是 2026-05-22（青浦区 夏阳街道）" in str(err.value)


def test_report_cli_refuses_an_early_issue_date_with_exit_2(dated_store, capsys):
    from toolkit.cli import main

    code = main(["inspect", "report", "--round", "2026-区级督导", "--store", str(dated_store),
                 "--issue-date", "2026-05-15", "--out", str(dated_store.parent / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "最晚的检查日期是 2026-05-22（青浦区 夏阳街道）" in err and "Traceback" not in err
    assert not (dated_store.parent / "out").exists()


def test_an_older_store_gains_the_issue_date_column(tmp_path):
    """A store made before migration 4 opens, keeps its rounds and compares by the imported dates."""
    import sqlite3

    from toolkit.inspections.store import store as st
    from toolkit.inspections.store.round_dates import record_issue_date, round_dates

    path = tmp_path / "old.sqlite"
    engine = st.open_store(path)
    engine.dispose()
    with sqlite3.connect(path) as conn:                # undo migration 4 as an older toolkit left it
        conn.execute("ALTER TABLE rounds DROP COLUMN issued_on")
        conn.execute("DELETE FROM schema_version WHERE version = 4")
        conn.execute("INSERT INTO rounds (id, title, year, is_sample, created_at, kind, scope) "
                     "VALUES ('2019', 't', 2019, 0, '2019-01-01 00:00:00', '各区互检', '')")
    assert st.schema_versions(path)[-1] == 4
    assert round_dates(path)["2019"].issued is None
    record_issue_date(path, "2019", D(2019, 12, 23))
    assert round_dates(path)["2019"].issued == D(2019, 12, 23)


def test_inspect_rounds_lists_rounds_by_their_dates(dated_store, capsys):
    from toolkit.cli import main

    assert main(["inspect", "rounds", "--store", str(dated_store)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip().startswith("20")]
    assert [line.split()[0] for line in lines][:4] == ["2025-zz-区级督导-早", "2025-自查", "2025-松江区级督导",
                                                      "2025-区级督导"]
    row = next(line for line in lines if line.split()[0] == "2026-区级督导")
    assert "2026-05-11至2026-05-22" in row and row.split()[-1] == "2025-区级督导"
    assert next(line for line in lines if line.split()[0] == "2026-补查").split()[-1] == "—"

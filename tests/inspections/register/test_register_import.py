"""Issue 15: bad registers refused whole (row, value, exit 2, byte-identical store); re-import audited."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest

from toolkit.demo import qingpu
from toolkit.cli import main
from toolkit.privacy import mask_id_number, mask_phone

HEADER = ["档案编号", "区", "街镇", "户主姓名", "身份证号", "家庭人数", "受理日期", "审批日期", "状态", "联系电话", "备注"]


@pytest.fixture
def store(tmp_path, capsys):
    folder = tmp_path / "org"
    folder.mkdir()
    assert main(["org", "template", "--out", str(folder)]) == 0
    qingpu.fill(folder / "区街镇名册.xlsx", [[qingpu.DISTRICT, u, k, ""] for u, k in qingpu.UNITS])
    path = tmp_path / "jiuzhu.sqlite"
    assert main(["org", "import", str(folder / "区街镇名册.xlsx"), "--store", str(path)]) == 0
    capsys.readouterr()
    return path


def rows(n=12):
    out = []
    for r in qingpu.households(per_unit=2)[:n]:
        r = list(r)
        r[6], r[7] = r[6].isoformat(), r[7].isoformat()
        out.append(r)
    return out


def write_csv(path: Path, header, body, encoding="utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(body)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(i, column, value):
    def change(body):
        body[i][HEADER.index(column)] = value
        return body
    return change


BAD_ID = "310118198001011230"        # check digit should be 1... any wrong last digit
CASES = [
    # (name, change to the rows, encoding, expected row, expected shown value, words of the message)
    ("duplicate case id", lambda b: _set(2, "档案编号", b[0][0])(b), "utf-8", 4, None, "与第 2 行重复"),
    ("unknown 街镇", _set(3, "街镇", "凤凰镇"), "utf-8", 5, "凤凰镇", "不在区街镇名册中"),
    ("bad check digit", _set(4, "身份证号", BAD_ID), "utf-8", 6, mask_id_number(BAD_ID), "GB 11643"),
    ("household size 0", _set(5, "家庭人数", "0"), "utf-8", 7, "0", "至少为 1"),
    ("future date", _set(6, "受理日期", "2099-01-01"), "utf-8", 8, "2099-01-01", "晚于今天"),
    ("unknown status", _set(7, "状态", "在册"), "utf-8", 9, "在册", "不是有效状态"),
    ("GB18030 CSV", _set(8, "状态", "已销户"), "gb18030", 10, "已销户", "不是有效状态"),
    ("UTF-8-BOM CSV", _set(9, "街镇", "夏阳"), "utf-8-sig", 11, "夏阳", "不在区街镇名册中"),
    ("bad date text", _set(10, "审批日期", "2019年13月1日"), "utf-8", 12, "2019年13月1日", "不是有效日期"),
    ("approved before accepted", _set(11, "审批日期", "2000-01-01"), "utf-8", 13, "2000-01-01", "早于受理日期"),
    ("bad phone", _set(1, "联系电话", "139-abc-0000"), "utf-8", 3, mask_phone("139-abc-0000"), "不像电话号码"),
]


@pytest.mark.parametrize("name,change,encoding,row,value,words", CASES, ids=[c[0] for c in CASES])
def test_bad_register_is_refused_whole(store, tmp_path, capsys, name, change, encoding, row, value, words):
    body = rows()
    value = value if value is not None else body[0][0]
    path = write_csv(tmp_path / "名册.csv", HEADER, change(body), encoding)
    before = digest(store)
    assert main(["register", "import", str(path), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "未导入任何数据" in err
    line = next(l for l in err.splitlines() if f"第 {row} 行" in l)
    assert value in line and "“" in line and words in line, err
    assert digest(store) == before
    assert list(tmp_path.glob("导入错误清单_低保档案名册_*.xlsx"))
    if name == "bad check digit":
        assert BAD_ID not in err


def test_missing_column_undecodable_and_utf16_files_are_refused_by_name(store, tmp_path, capsys):
    before = digest(store)
    body = [r[:4] + r[5:] for r in rows()]
    missing = write_csv(tmp_path / "缺列.csv", HEADER[:4] + HEADER[5:], body)
    assert main(["register", "import", str(missing), "--store", str(store)]) == 2
    assert "缺少必填列“身份证号”" in capsys.readouterr().err
    junk = tmp_path / "乱码.csv"
    junk.write_bytes("档案编号,区\n".encode("utf-8") + bytes([0x81, 0x30, 0xff, 0xfe, 0x80]))
    assert main(["register", "import", str(junk), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "乱码.csv" in err and "无法识别文件编码" in err
    utf16 = write_csv(tmp_path / "u16.csv", HEADER, rows(), "utf-16")
    assert main(["register", "import", str(utf16), "--store", str(store)]) == 2
    assert "UTF-16" in capsys.readouterr().err
    assert digest(store) == before


def test_gb18030_and_bom_files_import_the_same_households(store, tmp_path, capsys):
    from toolkit.inspections.store import store as st

    body = rows()
    for encoding in ("gb18030", "utf-8-sig"):
        path = write_csv(tmp_path / f"{encoding}.csv", ["户主", "证件号码", *HEADER[:3], *HEADER[5:]],
                         [[r[3], r[4], *r[:3], *r[5:]] for r in body], encoding)
        assert main(["register", "import", str(path), "--store", str(store)]) == 0
        out = capsys.readouterr().out
        assert ("GB18030" if encoding == "gb18030" else "BOM") in out
    with st.open_store(store).connect() as conn:
        names = dict(conn.execute(st.households.select().with_only_columns(
            st.households.c.case_id, st.households.c.head_name)).all())
    assert names == {r[0]: r[3] for r in body}


def test_dates_in_every_accepted_format(store, tmp_path, capsys):
    from toolkit.inspections.store import store as st

    body = rows(5)
    for r, text in zip(body, ("2019-03-01", "2019/3/1", "2019年3月1日", "20190301", "43525")):
        r[6] = text
        r[7] = "2019-03-20"
    path = write_csv(tmp_path / "日期.csv", HEADER, body)
    assert main(["register", "import", str(path), "--store", str(store)]) == 0, capsys.readouterr().err
    with st.open_store(store).connect() as conn:
        dates = {r[0] for r in conn.execute(st.households.select().with_only_columns(st.households.c.accepted_on))}
    assert dates == {date(2019, 3, 1)}


def test_reimport_changes_exactly_the_changed_rows_and_logs_them(store, tmp_path, capsys):
    from sqlalchemy import select

    from toolkit.inspections.store import store as st

    body = rows()
    first = write_csv(tmp_path / "v1.csv", HEADER, body)
    assert main(["register", "import", str(first), "--store", str(store), "--by", "王科长"]) == 0
    capsys.readouterr()
    engine = st.open_store(store)
    with engine.connect() as conn:
        before = {r.case_id: r for r in conn.execute(select(st.households))}
    body[1][HEADER.index("家庭人数")] = 9
    body[4][HEADER.index("状态")] = "终止"
    body[4][HEADER.index("联系电话")] = "13900001111"
    body.append(list(qingpu.households(per_unit=3)[2]))
    body[-1][6], body[-1][7] = body[-1][6].isoformat(), body[-1][7].isoformat()
    removed = body.pop(0)                         # a household left out of the new file is kept
    second = write_csv(tmp_path / "v2.csv", HEADER, body)
    assert main(["register", "import", str(second), "--store", str(store), "--by", "王科长"]) == 0
    assert "新增 1，更新 2，未变化 9" in capsys.readouterr().out
    with engine.connect() as conn:
        after = {r.case_id: r for r in conn.execute(select(st.households))}
        log = conn.execute(select(st.register_imports).order_by(st.register_imports.c.id)).mappings().all()
        changes = conn.execute(select(st.register_changes).where(
            st.register_changes.c.import_id == log[-1]["id"])).mappings().all()
    changed = {k for k in after if k in before and tuple(after[k]) != tuple(before[k])}
    assert changed == {body[0][0], body[3][0]}
    assert removed[0] in after and set(after) - set(before) == {body[-1][0]}
    assert (log[-1]["added"], log[-1]["updated"], log[-1]["unchanged"], log[-1]["imported_by"]) == (1, 2, 9, "王科长")
    assert log[-1]["file_hash"] == digest(second) and log[-1]["imported_at"]
    by_key = {c["key"]: (c["action"], json.loads(c["changes"])) for c in changes}
    assert by_key[body[0][0]] == ("更新", {"size": [before[body[0][0]].size, 9]})
    assert set(by_key[body[3][0]][1]) == {"status", "phone"}
    assert "13900001111" not in changes[0]["changes"] + json.dumps([dict(c) for c in changes], ensure_ascii=False)
    assert by_key[body[-1][0]][0] == "新增" and len(changes) == 3


def test_updating_sampled_households_leaves_the_rounds_results_alone(store, tmp_path, capsys):
    from sqlalchemy import select

    from toolkit.inspections.store import store as st
    from toolkit.inspections.scores.scores import load_round_scores

    folder = tmp_path / "org"
    qingpu.fill(folder / "低保档案名册.xlsx", qingpu.households(per_unit=22))
    assert main(["register", "import", str(folder / "低保档案名册.xlsx"), "--store", str(store)]) == 0
    assert main(["inspect", "plan", "--round", "2019", "--store", str(store), "--out", str(tmp_path / "p")]) == 0
    assert main(["inspect", "forms", "--round", "2019", "--store", str(store), "--out", str(tmp_path / "f")]) == 0
    forms = sorted((tmp_path / "f").glob("*.xlsx"))
    qingpu.fill_forms(str(store), "2019", forms)
    assert main(["inspect", "import", *map(str, forms), "--round", "2019", "--store", str(store)]) == 0
    engine = st.open_store(store)
    with engine.connect() as conn:
        sample = conn.execute(select(st.samples).order_by(st.samples.c.case_id)).all()
        checks = conn.execute(select(st.case_checks).order_by(st.case_checks.c.case_id)).all()
    before = load_round_scores(store, "2019")
    capsys.readouterr()

    rows = qingpu.households(per_unit=22)
    sampled = {r.case_id for r in sample}
    touched = [r for r in rows if r[0] in sampled][:3]
    for r in touched:
        r[5], r[8], r[2] = 6, "终止", "白鹤镇"          # size, status and even the 街镇 change
    assert main(["org", "template", "--out", str(tmp_path / "v2")]) == 0
    updated = qingpu.fill(tmp_path / "v2" / "低保档案名册.xlsx", rows)
    assert main(["register", "import", str(updated), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "已被轮次 2019 抽中" in out and "更新 3" in out
    with engine.connect() as conn:
        assert conn.execute(select(st.samples).order_by(st.samples.c.case_id)).all() == sample
        assert conn.execute(select(st.case_checks).order_by(st.case_checks.c.case_id)).all() == checks
    after = load_round_scores(store, "2019")
    for frame in ("units", "districts", "case_files", "findings"):
        assert getattr(after, frame).equals(getattr(before, frame)), frame


def test_a_bad_organisation_file_creates_no_store_and_lists_every_problem(tmp_path, capsys):
    folder = tmp_path / "org"
    assert main(["org", "template", "--out", str(folder)]) == 0
    qingpu.fill(folder / "区街镇名册.xlsx", [[qingpu.DISTRICT, "夏阳街道", "街道", ""], [qingpu.DISTRICT, "夏阳街道", "街道", ""],
                                         [qingpu.DISTRICT, "朱家角镇", "乡", ""], [qingpu.DISTRICT, "", "镇", "12345"]])
    capsys.readouterr()
    store = tmp_path / "新库.sqlite"
    assert main(["org", "import", str(folder / "区街镇名册.xlsx"), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "第 3 行" in err and "与第 2 行是同一个街镇" in err
    assert "第 4 行" in err and "“乡”" in err and "第 5 行" in err and "“12345”" in err and "不能为空" in err
    assert not store.exists() and "Traceback" not in err
    good = tmp_path / "good"
    assert main(["org", "template", "--out", str(good)]) == 0
    qingpu.fill(good / "区街镇名册.xlsx", [[qingpu.DISTRICT, u, k, ""] for u, k in qingpu.UNITS])
    capsys.readouterr()
    assert main(["org", "import", str(good / "区街镇名册.xlsx"), "--store", str(tmp_path / "无此目录" / "x.sqlite")]) == 2
    assert "文件夹" in capsys.readouterr().err and not (tmp_path / "无此目录").exists()


def test_the_docs_alias_table_is_the_catalogue():
    """docs/real-data.md shows the same header alias table as --help (register_labels)."""
    from toolkit.inspections.register.register_labels import ORG_COLUMNS, REGISTER_COLUMNS

    text = (Path(__file__).resolve().parents[3] / "docs" / "real-data.md").read_text(encoding="utf-8")
    shown = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 2 and "、" in cells[1] or line.startswith("| 备注"):
            shown.setdefault(cells[0].replace("（可选）", ""), set()).update(cells[1].split("、"))
    expected = {}
    for column in ORG_COLUMNS + REGISTER_COLUMNS:
        expected.setdefault(column.header, set()).update(column.aliases)
    assert shown == expected


def test_a_bad_xlsx_register_names_sheet_row_and_column(store, tmp_path, capsys):
    assert main(["org", "template", "--out", str(tmp_path / "t")]) == 0
    body = qingpu.households(per_unit=1)
    body[2][8] = "待定"
    path = qingpu.fill(tmp_path / "t" / "低保档案名册.xlsx", body)
    before = digest(store)
    capsys.readouterr()
    assert main(["register", "import", str(path), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "工作表“低保档案名册” 第 4 行 I 列 （状态）：“待定” 不是有效状态" in err
    assert digest(store) == before

"""Issue 21: identifiers and names normalised at every import; look-alikes refused naming both rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from toolkit.demo import qingpu
from tests.inspections.register.test_register_import import HEADER, digest, rows, write_csv
from toolkit.cli import main
from toolkit.inspections.register import names

ZWSP, FW_SPACE = "\u200b", "\u3000"

NAME_CASES = [
    # (typed, stored)
    ("云岭区", "云岭区"),
    (f"云岭{ZWSP}区", "云岭区"),
    (f"{FW_SPACE}云岭区 ", "云岭区"),
    ("ＡＢ镇", "AB镇"),
    ("\ufeff夏阳街道\u200d", "夏阳街道"),
    ("朱家角\u00ad镇", "朱家角镇"),
    ("<img src=x onerror=alert(1)>镇", "<img src=x onerror=alert(1)>镇"),    # markup stays text
    (None, ""),
]

IDENTIFIER_CASES = [
    ("A001", "A001"),
    ("Ａ００１", "A001"),
    (f"A0{ZWSP}01", "A001"),
    (" A 001 ", "A001"),
    ("３１０１１８１９８００１０１１２３Ｘ", "31011819800101123X"),
    (12345, "12345"),
]


@pytest.mark.parametrize("typed,stored", NAME_CASES)
def test_names_are_normalised(typed, stored):
    assert names.name(typed) == stored


@pytest.mark.parametrize("typed,stored", IDENTIFIER_CASES)
def test_identifiers_are_normalised(typed, stored):
    assert names.identifier(typed) == stored


@pytest.fixture
def org_folder(tmp_path, capsys):
    folder = tmp_path / "org"
    folder.mkdir()
    assert main(["org", "template", "--out", str(folder)]) == 0
    capsys.readouterr()
    return folder


ORG_LOOKALIKES = [
    # (second row's district, second row's 街镇, words naming the first spelling)
    (qingpu.DISTRICT, "ＡＢ镇", "“青浦区 AB镇”与“青浦区 ＡＢ镇”"),
    (qingpu.DISTRICT, f"AB{ZWSP}镇", "“青浦区 AB镇”与“青浦区 AB<U+200B>镇”"),
    (f"青浦{ZWSP}区", "AB镇", "“青浦区 AB镇”与“青浦<U+200B>区 AB镇”"),
    (qingpu.DISTRICT, " AB镇\u3000", ""),                  # only surrounding spaces: the same spelling
]


@pytest.mark.parametrize("district,unit,words", ORG_LOOKALIKES, ids=[f"case{i}" for i in range(len(ORG_LOOKALIKES))])
def test_org_rows_that_differ_only_invisibly_are_one_town_and_refused(org_folder, tmp_path, capsys, district, unit,
                                                                      words):
    book = qingpu.fill(org_folder / "区街镇名册.xlsx", [[qingpu.DISTRICT, "AB镇", "镇", ""], [district, unit, "镇", ""]])
    store = tmp_path / "jiuzhu.sqlite"
    assert main(["org", "import", str(book), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "第 3 行" in err and "与第 2 行是同一个街镇" in err
    assert words in err


def test_one_spelling_is_stored_and_a_later_lookalike_is_the_same_town(org_folder, tmp_path, capsys):
    from toolkit.inspections.store import store as st

    book = qingpu.fill(org_folder / "区街镇名册.xlsx", [[f"青浦{ZWSP}区", "ＡＢ镇", "镇", ""]])
    store = tmp_path / "jiuzhu.sqlite"
    assert main(["org", "import", str(book), "--store", str(store)]) == 0
    fresh = tmp_path / "again"
    fresh.mkdir()
    assert main(["org", "template", "--out", str(fresh)]) == 0
    again = qingpu.fill(fresh / "区街镇名册.xlsx", [["青浦区", "AB镇", "镇", ""]])
    assert main(["org", "import", str(again), "--store", str(store)]) == 0
    assert "未变化 1" in capsys.readouterr().out
    with st.open_store(store).connect() as conn:
        assert conn.execute(select(st.units.c.district, st.units.c.name)).all() == [("青浦区", "AB镇")]


def test_a_store_holding_an_unnormalised_name_refuses_its_lookalike(org_folder, tmp_path, capsys):
    """A store filled before normalisation keeps 'ＡＢ镇'; importing 'AB镇' names both, adds nothing."""
    from toolkit.inspections.store import store as st

    store = tmp_path / "jiuzhu.sqlite"
    engine = st.open_store(store)
    with st.write_transaction(engine) as conn:
        conn.execute(st.districts.insert().values(name="青浦区", position=0))
        conn.execute(st.units.insert().values(district="青浦区", name="ＡＢ镇", unit_type="镇"))
    engine.dispose()
    before = digest(store)
    book = qingpu.fill(org_folder / "区街镇名册.xlsx", [["青浦区", "AB镇", "镇", ""]])
    assert main(["org", "import", str(book), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "与数据库中已有的“青浦区 ＡＢ镇”是同一个街镇，但写法不同" in err
    assert digest(store) == before


@pytest.fixture
def store(org_folder, tmp_path, capsys):
    qingpu.fill(org_folder / "区街镇名册.xlsx", [[qingpu.DISTRICT, u, k, ""] for u, k in qingpu.UNITS])
    path = tmp_path / "jiuzhu.sqlite"
    assert main(["org", "import", str(org_folder / "区街镇名册.xlsx"), "--store", str(path)]) == 0
    capsys.readouterr()
    return path


REGISTER_LOOKALIKES = [
    # (column, how the second row spells the first row's value, expected in the message)
    ("档案编号", lambda v: v.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789QP"}), "只是全角/半角"),
    ("档案编号", lambda v: v[:2] + ZWSP + v[2:], "<U+200B>"),
    ("档案编号", lambda v: f" {v}\u3000", None),             # surrounding spaces only: plain duplicate
]


@pytest.mark.parametrize("column,spell,note", REGISTER_LOOKALIKES, ids=["full width", "zero width", "spaces"])
def test_register_case_ids_that_differ_only_invisibly_are_duplicates(store, tmp_path, capsys, column, spell, note):
    body = rows(4)
    body[2][HEADER.index(column)] = spell(body[0][HEADER.index(column)])
    path = write_csv(tmp_path / "名册.csv", HEADER, body)
    before = digest(store)
    assert main(["register", "import", str(path), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "第 4 行" in err and "与第 2 行重复" in err
    if note:
        assert note in err
    assert digest(store) == before


def test_register_names_and_ids_typed_another_way_find_the_same_town_and_household(store, tmp_path, capsys):
    from toolkit.inspections.store import store as st

    body = rows(2)
    body[0][HEADER.index("区")] = f"青浦{ZWSP}区"
    body[0][HEADER.index("街镇")] = "\u3000" + body[0][HEADER.index("街镇")]
    body[0][HEADER.index("档案编号")] = body[0][0].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789QP"})
    body[0][HEADER.index("身份证号")] = body[0][HEADER.index("身份证号")][:6] + ZWSP + body[0][HEADER.index("身份证号")][6:]
    path = write_csv(tmp_path / "名册.csv", HEADER, body)
    assert main(["register", "import", str(path), "--store", str(store)]) == 0, capsys.readouterr().err
    with st.open_store(store).connect() as conn:
        ids = {r[0]: r[1] for r in conn.execute(select(st.households.c.case_id, st.households.c.id_number))}
    first = rows(2)[0]
    assert ids[first[0]] == first[HEADER.index("身份证号")]


ORG_NAMES = [
    # (街镇 as typed, accepted?)
    ("<img src=x onerror=alert(1)>镇", True),      # markup is text: stored as typed, escaped wherever shown
    ("AB镇", True),
    ("夏阳/盈浦街道", False),                          # would become a folder inside a folder
    ("..", False),
    ('甲"乙镇', False),
]


@pytest.mark.parametrize("unit,accepted", ORG_NAMES, ids=[f"case{i}" for i in range(len(ORG_NAMES))])
def test_org_names_that_cannot_be_file_names_are_refused(org_folder, tmp_path, capsys, unit, accepted):
    from toolkit.inspections.store import store as st

    book = qingpu.fill(org_folder / "区街镇名册.xlsx", [[qingpu.DISTRICT, unit, "镇", ""]])
    store = tmp_path / "jiuzhu.sqlite"
    code = main(["org", "import", str(book), "--store", str(store)])
    if not accepted:
        assert code == 2 and "不能用于文件名的字符" in capsys.readouterr().err
        return
    assert code == 0
    with st.open_store(store).connect() as conn:
        assert conn.execute(select(st.units.c.name)).scalar() == unit

"""The offices' 主送机关 and 版记 (抄送, 印发机关): set by ``jiuzhu org import`` options, kept in the
store, printed by the documents an office sends (GB/T 9704-2012) and left out when not set."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.cli import main
from toolkit.demo import qingpu

CITY_ONLY = ["--city-recipients", "各区民政局", "--city-cc", "市政府办公厅，市财政局", "--city-printer", "上海市民政局办公室"]
DISTRICT = ["--district-recipients", "青浦区=各街道办事处、镇人民政府", "--district-printer", "青浦区=上海市青浦区民政局办公室"]

# options given in turn → what dispatch(store, district) reads back: (recipients, cc, printer)
CASES = [
    ("nothing set", [], None, ("", "", "")),
    ("the city's three", [CITY_ONLY], None, ("各区民政局", "市政府办公厅，市财政局", "上海市民政局办公室")),
    ("a district's own, not the city's", [CITY_ONLY, DISTRICT], "青浦区",
     ("各街道办事处、镇人民政府", "", "上海市青浦区民政局办公室")),
    ("set again: the later value", [DISTRICT, ["--district-recipients", "青浦区=各街道、镇"]], "青浦区",
     ("各街道、镇", "", "上海市青浦区民政局办公室")),
    ("区= clears one field", [DISTRICT, ["--district-printer", "青浦区="]], "青浦区", ("各街道办事处、镇人民政府", "", "")),
    ("an empty city value clears it", [CITY_ONLY, ["--city-cc", ""]], None, ("各区民政局", "", "上海市民政局办公室")),
]


@pytest.fixture
def org_file(tmp_path):
    folder = tmp_path / "org"
    folder.mkdir()
    assert main(["org", "template", "--out", str(folder)]) == 0
    qingpu.fill(folder / "区街镇名册.xlsx", [[qingpu.DISTRICT, u, k, ""] for u, k in qingpu.UNITS])
    return folder / "区街镇名册.xlsx"


@pytest.mark.parametrize("name,runs,district,expected", CASES, ids=[c[0] for c in CASES])
def test_org_import_keeps_what_an_office_prints(org_file, tmp_path, capsys, name, runs, district, expected):
    from toolkit.inspections.register.offices import Dispatch, dispatch

    store = tmp_path / "jiuzhu.sqlite"
    assert main(["org", "import", str(org_file), "--store", str(store)]) == 0
    for options in runs:
        assert main(["org", "import", str(org_file), "--store", str(store), *options]) == 0
    assert dispatch(store, district) == Dispatch(*expected)
    if runs:
        assert "已记录" in capsys.readouterr().out


BAD = [
    ("no 区=", ["--district-cc", "区财政局"], "--district-cc“区财政局”格式不对"),
    ("unknown district", ["--district-recipients", "西山区=各街道"], "--district-recipients：区“西山区”不在区街镇名册中"),
    ("unknown district, cc", ["--district-cc", "西山区=市民政局"], "--district-cc：区“西山区”不在区街镇名册中"),
]


@pytest.mark.parametrize("name,options,words", BAD, ids=[c[0] for c in BAD])
def test_a_bad_option_is_refused_before_anything_is_written(org_file, tmp_path, capsys, name, options, words):
    store = tmp_path / "jiuzhu.sqlite"
    assert main(["org", "import", str(org_file), "--store", str(store), *options]) == 2
    assert words in capsys.readouterr().err
    assert not store.exists()


class Recorder:
    """A ReportDocument stand-in that records the blocks the compose functions add."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args))


# (dispatch) → the first block, and the 版记 call after the 落款 (None: none)
PRINTED = [
    ("not set", ("", "", ""), "heading", None),
    ("主送 only", ("各区民政局", "", ""), ("addressees", ("各区民政局",)), None),
    ("抄送 only", ("", "市财政局", ""), "heading", ("imprint", ("市财政局", "", ""))),
    ("all three", ("各区民政局", "市财政局", "上海市民政局办公室"), ("addressees", ("各区民政局",)),
     ("imprint", ("市财政局", "上海市民政局办公室", "2019年12月13日"))),
]


@pytest.mark.parametrize("name,fields,first,last", PRINTED, ids=[c[0] for c in PRINTED])
def test_the_notice_prints_the_addressees_first_and_the_imprint_after_its_signature(name, fields, first, last):
    from toolkit.inspections.register.offices import Dispatch
    from toolkit.reports.compose.signing import addressees, imprint

    doc = Recorder()
    addressees(doc, Dispatch(*fields))
    doc.heading("一、总体情况")
    doc.signature(["上海市民政局", "2019年12月13日"])
    imprint(doc, Dispatch(*fields), dt.date(2019, 12, 13))
    assert doc.calls[0] == first if isinstance(first, tuple) else doc.calls[0][0] == first
    after = doc.calls[[c[0] for c in doc.calls].index("signature") + 1:]
    assert after == ([last] if last else [])

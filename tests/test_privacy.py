import pytest

from toolkit.privacy import id_check_digit, is_valid_id_number, mask_id_number, mask_name, mask_phone


def test_gb11643_check_digit():
    # Standard example from GB 11643-1999.
    assert id_check_digit("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")


@pytest.mark.parametrize("value", ["", "12345", "1101051949123100XX", "110105194913310029"])
def test_invalid_ids(value):
    assert not is_valid_id_number(value)


def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧***"
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


from toolkit.privacy import looks_personal, mask_personal  # noqa: E402

REGISTER = frozenset({"李四", "欧阳娜娜", "王"})      # a one-character entry is never used (too many false hits)

PERSONAL = [
    # (what, value, masked; with REGISTER as the known names)
    ("身份证号", "11010519491231002X", "110105********002X"),
    ("身份证号 lower x", "11010519491231002x", "110105********002x"),
    ("身份证号 with a typo (19 digits)", "1101051949123100211", "110105*********0211"),
    ("身份证号 full-width", "１１０１０５１９４９１２３１００２Ｘ", "110105********002X"),
    ("身份证号 inside a remark", "户主身份证110105194912310021已核", "户主身份证110105********0021已核"),
    ("mobile", "13812345678", "138****5678"),
    ("mobile with hyphens", "138-1234-5678", "138****5678"),
    ("mobile with spaces", "138 1234 5678", "138****5678"),
    ("landline with area code", "0571-88881234", "057*****1234"),
    ("landline in brackets", "(010)62345678", "(010****5678"),
    ("local landline", "62345678", "62****78"),
    ("phone number as a float cell", 13812345678, "138****5678"),
    ("registered name", "李四", "李*"),
    ("registered name inside text", "经办人说李四已搬走", "经办人说李*已搬走"),
    ("registered compound name", "欧阳娜娜", "欧***"),
    ("name typed into the wrong column", "张三", "张*"),
    ("compound surname guessed", "司马光明", "司***"),
    ("name and phone", "户主张三电话13812345678", "户主张三电话138****5678"),
]

NOT_PERSONAL = [
    ("ISO date", "2019-05-01"),
    ("compact date", "20190501"),
    ("Chinese date", "2019年5月1日"),
    ("two dates", "2019-05-01 2019-06-01"),
    ("case file id", "AB01-0001"),
    ("case id with a long number after letters", "DB20190001"),
    ("proportion", "0.8"),
    ("proportion with many decimals", "0.12345678"),
    ("count", "12"),
    ("choice", "不批准"),
    ("district", "东湖区"),
    ("checklist version", "case_file=3f9a12345678ab"),
    ("nothing", ""),
    ("one-character register entry not used", "王家村"),
]


@pytest.mark.parametrize("value,masked", [c[1:] for c in PERSONAL], ids=[c[0] for c in PERSONAL])
def test_what_looks_personal_is_masked(value, masked):
    assert mask_personal(value, REGISTER) == masked
    assert looks_personal(value, REGISTER)
    assert mask_personal(masked, REGISTER) == masked            # masking twice changes nothing


@pytest.mark.parametrize("value", [c[1] for c in NOT_PERSONAL], ids=[c[0] for c in NOT_PERSONAL])
def test_what_is_not_personal_is_left_alone(value):
    assert mask_personal(value, REGISTER) == value
    assert not looks_personal(value, REGISTER)


def test_place_fields_can_turn_off_name_guessing():
    assert mask_personal("金山") == "金*"                       # a surname first: guessed to be a name
    assert mask_personal("金山", guess_names=False) == "金山"
    assert mask_personal("金山区") == "金山区"                  # a place ending: not a name
    assert mask_personal("13812345678", guess_names=False) == "138****5678"


def test_names_can_be_any_iterable():
    assert mask_personal("交给赵六", ["赵六"]) == "交给赵*"
    assert mask_personal(None) == ""

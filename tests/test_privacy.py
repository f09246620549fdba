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

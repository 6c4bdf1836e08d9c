"""USCC validation names the failed check; generated codes pass stdnum and our checks."""

from __future__ import annotations

import random

import pytest
from django.utils import translation
from stdnum.cn import uscc as stdnum_uscc

from wufei.core.errors import ValidationFailed
from wufei.registry.uscc import org_code_check_digit, uscc_generate, uscc_validate

# Published codes (the first is stdnum's own example); each is checked against stdnum below.
PUBLIC_CODES = [
    "91110000600037341L",
    "91110108551385082Q",
    "914403001922038216",
    "91350100M000100Y43",
    "91440300708461136T",
    # Post-2015 "MA" organisation codes also carry a GB 11714 check digit.
    "91110108MA01MNU448",
    "91110108MA01R70K8D",
    "91440300MA5G21P972",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _with_final_digit(first17: str) -> str:
    return first17 + stdnum_uscc.calc_check_digit(first17)


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_public_codes_are_valid(code):
    assert stdnum_uscc.is_valid(code)
    assert uscc_validate(code) == code


def test_input_is_compacted_and_upper_cased():
    assert uscc_validate(" 91110000 600037341l ") == "91110000600037341L"
    assert uscc_validate("9111-0000-6000-3734-1L") == "91110000600037341L"


def _failure(value: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        uscc_validate(value)
    assert caught.value.field == "uscc"
    return caught.value


def test_wrong_length():
    error = _failure("9111000060003734")
    assert error.code == "uscc_length"
    assert "18" in error.message and "16" in error.message
    assert "GB 32100-2015" in error.message


def test_empty():
    assert _failure("").code == "uscc_length"


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_excluded_letters(letter):
    error = _failure("91110000600037341" + letter)
    assert error.code == "uscc_format"
    assert "I, O, Z, S" in error.message
    assert "18" in error.message  # the position


def test_letter_in_division_code():
    error = _failure("9111A000600037341L")
    assert error.code == "uscc_format"
    assert "Position 5" in error.message


def test_unassigned_authority():
    error = _failure(_with_final_digit("01110000600037341"))
    assert error.code == "uscc_authority"
    assert "registration authority" in error.message


def test_unassigned_entity_type():
    error = _failure(_with_final_digit("90110000600037341"))
    assert error.code == "uscc_entity_type"


def test_unknown_province():
    error = _failure(_with_final_digit("91990000600037341"))
    assert error.code == "uscc_region"
    assert "990000" in error.message


def test_wrong_organisation_code_check_digit():
    # 60003734's GB 11714 check digit is 1; 2 is wrong even though the final digit fits.
    code = _with_final_digit("91110000600037342")
    assert stdnum_uscc.is_valid(code)  # stdnum alone would accept it
    error = _failure(code)
    assert error.code == "uscc_org_code_checksum"
    assert "GB 11714" in error.message


def test_wrong_final_check_digit():
    error = _failure("91110000600037341M")
    assert error.code == "uscc_checksum"
    assert "position 18" in error.message


def test_organisation_code_check_digit_values():
    # GB 11714-1997: X for a remainder of 10, 0 for 11; letters count 10–35.
    assert org_code_check_digit("60003734") == "1"
    assert org_code_check_digit("M000100Y") == "4"
    bodies = {org_code_check_digit(f"{n:08d}") for n in range(200)}
    assert {"X", "0"} <= bodies


def test_generated_codes_are_valid_and_located():
    rng = random.Random(7)
    codes = [uscc_generate(rng, region_code="330108") for _ in range(500)]
    assert all(stdnum_uscc.is_valid(c) and uscc_validate(c) == c for c in codes)
    assert all(c.startswith("91330108") for c in codes)
    assert any(c[8:10] == "MA" for c in codes)
    assert len(set(codes)) == len(codes)


def test_generation_is_deterministic_and_pads_region():
    a = uscc_generate(random.Random(1), region_code="3301", kind="12")
    b = uscc_generate(random.Random(1), region_code="3301", kind="12")
    assert a == b and a.startswith("12330100")
    assert uscc_validate(a) == a


def test_generation_refuses_bad_arguments():
    with pytest.raises(ValueError):
        uscc_generate(random.Random(1), region_code="33x")
    with pytest.raises(ValueError):
        uscc_generate(random.Random(1), region_code="330108", kind="01")


def test_messages_are_chinese_by_default():
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        uscc_validate("91110000600037341M")
    assert "第18位校验码错误" in caught.value.message
    assert "GB 32100-2015" in caught.value.message

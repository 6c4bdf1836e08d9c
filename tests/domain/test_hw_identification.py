from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wufei.domain.hw_identification import (
    CODE_LENGTH,
    IdentificationCode,
    IdentificationCodeInvalid,
    LabelSize,
    SequenceExhausted,
    identification_code_build,
    identification_code_parse,
    label_size_for_volume,
    waste_code_digits,
)

USCC = "91330108MA27XK3L4B"  # 18 characters; validity is the registry's business


def test_code_is_unit_waste_code_date_and_sequence_in_37_characters() -> None:
    code = identification_code_build(
        unit_code=USCC, waste_code="900-249-08", generated_on=date(2024, 3, 7), sequence=12
    )
    assert code == "91330108MA27XK3L4B9002490820240307012"
    assert len(code) == CODE_LENGTH == 37


def test_parse_is_the_inverse_of_build() -> None:
    parsed = identification_code_parse("91330108MA27XK3L4B9002490820240307012")
    assert parsed == IdentificationCode(USCC, "900-249-08", date(2024, 3, 7), 12)
    assert str(parsed) == "91330108MA27XK3L4B9002490820240307012"


def test_hj608_substitute_unit_codes_are_accepted() -> None:
    # HJ 608-2017: "H9" + issuing authority's division code + "0000" + 5-digit sequence + letter
    unit = "H9330108000012345a"
    code = identification_code_build(
        unit_code=unit, waste_code="772-006-49", generated_on=date(2025, 12, 31), sequence=999
    )
    assert code == "H9330108000012345a7720064920251231999"
    assert identification_code_parse(code).unit_code == unit


def test_waste_code_digits_drop_the_hyphens() -> None:
    assert waste_code_digits("900-041-49") == "90004149"
    with pytest.raises(IdentificationCodeInvalid):
        waste_code_digits("90004149")
    with pytest.raises(IdentificationCodeInvalid):
        waste_code_digits("HW49")


@pytest.mark.parametrize("sequence", [0, 1000, -1])
def test_sequence_outside_001_999_is_refused(sequence: int) -> None:
    with pytest.raises(SequenceExhausted):
        identification_code_build(
            unit_code=USCC,
            waste_code="900-249-08",
            generated_on=date(2024, 1, 1),
            sequence=sequence,
        )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "91330108MA27XK3L4B900249082024030701",  # 36 characters
        "91330108MA27XK3L4B90024908202403070123",  # 38
        "91330108MA27XK3L4B9002490820240230012",  # 30 February
        "91330108MA27XK3L4B9002490820240307000",  # sequence 000
        "91330108MA27XK3L4-9002490820240307012",  # hyphen in the unit code
    ],
)
def test_malformed_codes_are_refused(value: str) -> None:
    with pytest.raises(IdentificationCodeInvalid):
        identification_code_parse(value)


def test_bad_unit_codes_are_refused() -> None:
    with pytest.raises(IdentificationCodeInvalid):
        identification_code_build(
            unit_code="91330108", waste_code="900-249-08", generated_on=date(2024, 1, 1), sequence=1
        )


@pytest.mark.parametrize(
    ("volume", "size"),
    [
        ("0.5", LabelSize(100, 3, 1)),
        ("50", LabelSize(100, 3, 1)),
        ("50.1", LabelSize(150, 5, 1)),
        ("200", LabelSize(150, 5, 1)),
        ("450", LabelSize(150, 5, 1)),
        ("450.1", LabelSize(200, 6, 2)),
        ("1000", LabelSize(200, 6, 2)),
    ],
)
def test_label_size_follows_the_volume_classes_of_hj_1276(volume: str, size: LabelSize) -> None:
    assert label_size_for_volume(Decimal(volume)) == size


def test_a_container_without_volume_has_no_label_size() -> None:
    with pytest.raises(ValueError):
        label_size_for_volume(Decimal(0))

"""Exact mass conversion and HJ 1259 batch codes (pure functions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wufei.domain.ledger_batch_codes import batch_code_format, batch_code_parse, batch_prefix
from wufei.domain.ledger_units import QuantityRefused, grams_as, grams_from, tonnes_text


@pytest.mark.parametrize(
    ("value", "unit", "grams"),
    [
        ("12.5", "kg", 12_500),
        ("0.001", "kg", 1),
        ("1.000001", "t", 1_000_001),
        ("3", "吨", 3_000_000),
        (Decimal("2.25"), "千克", 2_250),
        ("1,234.5", "公斤", 1_234_500),
        (7, "KG", 7_000),
    ],
)
def test_grams_are_exact(value, unit, grams) -> None:
    assert grams_from(value, unit) == grams


@pytest.mark.parametrize(
    ("value", "unit", "code"),
    [
        ("0.0005", "kg", "finer_than_gram"),
        ("1.0000005", "t", "finer_than_gram"),
        ("abc", "kg", "not_a_number"),
        ("NaN", "kg", "not_a_number"),
        ("1", "lb", "unit_unknown"),
    ],
)
def test_what_cannot_be_kept_exactly_is_refused(value, unit, code) -> None:
    with pytest.raises(QuantityRefused) as exc:
        grams_from(value, unit)
    assert exc.value.code == code


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        grams_from(0.1, "kg")  # type: ignore[arg-type]


def test_grams_written_back_without_noise() -> None:
    assert grams_as(12_500, "kg") == "12.5"
    assert grams_as(12_000, "kg") == "12"
    assert grams_as(1, "t") == "0.000001"
    assert grams_as(1_500_000, "t") == "1.5"
    assert tonnes_text(1_234_567) == "1.235"
    assert tonnes_text(1_234_567_000) == "1,234.567"


def test_batch_prefixes_follow_the_examples_of_appendix_b() -> None:
    assert batch_prefix("generate") == "HWCS"
    assert batch_prefix("store_in") == "HWRK"
    assert batch_prefix("store_out") == "HWCK"
    assert batch_prefix("treat_in_house", treatment_kind="utilisation") == "HWZXLY"
    assert batch_prefix("treat_in_house", treatment_kind="disposal") == "HWZXCZ"
    assert batch_prefix("hand_over", treatment_kind="utilisation") == "HWWWLY"
    assert batch_prefix("hand_over", treatment_kind="disposal") == "HWWWCZ"
    assert batch_prefix("hand_over", treatment_kind="disposal", export=True) == "HWCKCZ"
    assert batch_prefix("hand_over", treatment_kind="utilisation", export=True) == "HWCKLY"


def test_batch_code_format_and_parse() -> None:
    code = batch_code_format("HWCS", date(2021, 10, 31), 1)
    assert code == "HWCS20211031001"  # the example of table B.1
    assert batch_code_parse(code) == ("HWCS", date(2021, 10, 31), 1)
    assert batch_code_format("HWZXLY", date(2021, 10, 31), 1) == "HWZXLY20211031001"
    assert batch_code_format("HWRK", date(2024, 1, 2), 1234) == "HWRK202401021234"
    assert batch_code_parse("B-17") is None
    assert batch_code_parse("HWCS20211341001") is None  # no 41st of the 13th month

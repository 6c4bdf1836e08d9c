from __future__ import annotations

import pytest

from wufei.domain.manifest_numbers import (
    ManifestNumberExhausted,
    manifest_number_format,
    manifest_number_parse,
)


def test_number_is_year_province_city_and_six_digit_sequence() -> None:
    number = manifest_number_format(year=2025, region_code="330108", sequence=42)
    assert str(number) == "20253301000042"
    assert manifest_number_parse("20253301000042") == number


def test_township_codes_number_by_their_city() -> None:
    assert str(manifest_number_format(year=2025, region_code="330108001", sequence=1)) == (
        "20253301000001"
    )


def test_out_of_range_sequence_and_bad_numbers_are_refused() -> None:
    with pytest.raises(ManifestNumberExhausted):
        manifest_number_format(year=2025, region_code="330108", sequence=1_000_000)
    with pytest.raises(ValueError):
        manifest_number_parse("2025330100004")

"""Transfer manifest numbers (危险废物转移管理办法 第十五条).

14 digits: year (4) + the shipper's province code (2) + its city code (2) + a six-digit running
number per city and year. Allocation must be race-free; that is the database's job (a counter row
locked per city and year). This module only formats and parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_PATTERN = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{6})$")
MAX_SEQUENCE = 999_999


class ManifestNumberExhausted(OverflowError):
    """A city used all six-digit numbers in a year: the rule cannot number another manifest."""


@dataclass(frozen=True)
class ManifestNumber:
    year: int
    province: str
    city: str
    sequence: int

    def __str__(self) -> str:
        return f"{self.year:04d}{self.province}{self.city}{self.sequence:06d}"


def city_key(region_code: str) -> tuple[str, str]:
    """The (province, city) digits of a GB/T 2260 county or township code: 330108 → (33, 01)."""
    if len(region_code) < 6 or not region_code[:6].isdigit():
        raise ValueError(f"not a county-level division code: {region_code!r}")
    return region_code[:2], region_code[2:4]


def manifest_number_format(*, year: int, region_code: str, sequence: int) -> ManifestNumber:
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ManifestNumberExhausted(f"running number {sequence} outside 000001–999999 (第十五条)")
    province, city = city_key(region_code)
    return ManifestNumber(year, province, city, sequence)


def manifest_number_parse(value: str) -> ManifestNumber:
    match = NUMBER_PATTERN.match(value)
    if match is None:
        raise ValueError(f"a manifest number has 14 digits (第十五条): {value!r}")
    year, province, city, seq = match.groups()
    return ManifestNumber(int(year), province, city, int(seq))

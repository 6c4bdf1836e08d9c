"""The hazardous waste label of HJ 1276-2022 (危险废物识别标志设置技术规范): the digital
identification code (数字识别码) and the label size for a container's volume.

Digital identification code — UNVERIFIED SEGMENT LENGTHS. What public summaries of HJ 1276-2022
say (see wufei/ledger/LABELS.md for the sources): the code has 4 segments and 37 characters in
all; segment 1 is the code of the unit that generated or collected the waste, segment 2 the
waste code, segment 3 the generation or collection date, segment 4 the sequence number of the
waste. No retrieved text gave the length of each segment. The split used here is the only one
that adds up to 37 with the parts the summaries name:

    segment 1  18 characters  unit code: the 统一社会信用代码 (GB 32100), or for a unit without one
                              the 18-character substitute code of HJ 608-2017
    segment 2   8 digits      the 国家危险废物名录 code without hyphens (900-249-08 → 90024908)
    segment 3   8 digits      date, YYYYMMDD
    segment 4   3 digits      sequence per unit, waste code and date, 001–999

No separators (18 + 8 + 8 + 3 = 37). If the official appendix says otherwise, change
`identification_code_build` and `identification_code_parse` (and the constants above them):
nothing else in Wufei depends on the layout.

Label size (HJ 1276-2022 table 1, confirmed from a public summary): container volume ≤ 50 L →
100 × 100 mm with text at least 3 mm high; > 50 L and ≤ 450 L → 150 × 150 mm, 5 mm; > 450 L →
200 × 200 mm, 6 mm. A container of more than 450 L carries a label on two opposite sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

UNIT_CODE_LENGTH = 18
WASTE_CODE_DIGITS = 8
DATE_DIGITS = 8
SEQUENCE_DIGITS = 3
CODE_LENGTH = UNIT_CODE_LENGTH + WASTE_CODE_DIGITS + DATE_DIGITS + SEQUENCE_DIGITS  # 37
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1

# GB 32100 uses digits and capitals; the HJ 608 substitute code ends in a small letter.
UNIT_CODE = re.compile(r"^[0-9A-Za-z]{18}$")
# 国家危险废物名录 codes: industry, sequence, category.
WASTE_CODE = re.compile(r"^(\d{3})-(\d{3})-(\d{2})$")
CODE = re.compile(r"^([0-9A-Za-z]{18})(\d{3})(\d{3})(\d{2})(\d{8})(\d{3})$")


class IdentificationCodeInvalid(ValueError):
    """A value cannot be, or be part of, a digital identification code."""


class SequenceExhausted(IdentificationCodeInvalid):
    """The unit used every sequence number for this waste code on this day."""


@dataclass(frozen=True)
class IdentificationCode:
    unit_code: str
    waste_code: str  # as in the list: 900-249-08
    generated_on: date
    sequence: int

    def __str__(self) -> str:
        return identification_code_build(
            unit_code=self.unit_code,
            waste_code=self.waste_code,
            generated_on=self.generated_on,
            sequence=self.sequence,
        )


def waste_code_digits(waste_code: str) -> str:
    """900-249-08 → 90024908."""
    match = WASTE_CODE.match(waste_code)
    if match is None:
        raise IdentificationCodeInvalid(f"not a code of the national list: {waste_code!r}")
    return "".join(match.groups())


def identification_code_build(
    *, unit_code: str, waste_code: str, generated_on: date, sequence: int
) -> str:
    """The 37-character code: unit code, waste code digits, YYYYMMDD, three-digit sequence."""
    if not UNIT_CODE.match(unit_code):
        raise IdentificationCodeInvalid(f"a unit code has 18 letters or digits: {unit_code!r}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise SequenceExhausted(f"sequence {sequence} outside 001–{MAX_SEQUENCE}")
    return (
        f"{unit_code}{waste_code_digits(waste_code)}"
        f"{generated_on:%Y%m%d}{sequence:0{SEQUENCE_DIGITS}d}"
    )


def identification_code_parse(value: str) -> IdentificationCode:
    match = CODE.match(value)
    if match is None:
        raise IdentificationCodeInvalid(
            f"a digital identification code has {CODE_LENGTH} characters: {value!r}"
        )
    unit, industry, serial, category, day, sequence = match.groups()
    try:
        generated_on = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        raise IdentificationCodeInvalid(f"no such date {day} in {value!r}") from None
    if int(sequence) == 0:
        raise IdentificationCodeInvalid(f"sequence 000 in {value!r}")
    return IdentificationCode(unit, f"{industry}-{serial}-{category}", generated_on, int(sequence))


@dataclass(frozen=True)
class LabelSize:
    side_mm: int  # the label is square
    min_text_mm: int
    labels_per_container: int  # > 450 L: two opposite sides


# (largest volume in litres or None for "any larger", size); HJ 1276-2022 table 1.
LABEL_SIZES: tuple[tuple[Decimal | None, LabelSize], ...] = (
    (Decimal(50), LabelSize(100, 3, 1)),
    (Decimal(450), LabelSize(150, 5, 1)),
    (None, LabelSize(200, 6, 2)),
)


def label_size_for_volume(volume_l: Decimal) -> LabelSize:
    """The minimum label size and text height for a container of `volume_l` litres."""
    if volume_l <= 0:
        raise ValueError(f"a container has a positive volume, not {volume_l} L")
    for limit, size in LABEL_SIZES:
        if limit is None or volume_l <= limit:
            return size
    raise AssertionError("the last size class has no limit")

"""Masses as entered (kg or t) and as kept (integer grams).

The ledger keeps integer grams (ADR 0003) so that sums are exact in SQL on every database.
People type kilograms or tonnes (HJ 1259 appendix B: 产生量 + 计量单位); the conversion is exact
in Decimal and refuses anything finer than a gram rather than rounding it away.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

GRAMS_PER_UNIT: dict[str, int] = {"kg": 1_000, "t": 1_000_000}
# What people write in the 计量单位 column, mapped to the unit we keep.
UNIT_ALIASES: dict[str, str] = {
    "kg": "kg",
    "千克": "kg",
    "公斤": "kg",
    "t": "t",
    "吨": "t",
}


class QuantityRefused(ValueError):
    """A quantity or unit that cannot be kept exactly; `code` says why."""

    def __init__(self, code: str, value: str) -> None:
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value


def unit_normalise(text: str) -> str:
    """'KG', '千克', ' t ' → 'kg' / 't'; anything else is refused (code 'unit_unknown')."""
    unit = UNIT_ALIASES.get(text.strip().lower())
    if unit is None:
        raise QuantityRefused("unit_unknown", text)
    return unit


def grams_from(value: Decimal | int | str, unit: str) -> int:
    """The exact number of grams in `value` `unit`.

    Refuses floats (binary rounding), non-numbers ('not_a_number'), more precision than a gram
    ('finer_than_gram'). The sign is kept: whether a quantity may be zero or negative is a
    ledger rule, not a unit question.
    """
    if isinstance(value, float):
        raise TypeError("masses are Decimal, int or str, never float")
    per_unit = GRAMS_PER_UNIT[unit_normalise(unit)]
    text = str(value).strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise QuantityRefused("not_a_number", str(value)) from None
    if not amount.is_finite():
        raise QuantityRefused("not_a_number", str(value))
    grams = amount * per_unit
    if grams != grams.to_integral_value():
        raise QuantityRefused("finer_than_gram", str(value))
    return int(grams)


def grams_as(grams: int, unit: str) -> str:
    """`grams` written in `unit` without exponent or trailing zeros: 12500 g in kg → '12.5'."""
    per_unit = GRAMS_PER_UNIT[unit_normalise(unit)]
    places = len(str(per_unit)) - 1
    text = f"{Decimal(grams).scaleb(-places):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def tonnes_exact(grams: int) -> Decimal:
    """Grams as an exact Decimal number of tonnes (no rounding: 1234567 g → 1.234567)."""
    return Decimal(grams) / GRAMS_PER_UNIT["t"]


def tonnes_text(grams: int) -> str:
    """Tonnes with three decimals, as every page shows masses: 1234567 g → '1.235'."""
    return f"{(Decimal(grams) / GRAMS_PER_UNIT['t']).quantize(Decimal('0.001')):,.3f}"

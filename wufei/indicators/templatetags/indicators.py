"""Small display filters for indicator pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def signed(value: Decimal | None) -> str:
    """+1.5 / −0.3 / 0, without trailing zeros."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return f"+{text}" if value > 0 else text.replace("-", "−")


@register.filter
def segments(spark: str) -> list[dict[str, object]]:
    """A sparkline's polyline segments (split where a year is missing) and their dots."""
    parts = [s for s in spark.split("|") if s]
    return [{"points": p, "dots": [xy.split(",") for xy in p.split()]} for p in parts]


@register.filter
def plain(value: Decimal | None) -> str:
    """A Decimal without trailing zeros or exponent: 100.000000 → 100, 99.810000 → 99.81."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


@register.filter
def shown(value: Decimal | None, unit: str) -> str:
    """Rates with the two decimals they are computed to (100.00 %), other values as kept."""
    if value is None:
        return ""
    if unit == "%":
        return f"{value.quantize(Decimal('0.01')):f}"
    return plain(value)

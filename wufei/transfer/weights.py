"""Grams on documents, tonnes for people: the two views of a manifest's weights (ADR 0003)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

GRAMS_PER_TONNE = 1_000_000


def tonnes_exact(grams: int) -> Decimal:
    """Grams as tonnes with six places: exact, for APIs."""
    return (Decimal(grams) / GRAMS_PER_TONNE).quantize(Decimal("0.000001"))


def tonnes_display(grams: int | None) -> str:
    """Grams as tonnes with three places, for pages and copies of record."""
    if grams is None:
        return "—"
    value = (Decimal(grams) / GRAMS_PER_TONNE).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return f"{value:,.3f}"


def tonnes_to_grams(tonnes: Decimal) -> int:
    """A registry capacity (Decimal tonnes, six places) in whole grams."""
    return int((tonnes * GRAMS_PER_TONNE).to_integral_value(rounding=ROUND_HALF_UP))

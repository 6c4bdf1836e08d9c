"""Template filters for masses kept in integer grams: {{ grams|kg }}, {{ grams|tonnes }}."""

from __future__ import annotations

from django import template

from wufei.domain.ledger_units import grams_as, tonnes_text

register = template.Library()


@register.filter
def kg(grams: int | None) -> str:
    """12500 → '12.5' (exact, no rounding)."""
    return "" if grams is None else grams_as(int(grams), "kg")


@register.filter
def tonnes(grams: int | None) -> str:
    """Three decimals, as every page shows tonnes: 1234567 → '1.235'."""
    return "" if grams is None else tonnes_text(int(grams))

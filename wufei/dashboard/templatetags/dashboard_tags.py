"""Template filters of the map pages."""

from __future__ import annotations

from django import template

from wufei.domain.ledger_units import tonnes_text

register = template.Library()


@register.filter
def tonnes(grams: int | None) -> str:
    """Grams shown as tonnes with three decimals (every page shows masses so)."""
    return tonnes_text(int(grams or 0))

"""Template filters for registry pages: exact tonnes and permit validity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template

from wufei.registry.models import Permit
from wufei.registry.selectors import permit_validity

register = template.Library()


@register.filter
def tonnes(value: Decimal | None) -> str:
    """30000.000000 → "30,000"; 12.500000 → "12.5". Exact: Decimal, never float."""
    if value is None:
        return ""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def validity(permit: Permit, today: date) -> str:
    return permit_validity(permit, today=today)

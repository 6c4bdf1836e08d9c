"""Exact masses.

Mass is never a float. Database columns hold tonnes as Decimal with six places, which is exact
to the gram; arithmetic in Python uses Decimal. `TonnesField` is the one column type for mass.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

TONNE_PLACES = 6
GRAM = Decimal("0.000001")  # one gram, in tonnes


class TonnesField(models.DecimalField):
    """A mass in tonnes, exact to the gram."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", TONNE_PLACES)
        super().__init__(*args, **kwargs)


def to_tonnes(value: Decimal | int | str) -> Decimal:
    """Parse a mass in tonnes exactly; refuses floats so that no binary rounding sneaks in."""
    if isinstance(value, float):
        raise TypeError("masses are Decimal, int or str, never float")
    return Decimal(value).quantize(GRAM)

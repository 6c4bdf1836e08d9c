"""Thresholds of the stock and generation warnings, as plain arithmetic on integer grams.

- How long a batch has been in store against the one-year limit of 固废法 第八十一条第三款.
- How full a store is against the capacity its facility declared.
- Whether a month's generation departs from the unit's own history (a robust test: the median
  of past months, which one odd month cannot move) or from its management plan (第七十八条).

Mass stays in integer grams; ratios are compared by cross-multiplying or as `Fraction`s, so no
rounding decides a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

TONNE_G = 1_000_000


class Level(StrEnum):
    """Severity values shared with the alerts app (Severity choices)."""

    MEDIUM = "medium"
    HIGH = "high"


def storage_age_level(*, days_held: int, warn_days: int, limit_days: int) -> Level | None:
    """Medium from `warn_days` on, high once the batch is held longer than `limit_days`."""
    if days_held > limit_days:
        return Level.HIGH
    if days_held >= warn_days:
        return Level.MEDIUM
    return None


def capacity_grams(capacity_t: Decimal) -> int:
    """Declared capacity in tonnes (a Decimal with at most 6 places) as integer grams."""
    return int(capacity_t * TONNE_G)


def capacity_level(
    *, stock_g: int, capacity_g: int, warn_percent: int, limit_percent: int
) -> Level | None:
    """Medium at `warn_percent` of capacity or more, high above `limit_percent`.

    A store without a positive capacity is not judged (nothing was declared)."""
    if capacity_g <= 0:
        return None
    if stock_g * 100 > capacity_g * limit_percent:
        return Level.HIGH
    if stock_g * 100 >= capacity_g * warn_percent:
        return Level.MEDIUM
    return None


def fill_percent(*, stock_g: int, capacity_g: int) -> int:
    """Stock as a whole percentage of capacity, rounded down (for the message only)."""
    return stock_g * 100 // capacity_g if capacity_g > 0 else 0


def median(values: Sequence[int]) -> Fraction:
    """The exact median (the mean of the two middle values for an even count)."""
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


class Direction(StrEnum):
    ABOVE = "above"
    BELOW = "below"


@dataclass(frozen=True)
class Anomaly:
    direction: Direction
    current_g: int
    median_g: int  # rounded down, for the message
    months: int  # history months the median was taken over


def generation_anomaly(
    *,
    history_g: Sequence[int],
    current_g: int,
    factor: int,
    floor_g: int,
    min_months: int,
) -> Anomaly | None:
    """Whether `current_g` departs from the median of `history_g` by more than `factor`.

    Above `factor` × median or below median / `factor`; judged only with at least `min_months`
    of history and a median above `floor_g` (small producers vary too much to judge).
    """
    if len(history_g) < min_months or factor <= 1:
        return None
    centre = median(history_g)
    if centre <= floor_g:
        return None
    if current_g > centre * factor:
        direction = Direction.ABOVE
    elif current_g * factor < centre:
        direction = Direction.BELOW
    else:
        return None
    return Anomaly(direction, current_g, int(centre), len(history_g))


@dataclass(frozen=True)
class PlanExcess:
    generated_g: int  # generated from January to the end of the judged month
    allowed_g: int  # the plan's annual grams pro rata to the months elapsed (rounded down)
    planned_g: int  # the plan's annual grams
    months: int


def plan_excess(
    *, year_to_date_g: int, planned_annual_g: int, months_elapsed: int, margin_percent: int = 0
) -> PlanExcess | None:
    """Generation so far this year above the planned annual quantity pro rata
    (`planned × months / 12`, plus `margin_percent`)."""
    if planned_annual_g <= 0 or not 1 <= months_elapsed <= 12:
        return None
    # generated > planned × months/12 × (100 + margin)/100, cross-multiplied to stay exact
    if year_to_date_g * 12 * 100 <= planned_annual_g * months_elapsed * (100 + margin_percent):
        return None
    allowed = planned_annual_g * months_elapsed * (100 + margin_percent) // 1200
    return PlanExcess(year_to_date_g, allowed, planned_annual_g, months_elapsed)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(first_of_month: date, count: int) -> date:
    """The first day of the month `count` months before `first_of_month`."""
    index = first_of_month.year * 12 + first_of_month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def history_months(*, judged_month: date, first_activity: date, span: int = 12) -> list[date]:
    """The (up to `span`) months before `judged_month` in which the unit was already active."""
    since = months_back(month_start(judged_month), span)
    start = max(since, month_start(first_activity))
    months = []
    current = start
    while current < month_start(judged_month):
        months.append(current)
        current = months_back(current, -1)
    return months

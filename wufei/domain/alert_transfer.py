"""The arithmetic behind the transfer and permit warnings, without Django.

The warning rules (`wufei.alerts.rules.transfer_rules`) select the records; these functions
decide, from plain numbers and dates, whether a situation deserves a warning and how severe it
is. Ratios are compared in integers (grams × 1000 against per-mille), so a difference of exactly
the threshold never flips with rounding.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from wufei.domain.workdays import CalendarYearUnknown, WorkdayCalendar

LOW = "low"
MEDIUM = "medium"
HIGH = "high"
CRITICAL = "critical"

GRAMS_PER_KG = 1_000


def overdue_workdays(calendar: WorkdayCalendar, due: date, today: date) -> int | None:
    """Working days elapsed after the due date (第十八条 counts working days).

    None when the official calendar of a year in between is not loaded: the count is then
    unknown, never guessed.
    """
    try:
        return calendar.workdays_between(due, today)
    except CalendarYearUnknown:
        return None


def receipt_is_overdue(due: date | None, today: date) -> bool:
    """The receiver has not confirmed and the last day to do so has passed."""
    return due is not None and today > due


def deviation_exceeds(declared_g: int, observed_g: int, permille: int) -> bool:
    """|observed − declared| > permille/1000 × declared, exactly (no floats, no rounding)."""
    return abs(observed_g - declared_g) * 1000 > permille * declared_g


def weight_discrepancy_severity(
    declared_g: int, received_g: int, *, threshold_permille: int, floor_g: int
) -> str | None:
    """Medium beyond the threshold, high beyond twice it; None within it or below the floor.

    The absolute floor keeps weighbridge noise on small lines quiet: a 2 kg difference on a
    20 kg drum is 10 % but not worth a warning.
    """
    if declared_g <= 0 or abs(received_g - declared_g) < floor_g:
        return None
    if deviation_exceeds(declared_g, received_g, 2 * threshold_permille):
        return HIGH
    if deviation_exceeds(declared_g, received_g, threshold_permille):
        return MEDIUM
    return None


def percent_text(part: int, whole: int) -> str:
    """part/whole as a percentage with one decimal, rounded half up: (63, 1000) → '6.3'."""
    if whole <= 0:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}"


def capacity_severity(used_g: int, capacity_g: int, *, warn_percent: int) -> str | None:
    """High once the year's accepted waste reaches the licensed annual scale (whatever comes
    next exceeds it), medium from `warn_percent` of it, None below; a permit without a scale
    is never warned."""
    if capacity_g <= 0:
        return None
    if used_g >= capacity_g:
        return HIGH
    if used_g * 100 >= warn_percent * capacity_g:
        return MEDIUM
    return None


def days_left(valid_until: date, today: date) -> int:
    """Calendar days from today to the last valid day (0 on it, negative once expired)."""
    return (valid_until - today).days


def expiry_severity(
    valid_until: date,
    today: date,
    *,
    days: int,
    urgent_days: int,
    counts_if_expired: bool,
) -> str | None:
    """Low when the end falls within `days`, medium within `urgent_days` or once expired.

    An expired document only matters while something still depends on it (`counts_if_expired`:
    open manifests, quantity left); otherwise it is history, not a warning.
    """
    left = days_left(valid_until, today)
    if left < 0:
        return MEDIUM if counts_if_expired else None
    if left <= urgent_days:
        return MEDIUM
    if left <= days:
        return LOW
    return None


def is_renewed(valid_until: date, others: Iterable[tuple[date, date]]) -> bool:
    """Whether another (valid_from, valid_until) of the same holder and kind takes over: it
    starts no later than the day after this one ends and runs beyond it."""
    next_day = valid_until + timedelta(days=1)
    return any(start <= next_day and end > valid_until for start, end in others)

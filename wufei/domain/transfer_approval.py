"""Validity of a cross-province transfer approval (危险废物转移管理办法 第二十七条).

A decision approving a cross-province transfer is valid for twelve months, and not beyond the
period the shipper applied for nor the receiver's licence. Whatever date a record carries as its
end, the approval never covers a day more than twelve months after it took effect.
"""

from __future__ import annotations

from datetime import date, timedelta

VALIDITY_MONTHS = 12


def twelve_months_after(start: date) -> date:
    """The last day of the twelve months starting on `start` (29 February → 28 February)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February of a leap year
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def approval_last_day(valid_from: date, valid_until: date, *, licence_until: date | None) -> date:
    """The last day an approval may be used: its end date, cut at 12 months and the licence."""
    last = min(valid_until, twelve_months_after(valid_from))
    if licence_until is not None:
        last = min(last, licence_until)
    return last


def approval_covers(day: date, valid_from: date, last_day: date) -> bool:
    return valid_from <= day <= last_day

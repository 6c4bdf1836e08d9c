"""Working days under the official holiday and adjusted-workday calendar.

Deadlines in the transfer rules count working days (危险废物转移管理办法 第十八条: receipt
within 5 working days). A working day is Monday–Friday unless the State Council's annual notice
makes it a holiday, plus the weekend days it makes working days (调休). The calendar only knows
the years whose notice it was given; asking about another year raises, because guessing a
deadline is worse than saying it cannot be computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


class CalendarYearUnknown(LookupError):
    """The official calendar for this year has not been loaded (or not yet published)."""


@dataclass(frozen=True)
class WorkdayCalendar:
    years: frozenset[int]
    holidays: frozenset[date] = field(default_factory=frozenset)
    adjusted_workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls, *, years: Iterable[int], holidays: Iterable[date], adjusted_workdays: Iterable[date]
    ) -> WorkdayCalendar:
        return cls(frozenset(years), frozenset(holidays), frozenset(adjusted_workdays))

    def is_workday(self, day: date) -> bool:
        if day.year not in self.years:
            raise CalendarYearUnknown(f"the official holiday calendar for {day.year} is not loaded")
        if day in self.adjusted_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, count: int) -> date:
        """The date `count` working days after `start` (start itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have elapsed since `start` by `end`."""
        if end <= start:
            return 0
        return sum(
            1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(n))
        )

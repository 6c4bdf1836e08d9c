"""Working-day arithmetic against hand-counted dates of the 2025 National Day holiday.

国办发明电〔2024〕12号: 10月1日至8日放假调休，共8天；9月28日（周日）、10月11日（周六）上班.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wufei.domain.workdays import CalendarYearUnknown, WorkdayCalendar

CAL_2025 = WorkdayCalendar.build(
    years=[2025],
    holidays=[date(2025, 10, 1) + timedelta(days=n) for n in range(8)],
    adjusted_workdays=[date(2025, 9, 28), date(2025, 10, 11)],
)


def test_adjusted_sunday_is_a_workday_and_holiday_weekday_is_not() -> None:
    assert CAL_2025.is_workday(date(2025, 9, 28))  # Sunday, 调休上班
    assert not CAL_2025.is_workday(date(2025, 10, 6))  # Monday, holiday
    assert not CAL_2025.is_workday(date(2025, 10, 12))  # ordinary Sunday


def test_five_working_days_across_national_day() -> None:
    # Arrived Tue 30 Sep: 9 Oct (1), 10 Oct (2), Sat 11 Oct (3), 13 Oct (4), 14 Oct (5).
    assert CAL_2025.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 14)


def test_ordinary_week() -> None:
    # Arrived Thu 6 Mar 2025: Fri 7 (1), Mon 10 (2), 11 (3), 12 (4), Thu 13 (5).
    assert CAL_2025.add_workdays(date(2025, 3, 6), 5) == date(2025, 3, 13)


def test_workdays_between_counts_elapsed_days() -> None:
    assert CAL_2025.workdays_between(date(2025, 9, 30), date(2025, 10, 14)) == 5
    assert CAL_2025.workdays_between(date(2025, 9, 30), date(2025, 10, 13)) == 4
    assert CAL_2025.workdays_between(date(2025, 10, 14), date(2025, 10, 1)) == 0


def test_unknown_year_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarYearUnknown):
        CAL_2025.add_workdays(date(2025, 12, 30), 5)

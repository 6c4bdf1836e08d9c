"""The arithmetic of the transfer warnings, against values computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from wufei.domain import alert_transfer as calc
from wufei.domain.workdays import WorkdayCalendar

# 2024: 1 May (Wednesday) to 5 May are holidays, Saturday 11 May is a working day.
CAL = WorkdayCalendar.build(
    years=[2024],
    holidays=[date(2024, 5, d) for d in range(1, 6)],
    adjusted_workdays=[date(2024, 5, 11)],
)


def test_overdue_workdays_skip_holidays_and_count_adjusted_days():
    # due Tue 30 Apr; 1–5 May holidays; Mon 6 … Sat 11 (adjusted) = 6 working days by the 11th
    assert calc.overdue_workdays(CAL, date(2024, 4, 30), date(2024, 5, 11)) == 6
    assert calc.overdue_workdays(CAL, date(2024, 4, 30), date(2024, 5, 5)) == 0
    assert calc.overdue_workdays(CAL, date(2024, 4, 30), date(2024, 4, 30)) == 0


def test_overdue_workdays_unknown_year_is_none_not_a_guess():
    assert calc.overdue_workdays(CAL, date(2024, 12, 30), date(2025, 1, 2)) is None


def test_receipt_overdue_only_after_the_due_day():
    due = date(2024, 5, 10)
    assert not calc.receipt_is_overdue(due, date(2024, 5, 10))
    assert calc.receipt_is_overdue(due, date(2024, 5, 11))
    assert not calc.receipt_is_overdue(None, date(2030, 1, 1))


@pytest.mark.parametrize(
    ("declared", "received", "expected"),
    [
        (1_000_000, 1_050_000, None),  # exactly 5 %: not beyond it
        (1_000_000, 1_050_001, "medium"),  # one gram beyond
        (1_000_000, 949_999, "medium"),  # short by just over 5 %
        (1_000_000, 1_100_000, "medium"),  # exactly 10 % = twice the threshold
        (1_000_000, 1_100_001, "high"),
        (1_000_000, 0, "high"),
        (100_000, 109_000, None),  # 9 % but only 9 kg: under the 10 kg floor
        (100_000, 110_000, "medium"),  # 10 kg reaches the floor
        (0, 50_000, None),
    ],
)
def test_weight_discrepancy_severity(declared, received, expected):
    got = calc.weight_discrepancy_severity(
        declared, received, threshold_permille=50, floor_g=10_000
    )
    assert got == expected


def test_deviation_is_exact_in_integers():
    # 1 g on 7 g: 1 × 1000 > 7 × 50; exactly 5 % of 20 g is not beyond it (1000 vs 1000)
    assert calc.deviation_exceeds(7, 8, 50)
    assert not calc.deviation_exceeds(20, 21, 50)
    assert calc.deviation_exceeds(20, 19, 49)


@pytest.mark.parametrize(
    ("used", "capacity", "expected"),
    [
        (89_999_999, 100_000_000, None),  # 89.999… %
        (90_000_000, 100_000_000, "medium"),  # 90 % inclusive
        (99_999_999, 100_000_000, "medium"),
        (100_000_000, 100_000_000, "high"),  # full: the next gram exceeds it
        (130_000_000, 100_000_000, "high"),
        (5, 0, None),  # no licensed scale: nothing to compare
    ],
)
def test_capacity_severity(used, capacity, expected):
    assert calc.capacity_severity(used, capacity, warn_percent=90) == expected


def test_percent_text_rounds_half_up_to_one_decimal():
    assert calc.percent_text(63, 1000) == "6.3"
    assert calc.percent_text(1, 2000) == "0.1"  # 0.05 → 0.1
    assert calc.percent_text(2, 3) == "66.7"
    assert calc.percent_text(1, 0) == "—"


@pytest.mark.parametrize(
    ("until", "open_work", "expected"),
    [
        (date(2024, 8, 1), False, None),  # 61 days left
        (date(2024, 7, 31), False, "low"),  # 60 days left
        (date(2024, 7, 2), False, "low"),  # 31 days
        (date(2024, 7, 1), False, "medium"),  # 30 days
        (date(2024, 6, 1), False, "medium"),  # last valid day
        (date(2024, 5, 31), False, None),  # expired, nothing depends on it
        (date(2024, 5, 31), True, "medium"),  # expired with manifests under way
    ],
)
def test_expiry_severity(until, open_work, expected):
    today = date(2024, 6, 1)
    got = calc.expiry_severity(until, today, days=60, urgent_days=30, counts_if_expired=open_work)
    assert got == expected


def test_days_left():
    assert calc.days_left(date(2024, 6, 1), date(2024, 6, 1)) == 0
    assert calc.days_left(date(2024, 3, 1), date(2024, 2, 28)) == 2  # leap day
    assert calc.days_left(date(2024, 5, 31), date(2024, 6, 1)) == -1


def test_is_renewed():
    until = date(2024, 6, 30)
    assert calc.is_renewed(until, [(date(2024, 7, 1), date(2029, 6, 30))])  # starts next day
    assert calc.is_renewed(until, [(date(2024, 6, 1), date(2029, 5, 31))])  # overlaps
    assert not calc.is_renewed(until, [(date(2024, 7, 2), date(2029, 6, 30))])  # a gap day
    assert not calc.is_renewed(until, [(date(2020, 1, 1), date(2024, 6, 30))])  # not beyond
    assert not calc.is_renewed(until, [])

"""Stock and generation warning arithmetic, against hand-computed values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from wufei.domain.alert_stock import (
    Direction,
    Level,
    capacity_grams,
    capacity_level,
    fill_percent,
    generation_anomaly,
    history_months,
    median,
    months_back,
    plan_excess,
    storage_age_level,
)

KG = 1000


@pytest.mark.parametrize(
    ("days", "level"),
    [(329, None), (330, Level.MEDIUM), (364, Level.MEDIUM), (365, Level.MEDIUM), (366, Level.HIGH)],
)
def test_storage_age_level(days, level):
    assert storage_age_level(days_held=days, warn_days=330, limit_days=365) == level


def test_capacity_grams_is_exact():
    assert capacity_grams(Decimal("12.500000")) == 12_500_000
    assert capacity_grams(Decimal("0.000001")) == 1


@pytest.mark.parametrize(
    ("stock_g", "level"),
    [
        (8_900_000, None),  # 89 %
        (9_000_000, Level.MEDIUM),  # 90 %
        (10_000_000, Level.MEDIUM),  # exactly full is not over
        (10_000_001, Level.HIGH),
        (10_100_000, Level.HIGH),  # 101 %
    ],
)
def test_capacity_level(stock_g, level):
    assert (
        capacity_level(stock_g=stock_g, capacity_g=10_000_000, warn_percent=90, limit_percent=100)
        == level
    )


def test_capacity_without_declared_capacity_is_not_judged():
    assert capacity_level(stock_g=5, capacity_g=0, warn_percent=90, limit_percent=100) is None
    assert fill_percent(stock_g=10_100_000, capacity_g=10_000_000) == 101


def test_median_is_exact():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 2, 3]) == Fraction(5, 2)
    with pytest.raises(ValueError):
        median([])


HISTORY = [400 * KG, 500 * KG, 600 * KG, 500 * KG, 450 * KG, 550 * KG]  # median 500 kg


def test_generation_above_three_times_the_median():
    found = generation_anomaly(
        history_g=HISTORY, current_g=1_501 * KG, factor=3, floor_g=100 * KG, min_months=6
    )
    assert found is not None and found.direction == Direction.ABOVE
    assert found.median_g == 500 * KG and found.months == 6
    assert (
        generation_anomaly(
            history_g=HISTORY, current_g=1_500 * KG, factor=3, floor_g=100 * KG, min_months=6
        )
        is None
    )


def test_generation_below_a_third_of_the_median():
    below = generation_anomaly(
        history_g=HISTORY, current_g=166 * KG, factor=3, floor_g=100 * KG, min_months=6
    )
    assert below is not None and below.direction == Direction.BELOW
    assert (
        generation_anomaly(
            history_g=HISTORY, current_g=167 * KG, factor=3, floor_g=100 * KG, min_months=6
        )
        is None
    )


def test_generation_needs_history_and_a_median_above_the_floor():
    assert (
        generation_anomaly(
            history_g=HISTORY[:5], current_g=5_000 * KG, factor=3, floor_g=100 * KG, min_months=6
        )
        is None
    )
    small = [90 * KG] * 8
    assert (
        generation_anomaly(
            history_g=small, current_g=5_000 * KG, factor=3, floor_g=100 * KG, min_months=6
        )
        is None
    )


def test_one_odd_month_does_not_move_the_median():
    history = [500 * KG] * 5 + [50_000 * KG]
    found = generation_anomaly(
        history_g=history, current_g=1_600 * KG, factor=3, floor_g=100 * KG, min_months=6
    )
    assert found is not None and found.median_g == 500 * KG


def test_plan_excess_pro_rata():
    # 120 t planned a year: 30 t allowed after three months
    assert (
        plan_excess(year_to_date_g=30_000_000, planned_annual_g=120_000_000, months_elapsed=3)
        is None
    )
    over = plan_excess(year_to_date_g=30_000_001, planned_annual_g=120_000_000, months_elapsed=3)
    assert over is not None and over.allowed_g == 30_000_000 and over.planned_g == 120_000_000
    # with a 10 % margin: 33 t allowed
    assert (
        plan_excess(
            year_to_date_g=33_000_000,
            planned_annual_g=120_000_000,
            months_elapsed=3,
            margin_percent=10,
        )
        is None
    )
    assert plan_excess(year_to_date_g=1, planned_annual_g=0, months_elapsed=3) is None


def test_months_back_and_history_months():
    assert months_back(date(2024, 3, 1), 12) == date(2023, 3, 1)
    assert months_back(date(2024, 1, 1), 1) == date(2023, 12, 1)
    assert months_back(date(2024, 12, 1), -1) == date(2025, 1, 1)
    full = history_months(judged_month=date(2024, 3, 1), first_activity=date(2020, 5, 6))
    assert full[0] == date(2023, 3, 1) and full[-1] == date(2024, 2, 1) and len(full) == 12
    recent = history_months(judged_month=date(2024, 3, 1), first_activity=date(2023, 10, 20))
    assert recent == [
        date(2023, 10, 1),
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]

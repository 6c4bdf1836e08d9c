"""Distance to target, trend and printed cells, by hand."""

from __future__ import annotations

from decimal import Decimal

from wufei.domain.indicator_progress import (
    Distance,
    cagr_percent,
    distance_to_target,
    printed_number,
    sparkline_points,
    year_on_year,
)


def test_printed_cells():
    assert printed_number("〔23〕") == Decimal(23)
    assert printed_number("98以上") == Decimal(98)
    assert printed_number("1.5") == Decimal("1.5")
    assert printed_number("—") is None
    assert printed_number("完成国家下达目标") is None
    assert printed_number("近90%") is None


def test_distance_for_each_target_kind():
    assert distance_to_target(
        value=Decimal("42"), target=Decimal("50"), kind="reach", direction="up"
    ) == Distance(Decimal(8), False)
    assert distance_to_target(
        value=Decimal("98.5"), target=Decimal("98"), kind="at_least", direction="up"
    ) == Distance(Decimal(0), True)
    assert distance_to_target(
        value=Decimal("12"), target=Decimal("10"), kind="at_most", direction="down"
    ) == Distance(Decimal(2), False)
    assert distance_to_target(
        value=Decimal("9"), target=Decimal("17"), kind="cumulative", direction="up"
    ) == Distance(Decimal(8), False)
    assert distance_to_target(
        value=Decimal("7300"),
        target=None,
        kind="below_baseline",
        direction="down",
        baseline=Decimal("8100"),
    ) == Distance(Decimal(0), True)
    assert distance_to_target(value=Decimal("5"), target=None, kind="text", direction="up") is None
    assert (
        distance_to_target(value=None, target=Decimal("50"), kind="reach", direction="up") is None
    )


def test_year_on_year_and_cagr():
    assert year_on_year(Decimal("99.51"), Decimal("99.48")) == Decimal("-0.03")
    assert year_on_year(None, Decimal("1")) is None
    # 8100 → 7300 over 2 years: (7300/8100)^(1/2) − 1 = −5.066…% → −5.07
    assert cagr_percent(Decimal(8100), Decimal(7300), 2) == Decimal("-5.07")
    assert cagr_percent(Decimal(0), Decimal(7300), 2) is None
    assert cagr_percent(Decimal(1), Decimal(2), 0) is None


def test_sparkline_breaks_where_a_year_is_missing():
    points = sparkline_points([Decimal(1), None, Decimal(3)], width=100, height=20)
    assert points[1] is None
    assert points[0] == (0, 18) and points[2] == (100, 2)
    assert sparkline_points([None, None]) == [None, None]

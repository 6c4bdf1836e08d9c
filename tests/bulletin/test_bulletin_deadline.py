"""The deadline rule: 5 June of the following year, hand-computed."""

from __future__ import annotations

from datetime import date

from wufei.domain.bulletin_deadline import (
    bulletin_deadline,
    bulletin_year_is_closed,
    deadline_status,
    published_late,
)
from wufei.domain.bulletin_snapshot import (
    Snapshot,
    StreamLine,
    chart_values,
    snapshot_from_json,
    snapshot_to_json,
)


def test_deadline_is_5_june_of_the_next_year():
    assert bulletin_deadline(2024) == date(2025, 6, 5)


def test_days_left_and_overdue():
    status = deadline_status(2024, date(2025, 6, 1))
    assert (status.days_left, status.overdue, status.days_overdue) == (4, False, 0)
    on_the_day = deadline_status(2024, date(2025, 6, 5))
    assert (on_the_day.days_left, on_the_day.overdue) == (0, False)
    late = deadline_status(2024, date(2025, 6, 8))
    assert (late.days_left, late.overdue, late.days_overdue) == (-3, True, 3)


def test_published_late_only_after_5_june():
    assert not published_late(2024, date(2025, 6, 5))
    assert published_late(2024, date(2025, 6, 6))


def test_only_finished_years():
    assert bulletin_year_is_closed(2024, date(2025, 1, 1))
    assert not bulletin_year_is_closed(2025, date(2025, 12, 31))
    assert not bulletin_year_is_closed(2026, date(2025, 12, 31))


def test_snapshot_round_trip_and_chart():
    line = StreamLine("hazardous", "危险废物", "ledger", 700, 100, 150, None)
    snapshot = Snapshot([line], {"hw_comprehensive": 5}, {"storage": 2, "generation": 3})
    back = snapshot_from_json(snapshot_to_json(snapshot))
    assert back == snapshot
    assert back.capacity_total_g == 5 and back.facility_total == 5
    assert chart_values(line) == [("generated", 700), ("utilised", 100), ("disposed", 150)]

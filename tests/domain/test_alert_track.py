"""Track geometry for the transport warnings, against hand-computed distances."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from wufei.domain.alert_track import (
    EARTH_RADIUS_KM,
    Fix,
    Point,
    distance_to_segment_km,
    farthest_from_route,
    haversine_km,
    stops,
    stops_away_from,
)

KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180  # ≈ 111.195 km per degree of latitude
START = datetime(2024, 5, 6, 8, 0)


def p(lat: str, lon: str) -> Point:
    return Point(Decimal(lat), Decimal(lon))


def test_haversine_along_a_meridian_is_the_arc():
    assert haversine_km(p("30", "120"), p("31", "120")) == pytest.approx(KM_PER_DEG, rel=1e-9)
    assert haversine_km(p("30", "120"), p("30", "120")) == 0


def test_haversine_along_a_parallel_shrinks_with_latitude():
    # 0.01° of longitude at 60° N is half of what it is at the equator
    assert haversine_km(p("60", "10"), p("60", "10.01")) == pytest.approx(
        0.01 * KM_PER_DEG / 2, rel=1e-4
    )


def test_distance_to_a_north_south_segment():
    a, b = p("30.000000", "120.000000"), p("30.200000", "120.000000")
    # 0.05° east at 30.1° N: 0.05 × 111.195 × cos(30.1°) ≈ 4.810 km
    expected = 0.05 * KM_PER_DEG * math.cos(math.radians(30.1))
    assert distance_to_segment_km(p("30.100000", "120.050000"), a, b) == pytest.approx(
        expected, rel=1e-6
    )
    # beyond the end the distance is to the end point
    assert distance_to_segment_km(p("30.300000", "120.000000"), a, b) == pytest.approx(
        0.1 * KM_PER_DEG, rel=1e-6
    )
    # a point on the segment
    assert distance_to_segment_km(p("30.050000", "120.000000"), a, b) == pytest.approx(0, abs=1e-9)


def test_distance_to_a_degenerate_segment_is_to_the_point():
    a = p("30", "120")
    assert distance_to_segment_km(p("30.01", "120"), a, a) == pytest.approx(0.01 * KM_PER_DEG)


def fix(minute: int, lat: str = "30.1", lon: str = "120.0", speed: str = "40") -> Fix:
    return Fix(START + timedelta(minutes=minute), Decimal(lat), Decimal(lon), Decimal(speed))


def test_farthest_from_route():
    a, b = p("30.0", "120.0"), p("30.2", "120.0")
    track = [fix(0), fix(1, lon="120.03"), fix(2, lon="120.01")]
    found = farthest_from_route(track, a, b)
    assert found is not None and found.fix == track[1]
    assert farthest_from_route([], a, b) is None


def slow_run(first: int, minutes: int, lat: str = "30.1") -> list[Fix]:
    return [fix(first + m, lat=lat, speed="1.5") for m in range(minutes + 1)]


def test_stops_of_at_least_the_minimum():
    track = [fix(0), *slow_run(1, 29), fix(31), *slow_run(32, 31), fix(64)]
    found = stops(track, max_speed_kmh=Decimal("3"), min_minutes=30)
    assert len(found) == 1
    assert found[0].started_at == START + timedelta(minutes=32)
    assert found[0].minutes == 31


def test_speed_at_the_limit_is_moving_and_a_stop_at_the_end_counts():
    track = [fix(0, speed="3.0"), *slow_run(1, 45)]
    found = stops(track, max_speed_kmh=Decimal("3"), min_minutes=30)
    assert [s.minutes for s in found] == [45]


def test_stops_away_from_both_ends():
    ends = [p("30.0", "120.0"), p("30.2", "120.0")]
    near_start = stops([*slow_run(0, 40, lat="30.008")], max_speed_kmh=Decimal("3"), min_minutes=30)
    midway = stops([*slow_run(0, 40, lat="30.1")], max_speed_kmh=Decimal("3"), min_minutes=30)
    assert stops_away_from(near_start, ends, radius_km=1.0) == []  # 0.89 km from the start
    assert stops_away_from(midway, ends, radius_km=1.0) == midway

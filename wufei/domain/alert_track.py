"""Geometry of a vehicle's GPS track for the transport warnings (部令第23号 第十一条: the carrier
records the track and takes the waste to the receiver's address).

Coordinates come in as Decimal degrees (WGS-84, as stored); the geometry uses float arithmetic,
which is fine for distances of kilometres — never for mass. Distances are on a sphere of the
mean Earth radius: haversine between two points, and an equirectangular projection around the
point for its distance from a segment (accurate to well under 1 % over a district or a city).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class Fix:
    """One GPS position of the track."""

    at: datetime
    latitude: Decimal
    longitude: Decimal
    speed_kmh: Decimal

    @property
    def point(self) -> Point:
        return Point(self.latitude, self.longitude)


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two points, in kilometres."""
    lat1, lon1 = math.radians(float(a.latitude)), math.radians(float(a.longitude))
    lat2, lon2 = math.radians(float(b.latitude)), math.radians(float(b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _projected(origin: Point, p: Point) -> tuple[float, float]:
    """Equirectangular x/y in km of `p` relative to `origin` (scaled at the origin's latitude)."""
    scale = math.cos(math.radians(float(origin.latitude)))
    x = math.radians(float(p.longitude) - float(origin.longitude)) * scale * EARTH_RADIUS_KM
    y = math.radians(float(p.latitude) - float(origin.latitude)) * EARTH_RADIUS_KM
    return x, y


def distance_to_segment_km(p: Point, a: Point, b: Point) -> float:
    """Distance from `p` to the straight segment a–b, in kilometres (to an end beyond it)."""
    ax, ay = _projected(p, a)
    bx, by = _projected(p, b)
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(ax, ay)
    # p is the origin (0, 0): the nearest point of the segment is a + t (b - a), t in [0, 1]
    t = max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return math.hypot(ax + t * dx, ay + t * dy)


@dataclass(frozen=True)
class Deviation:
    fix: Fix
    distance_km: float


def farthest_from_route(fixes: Sequence[Fix], a: Point, b: Point) -> Deviation | None:
    """The fix farthest from the segment a–b (None for an empty track)."""
    best: Deviation | None = None
    for fix in fixes:
        distance = distance_to_segment_km(fix.point, a, b)
        if best is None or distance > best.distance_km:
            best = Deviation(fix, distance)
    return best


@dataclass(frozen=True)
class Stop:
    """A run of consecutive fixes slower than the stop speed."""

    started_at: datetime
    ended_at: datetime  # the last slow fix
    at: Point  # where the vehicle stood (the first slow fix)

    @property
    def minutes(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 60


def stops(fixes: Sequence[Fix], *, max_speed_kmh: Decimal, min_minutes: int) -> list[Stop]:
    """Every stop of at least `min_minutes` in a track ordered by time.

    A stop is a maximal run of consecutive fixes with speed below `max_speed_kmh`; it lasts from
    its first to its last slow fix (what the track shows, no more). A run still going at the
    end of the track counts too: the vehicle is standing now.
    """
    found: list[Stop] = []
    run: list[Fix] = []

    def close() -> None:
        if run:
            stop = Stop(run[0].at, run[-1].at, run[0].point)
            if stop.minutes >= min_minutes:
                found.append(stop)
            run.clear()

    for fix in fixes:
        if fix.speed_kmh < max_speed_kmh:
            run.append(fix)
        else:
            close()
    close()
    return found


def stops_away_from(
    stops_found: Sequence[Stop], places: Sequence[Point], *, radius_km: float
) -> list[Stop]:
    """The stops farther than `radius_km` from every place (e.g. the two ends of a transfer)."""
    return [
        stop
        for stop in stops_found
        if all(haversine_km(stop.at, place) > radius_km for place in places)
    ]

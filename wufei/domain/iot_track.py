"""Draw a GPS track as an SVG polyline: no map tiles, just the shape of the journey.

Latitude/longitude are projected equirectangularly around the track's mean latitude (at city
scale the distortion is invisible) and fitted into a viewBox with a margin, north up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class TrackDrawing:
    width: int
    height: int
    points: str  # "x1,y1 x2,y2 …" for <polyline points=…>
    start: tuple[float, float] | None
    end: tuple[float, float] | None


def track_drawing(
    coordinates: Sequence[tuple[Decimal | float, Decimal | float]],
    *,
    width: int = 600,
    height: int = 400,
    margin: int = 20,
) -> TrackDrawing:
    """(latitude, longitude) pairs in time order → SVG coordinates."""
    if not coordinates:
        return TrackDrawing(width, height, "", None, None)
    lats = [float(c[0]) for c in coordinates]
    lons = [float(c[1]) for c in coordinates]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    xs = [lon * scale_x for lon in lons]
    ys = lats
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-6
    unit = min(width - 2 * margin, height - 2 * margin) / span
    cx = (max(xs) + min(xs)) / 2
    cy = (max(ys) + min(ys)) / 2
    pts = [
        (round(width / 2 + (x - cx) * unit, 1), round(height / 2 - (y - cy) * unit, 1))
        for x, y in zip(xs, ys, strict=True)
    ]
    return TrackDrawing(width, height, " ".join(f"{x},{y}" for x, y in pts), pts[0], pts[-1])

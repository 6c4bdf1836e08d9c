"""The figures a bulletin freezes: per-stream summaries (the inventory's own, so that the
bulletin's totals are the inventory's by construction), licensed capacities and facility counts,
as a JSON-safe dict of integer grams (None = missing, never 0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MEASURES = ("generated", "utilised", "disposed", "stored")


@dataclass(frozen=True)
class StreamLine:
    code: str
    title: str
    source: str  # "ledger" | "entered"
    generated: int | None
    utilised: int | None
    disposed: int | None
    stored: int | None

    def value(self, measure: str) -> int | None:
        found: int | None = getattr(self, measure)
        return found


@dataclass(frozen=True)
class Snapshot:
    streams: list[StreamLine]
    capacities_g: dict[str, int]  # licence kind -> licensed annual capacity, grams
    facilities: dict[str, int]  # facility kind -> count

    @property
    def capacity_total_g(self) -> int:
        return sum(self.capacities_g.values())

    @property
    def facility_total(self) -> int:
        return sum(self.facilities.values())

    def stream(self, code: str) -> StreamLine:
        return next(s for s in self.streams if s.code == code)


def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "streams": [
            {
                "code": s.code,
                "title": s.title,
                "source": s.source,
                **{m: s.value(m) for m in MEASURES},
            }
            for s in snapshot.streams
        ],
        "capacities_g": dict(sorted(snapshot.capacities_g.items())),
        "facilities": dict(sorted(snapshot.facilities.items())),
    }


def _grams(value: Any) -> int | None:
    return None if value is None else int(value)


def snapshot_from_json(data: Mapping[str, Any]) -> Snapshot:
    streams = [
        StreamLine(
            code=str(s["code"]),
            title=str(s["title"]),
            source=str(s["source"]),
            **{m: _grams(s.get(m)) for m in MEASURES},
        )
        for s in data.get("streams", [])
    ]
    return Snapshot(
        streams=streams,
        capacities_g={str(k): int(v) for k, v in data.get("capacities_g", {}).items()},
        facilities={str(k): int(v) for k, v in data.get("facilities", {}).items()},
    )


def chart_values(line: StreamLine) -> list[tuple[str, int]]:
    """The bars of a stream's chart: the measures it has, in order (missing ones left out)."""
    return [(m, v) for m in MEASURES if (v := line.value(m)) is not None]


def known_streams(lines: Sequence[StreamLine]) -> list[StreamLine]:
    """Streams with at least one figure (a stream nobody reported is listed as missing)."""
    return [s for s in lines if any(s.value(m) is not None for m in MEASURES)]

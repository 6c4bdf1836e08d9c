"""Reads for the indicator pages and API, always given a Viewer.

Indicators are district-level statistics, not any party's records: every signed-in user may
read every set, region and value; anonymous visitors see nothing (the pages need a login).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotFound
from wufei.domain.indicator_formulas import FORMULAS
from wufei.domain.indicator_inputs import INPUT_KEYS, SPINE_KEYS
from wufei.domain.indicator_progress import (
    Distance,
    cagr_percent,
    distance_to_target,
    sparkline_points,
    year_on_year,
)
from wufei.indicators.inputs_resolution import indicator_resolutions, value_matches
from wufei.indicators.models import Indicator, IndicatorSet, IndicatorValue, StatInput
from wufei.indicators.spine_inputs import spine_inputs_for
from wufei.registry.models import Region

HISTORY_YEARS = 5
QUANTITY_UNITS = ("t", "万吨", "万个", "万吨/日", "个")


def _require_reader(viewer: Viewer) -> None:
    if not viewer.is_authenticated:
        raise NotFound("not found")


def indicator_sets_visible(*, viewer: Viewer) -> list[IndicatorSet]:
    _require_reader(viewer)
    return list(IndicatorSet.objects.all())


def indicator_set_get(*, viewer: Viewer, code: str) -> IndicatorSet:
    _require_reader(viewer)
    found = IndicatorSet.objects.filter(code=code).first()
    if found is None:
        raise NotFound("indicator set not found")
    return found


def region_get(*, viewer: Viewer, code: str) -> Region:
    _require_reader(viewer)
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise NotFound("region not found")
    return found


def latest_year_with_values(*, region: Region) -> int | None:
    """The last year with a computed or entered value for the region (the page opens on it)."""
    return (
        IndicatorValue.objects.filter(region=region, status__in=["computed", "entered"])
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def regions_with_statistics(*, viewer: Viewer) -> list[Region]:
    """Regions that have entered inputs or values, and the ones the viewer regulates."""
    _require_reader(viewer)
    codes = set(StatInput.objects.values_list("region_id", flat=True).distinct())
    codes |= set(IndicatorValue.objects.values_list("region_id", flat=True).distinct())
    q = Q(code__in=codes)
    if viewer.region_prefixes:
        q |= Q(prefix__in=viewer.region_prefixes)
    return list(Region.objects.filter(q).order_by("code"))


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue | None
    history: list[tuple[int, Decimal | None]] = field(default_factory=list)
    change: Decimal | None = None
    cagr: Decimal | None = None
    distance: Distance | None = None
    spark: str = ""  # SVG polyline segments, "x,y x,y|x,y"

    @property
    def is_heading(self) -> bool:
        return self.indicator.formula is None and not self.indicator.unit

    @property
    def missing(self) -> bool:
        return not self.is_heading and (self.value is None or self.value.value is None)


def _spark(history: list[tuple[int, Decimal | None]]) -> str:
    points = sparkline_points([v for _, v in history])
    segments: list[list[str]] = [[]]
    for point in points:
        if point is None:
            segments.append([])
        else:
            segments[-1].append(f"{point[0]},{point[1]}")
    return "|".join(" ".join(s) for s in segments if s)


def _trend_row(row: IndicatorRow, year: int) -> None:
    known = [(y, v) for y, v in row.history if v is not None]
    by_year = dict(row.history)
    row.change = year_on_year(by_year.get(year - 1), by_year.get(year))
    if row.indicator.unit in QUANTITY_UNITS and len(known) >= 2:
        (y0, v0), (y1, v1) = known[0], known[-1]
        row.cagr = cagr_percent(v0, v1, y1 - y0)
    current = row.value.value if row.value else None
    row.distance = distance_to_target(
        value=current,
        target=row.indicator.target_value,
        kind=row.indicator.target_kind or "text",
        direction=row.indicator.direction,
        baseline=row.indicator.baseline_value,
    )
    row.spark = _spark(row.history)


def indicator_table(
    *, viewer: Viewer, indicator_set: IndicatorSet, region: Region, year: int
) -> list[IndicatorRow]:
    """Every indicator of the set in order, with this year's value, history, trend, distance."""
    _require_reader(viewer)
    indicators = list(indicator_set.indicators.select_related("set").order_by("position"))
    first = year - HISTORY_YEARS + 1
    values: dict[tuple[int, int], IndicatorValue] = {
        (v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(
            indicator__set=indicator_set, region=region, year__gte=first, year__lte=year
        )
    }
    rows = []
    for indicator in indicators:
        row = IndicatorRow(indicator=indicator, value=values.get((indicator.pk, year)))
        row.history = [
            (y, values[(indicator.pk, y)].value if (indicator.pk, y) in values else None)
            for y in range(first, year + 1)
        ]
        if not row.is_heading:
            _trend_row(row, year)
        rows.append(row)
    return rows


def indicator_get(*, viewer: Viewer, set_code: str, code: str) -> Indicator:
    _require_reader(viewer)
    found = Indicator.objects.select_related("set", "parent").filter(set__code=set_code, code=code)
    indicator = found.first()
    if indicator is None:
        raise NotFound("indicator not found")
    return indicator


@dataclass
class InputHistory:
    key: str
    label: str
    unit: str
    spine: bool
    optional: bool
    spine_value: Decimal | None
    rows: list[StatInput]  # newest first; rows[0] is the one in use unless the spine has data


def indicator_detail(
    *, viewer: Viewer, indicator: Indicator, region: Region, year: int
) -> dict[str, Any]:
    """The indicator's values over the years and every input row behind this year's value."""
    _require_reader(viewer)
    history = list(
        IndicatorValue.objects.filter(indicator=indicator, region=region).order_by("year")
    )
    spec_f = FORMULAS[indicator.formula] if indicator.formula else None
    keys = list(spec_f.inputs) if spec_f else [indicator.manual_key]
    spine = spine_inputs_for(region=region, year=year) if set(keys) & SPINE_KEYS else {}
    entered = StatInput.objects.filter(region=region, year=year, key__in=keys).select_related(
        "entered_by"
    )
    inputs = []
    for key in keys:
        spec = INPUT_KEYS.get(key)
        inputs.append(
            InputHistory(
                key=key,
                label=spec.label if spec else indicator.name,
                unit=spec.unit if spec else indicator.unit,
                spine=key in SPINE_KEYS,
                optional=spec_f is not None and key in spec_f.optional,
                spine_value=spine.get(key),
                rows=sorted(
                    (r for r in entered if r.key == key),
                    key=lambda r: (r.entered_at, r.pk),
                    reverse=True,
                ),
            )
        )
    current = next((v for v in history if v.year == year), None)
    return {
        "history": history,
        "current": current,
        "inputs": inputs,
        "definition": FORMULAS[indicator.formula].definition if indicator.formula else "",
    }


def indicator_values_outdated(*, viewer: Viewer, region: Region, year: int) -> int:
    """How many stored values of the year differ from what the records and statistics give
    now (the spine moved on since they were computed); 0 when none is stored yet."""
    _require_reader(viewer)
    stored = {v.indicator_id: v for v in IndicatorValue.objects.filter(region=region, year=year)}
    if not stored:
        return 0
    return sum(
        1
        for indicator, result in indicator_resolutions(region=region, year=year)
        if indicator.pk not in stored or not value_matches(stored[indicator.pk], result)
    )

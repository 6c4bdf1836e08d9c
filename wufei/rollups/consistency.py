"""Checking that the cells answer exactly what the raw rows answer.

Used by `wufei refresh_rollups --check`, by the bench (which must compare identical answers)
and by the tests. A difference is a bug in the maintenance (a write path that forgot to mark
its partitions) or in the cells; never something to tolerate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from wufei.domain.material_flows import FlowRecords, Level, records_chain
from wufei.flows.records import aware_day, flow_records_raw
from wufei.flows.selectors import GAP_LIMIT, flow_report_of
from wufei.indicators.spine_inputs import spine_inputs_raw
from wufei.ledger.models import LedgerEvent
from wufei.registry.models import Facility, Organisation, Region
from wufei.rollups.marks import MAP_KINDS
from wufei.rollups.models import LedgerCell
from wufei.rollups.selectors import (
    flow_records_from_cells,
    rollups_ensure_fresh,
    spine_inputs_from_cells,
)
from wufei.transfer.models import DocType


def flow_answers(read: Callable[[Level], FlowRecords]) -> list[tuple[object, object]]:
    """Everything the flow pages show, at every grouping level: the report (graph, largest
    gaps, their number) and the industry chain."""
    answers: list[tuple[object, object]] = []
    for level in Level:
        records = read(level)
        answers.append((flow_report_of(records, level), records_chain(records, level)))
    return answers


def flow_difference(orgs: QuerySet[Organisation], *, stream: str, year: int) -> bool:
    """Whether cells and raw rows answer differently for these sources and this year."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    raw = flow_records_raw(orgs, stream=stream, start=start, end=end)

    def from_cells(level: Level) -> FlowRecords:
        return flow_records_from_cells(
            orgs, stream=stream, start=start, end=end, level=level, gap_limit=GAP_LIMIT
        )

    return flow_answers(lambda _level: raw) != flow_answers(from_cells)


def spine_difference(region: Region, year: int) -> dict[str, tuple[Decimal | None, ...]]:
    """The indicator inputs on which cells and raw rows disagree: key → (raw, cells)."""
    raw = spine_inputs_raw(region=region, year=year)
    cells = spine_inputs_from_cells(
        prefix=region.prefix, start=date(year, 1, 1), end=date(year + 1, 1, 1)
    )
    return {key: (raw[key], cells.get(key)) for key in raw if raw[key] != cells.get(key)}


MapKey = tuple[int, int, str, int, str, str]  # organisation, facility, kind, month, code, HW


def _map_raw(year: int) -> dict[MapKey, tuple[int, int]]:
    events = LedgerEvent.objects.filter(
        kind__in=MAP_KINDS,
        occurred_at__gte=aware_day(date(year, 1, 1)),
        occurred_at__lt=aware_day(date(year + 1, 1, 1)),
    ).order_by()
    sums = {"grams": Sum("quantity_g"), "n": Count("id")}
    code = "waste_code__code", "waste_code__category__code"
    raw = {
        (r["organisation_id"], r["facility_id"], r["kind"], 0, r[code[0]], r[code[1]]): (
            int(r["grams"]),
            r["n"],
        )
        for r in events.values("organisation_id", "facility_id", "kind", *code).annotate(**sums)
    }
    by_month = events.annotate(month=ExtractMonth("occurred_at")).values(
        "organisation_id", "facility_id", "kind", "month"
    )
    raw.update(
        (
            (r["organisation_id"], r["facility_id"], r["kind"], r["month"], "", ""),
            (int(r["grams"]), r["n"]),
        )
        for r in by_month.annotate(**sums)
    )
    return raw


def map_difference(year: int) -> list[str]:
    """The map's cells of `year` that differ from the raw events: one line per key."""
    rollups_ensure_fresh()
    raw = _map_raw(year)
    cells: dict[MapKey, tuple[int, int]] = {}
    for c in LedgerCell.objects.filter(year=year):
        key = (c.organisation_id, c.facility_id, c.kind, c.month, c.waste_code, c.category)
        grams, n = cells.get(key, (0, 0))
        cells[key] = (grams + c.grams, n + c.events)
    return [
        f"{year} map {key}: raw {raw.get(key)}, cells {cells.get(key)}"
        for key in sorted(set(raw) | set(cells))
        if raw.get(key) != cells.get(key)
    ]


def _years() -> list[int]:
    dates = LedgerEvent.objects.datetimes("occurred_at", "year")
    return sorted({d.year for d in dates})


def _regions() -> list[Region]:
    """Every region holding a facility, and the regions above them."""
    codes = set(Facility.objects.values_list("region_id", flat=True).distinct())
    found: dict[str, Region] = {}
    while codes:
        fetched = list(Region.objects.filter(code__in=codes - set(found)))
        codes = {r.parent_id for r in fetched if r.parent_id and r.parent_id not in found}
        found.update((r.code, r) for r in fetched)
    return sorted(found.values(), key=lambda r: r.code)


def rollups_differences() -> list[str]:
    """Each year with ledger data: every stream's flows over all sources, every region's
    indicator inputs and the map's sums, compared between the cells and the raw rows."""
    found = []
    everyone = Organisation.objects.all()
    for year in _years():
        for stream in DocType.values:
            if flow_difference(everyone, stream=stream, year=year):
                found.append(f"{year} {stream}: flows differ")
        for region in _regions():
            for key, (raw, cells) in spine_difference(region, year).items():
                found.append(f"{year} {region.code} {key}: raw {raw}, cells {cells}")
        found += map_difference(year)
    return found

"""Reading the maintained aggregates: the same answers as the raw readings, from the cells.

Both readers refresh marked partitions first, so an answer is never older than the last
committed write. Cells are per year: flows of one calendar year are answered here (`covers`;
the indicator inputs add up over whole years); any other period is read raw by the caller.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum

from wufei.catalog.models import TreatmentKind, TreatmentMethod
from wufei.domain.ledger_units import tonnes_exact
from wufei.domain.material_flows import (
    CodeGapSum,
    FlowRecords,
    Gap,
    Generation,
    InHouse,
    Level,
    Shipment,
    Source,
    Stage,
    StockChange,
    TreatedMonth,
)
from wufei.flows.records import sources_of
from wufei.registry.models import Organisation
from wufei.registry.regions import region_codes_within
from wufei.rollups.models import FlowCell, FlowCellKind, GapCell, SpineCell, SpineMeasure
from wufei.rollups.refresh import rollups_pending, rollups_refresh

PARTS = ("grams", "in_transit_g", "refused_g", "treated_g", "awaiting_g", "appeared_g")
CELL_KEY = ("kind", "waste_code", "carrier_id", "receiver_id", "method", "month")


def covers(start: date, end: date) -> bool:
    """Whether [start, end) is one calendar year, which the flow cells answer (their stock
    changes and gaps are signed per year)."""
    return (start.month, start.day) == (1, 1) and end == date(start.year + 1, 1, 1)


# Memory PostgreSQL may use to group the year's cells in a hash table (set for that one read,
# `SET LOCAL`). With the default 4 MB it estimates every cell as its own group (it cannot see
# that the cells of thousands of enterprises share a few industries) and sorts on disk
# instead: at demo scale 10 the read took 2.5 times as long (bench/RESULTS.md).
GROUPING_WORK_MEM = "64MB"


def rollups_ensure_fresh() -> None:
    """Rebuild marked partitions, if any, before reading cells."""
    if rollups_pending():
        rollups_refresh()


def _method_kinds() -> dict[str, str]:
    return dict(TreatmentMethod.objects.values_list("code", "kind"))


def _names(ids: set[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


GROUP_FIELDS: dict[Level, tuple[str, ...]] = {
    Level.INDUSTRY: ("organisation__industry_code", "organisation__industry_name"),
    Level.PARK: ("organisation__park_id", "organisation__park__name"),
    Level.ENTERPRISE: ("organisation_id", "organisation__name"),
}
ANY_SOURCE = Source(id=0, name="")


def _group(level: Level, row: dict[str, Any]) -> Source:
    """A stand-in source that groups like every enterprise of its group at `level`."""
    if level == Level.INDUSTRY:
        return Source(
            id=0,
            name="",
            industry_code=row["organisation__industry_code"],
            industry_name=row["organisation__industry_name"],
        )
    if level == Level.PARK:
        return Source(
            id=0,
            name="",
            park_id=row["organisation__park_id"],
            park_name=row["organisation__park__name"] or "",
        )
    return Source(id=row["organisation_id"], name=row["organisation__name"])


def _by_sign(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per code, the positive and the negative grams of a signed kind of cell (each cell is one
    enterprise's year, so its sign is never netted against another's)."""
    sums: dict[str, tuple[int, int]] = {}
    for r in rows:
        positive, negative = sums.get(r["waste_code"], (0, 0))
        sums[r["waste_code"]] = (positive + int(r["positive"]), negative + int(r["negative"]))
    return sums


def _largest_gaps(gap_cells: QuerySet[GapCell], limit: int) -> list[Gap]:
    rows = list(
        gap_cells.order_by("-magnitude", "organisation_id", "waste_code", "ref").values(
            "organisation_id", "stage", "waste_code", "ref", "grams"
        )[:limit]
    )
    sources = sources_of(Organisation.objects.filter(pk__in={r["organisation_id"] for r in rows}))
    return [
        Gap(Stage(r["stage"]), sources[r["organisation_id"]], r["waste_code"], r["grams"], r["ref"])
        for r in rows
    ]


def flow_records_from_cells(
    orgs: QuerySet[Organisation],
    *,
    stream: str,
    start: date,
    end: date,
    level: Level,
    gap_limit: int,
) -> FlowRecords:
    """`wufei.flows.records.flow_records_raw` for one year, from the cells, summed per
    group of sources at `level`: the same Sankey graph and chain, the `gap_limit` largest
    gaps and the number of all of them."""
    if not covers(start, end):
        raise ValueError(f"flow cells answer one calendar year, not {start}…{end}")
    rollups_ensure_fresh()
    where = {"organisation__in": orgs.values("pk"), "stream": stream, "year": start.year}
    grouped = (
        FlowCell.objects.filter(**where)
        .order_by()
        .values(*GROUP_FIELDS[level], *CELL_KEY)
        .annotate(
            **{f"sum_{part}": Sum(part) for part in PARTS},
            positive=Sum("grams", filter=Q(grams__gt=0), default=0),
            negative=Sum("grams", filter=Q(grams__lt=0), default=0),
        )
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{GROUPING_WORK_MEM}'")
        rows = list(grouped)  # one scan of the year's cells; split by kind below
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in FlowCellKind.values}
    for row in rows:
        row.update({part: row.pop(f"sum_{part}") for part in PARTS})
        by_kind[row["kind"]].append(row)
    generated, in_house = by_kind[FlowCellKind.GENERATED], by_kind[FlowCellKind.IN_HOUSE]
    shipped, months = by_kind[FlowCellKind.SHIPPED], by_kind[FlowCellKind.TREATED_MONTH]
    stock = _by_sign(by_kind[FlowCellKind.STOCK])
    code_gaps = _by_sign(by_kind[FlowCellKind.CODE_GAP])
    gap_cells = GapCell.objects.filter(**where)
    if not (generated or in_house or shipped or stock or code_gaps):
        return FlowRecords()
    names = _names(
        {r["carrier_id"] for r in shipped if r["carrier_id"]} | {r["receiver_id"] for r in shipped}
    )
    kinds = _method_kinds()
    return FlowRecords(
        generations=tuple(
            Generation(_group(level, r), r["waste_code"], int(r["grams"])) for r in generated
        ),
        stock_changes=tuple(
            StockChange(ANY_SOURCE, code, grams)
            for code, (positive, negative) in stock.items()
            for grams in (positive, negative)
            if grams
        ),
        in_house=tuple(
            InHouse(
                source=_group(level, r),
                code=r["waste_code"],
                method=r["method"],
                method_kind=kinds.get(r["method"], ""),
                grams=int(r["grams"]),
            )
            for r in in_house
        ),
        shipments=tuple(
            Shipment(
                source=_group(level, r),
                code=r["waste_code"],
                carrier_id=r["carrier_id"] or 0,
                carrier_name=names.get(r["carrier_id"], "") if r["carrier_id"] else "",
                receiver_id=r["receiver_id"],
                receiver_name=names.get(r["receiver_id"], ""),
                declared_g=int(r["grams"]),
                in_transit_g=int(r["in_transit_g"]),
                refused_g=int(r["refused_g"]),
                treated_g=int(r["treated_g"]),
                awaiting_g=int(r["awaiting_g"]),
                summed=True,
                appeared_g=int(r["appeared_g"]),
                method=r["method"],
                method_kind=kinds.get(r["method"], "") if r["method"] else "",
            )
            for r in shipped
        ),
        summed=True,
        code_gap_sums=tuple(
            CodeGapSum(code, positive, -negative)
            for code, (positive, negative) in code_gaps.items()
        ),
        largest_gaps=tuple(_largest_gaps(gap_cells, gap_limit)),
        gap_count_all=gap_cells.count(),
        treated_months=tuple(
            TreatedMonth(_group(level, r), f"{start.year:04d}-{r['month']:02d}", int(r["grams"]))
            for r in months
        ),
    )


def _tonnes(total_g: int, rows: int) -> Decimal | None:
    return tonnes_exact(total_g) if rows else None


def spine_inputs_from_cells(*, prefix: str, start: date, end: date) -> dict[str, Decimal | None]:
    """`wufei.indicators.spine_inputs.spine_inputs_raw` for facilities whose region code
    starts with `prefix`, for whole years, from the cells."""
    rollups_ensure_fresh()
    rows = (
        SpineCell.objects.filter(
            facility__region_id__in=region_codes_within([prefix]),
            year__gte=start.year,
            year__lt=end.year,
        )
        .order_by()
        .values("measure", "method")
        .annotate(grams=Sum("grams"), n=Sum("rows"))
    )
    kinds = _method_kinds()
    grams: dict[str, int] = dict.fromkeys(
        ("generated", "transferred", "medical", "utilised", "disposed", "landfilled"), 0
    )
    counts: dict[str, int] = dict.fromkeys(("generated", "transferred", "medical", "treated"), 0)
    for r in rows:
        measure, g, n = r["measure"], int(r["grams"] or 0), int(r["n"] or 0)
        if measure in (SpineMeasure.IN_HOUSE, SpineMeasure.TREATED):
            counts["treated"] += n
            kind = kinds.get(r["method"], "")
            if kind == TreatmentKind.UTILISATION:
                grams["utilised"] += g
            elif kind == TreatmentKind.DISPOSAL:
                grams["disposed"] += g
            if r["method"] == "D1":
                grams["landfilled"] += g
        else:
            grams[measure] += g
            counts[measure] += n
    return {
        "hw_generated_t": _tonnes(grams["generated"], counts["generated"]),
        "hw_transferred_t": _tonnes(grams["transferred"], counts["transferred"]),
        "medical_waste_collected_t": _tonnes(grams["medical"], counts["medical"]),
        "hw_utilised_t": _tonnes(grams["utilised"], counts["treated"]),
        "hw_disposed_t": _tonnes(grams["disposed"], counts["treated"]),
        "hw_landfilled_t": _tonnes(grams["landfilled"], counts["treated"]),
    }

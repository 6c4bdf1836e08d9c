"""Computing the cells of a box of partitions (organisations × years) from the raw rows.

The flow cells reuse `wufei.flows.records` (the raw reading of the flow pages) and the spine
cells the filters of `wufei.indicators.spine_inputs`, so that each cell means exactly what the
reference answer means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wufei.domain.material_flows import Source, Stage
from wufei.flows.records import (
    MEDICAL_CATEGORY,
    aware_day,
    shipment_from_row,
    shipment_lines,
    stream_of_category,
)
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.rollups.marks import MAP_KINDS, SUMMED_KINDS
from wufei.rollups.models import (
    CELL_MODELS,
    FlowCell,
    FlowCellKind,
    GapCell,
    LedgerCell,
    SpineCell,
    SpineMeasure,
)
from wufei.transfer.models import DocType, ManifestLine

LEDGER_KINDS = {  # the kinds the flow cells sum
    EventKind.GENERATE: FlowCellKind.GENERATED,
    EventKind.HAND_OVER: FlowCellKind.HANDED_OVER,
    EventKind.TREAT_IN_HOUSE: FlowCellKind.IN_HOUSE,
}
ShippedKey = tuple[str, int, int, str, int | None, int, str]
MonthKey = tuple[str, int, int, int]  # stream, organisation, year, month
LedgerKey = tuple[int, int, int, int, str, str, str]  # org, facility, year, month, kind, code, HW


@dataclass
class _FlowCells:
    """The cells of one box while they are being summed."""

    ledger: dict[tuple[int, int, str, str, str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    shipped: dict[ShippedKey, list[int]] = field(default_factory=dict)
    months: dict[MonthKey, int] = field(default_factory=lambda: defaultdict(int))
    gaps: list[GapCell] = field(default_factory=list)

    def balances(self) -> list[FlowCell]:
        """Per stream, enterprise, year and code: the stock change (generated − in-house −
        handed over) and the code gap (handed over − shipped), each signed, as
        `wufei.flows.records.records_assemble` and `material_flows.gaps` compute them."""
        sums: dict[tuple[str, int, int, str], dict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        for (org, year, stream, kind, code, _method), grams in self.ledger.items():
            sums[(stream, org, year, code)][kind] += grams
        for (stream, org, year, code, *_rest), parts in self.shipped.items():
            sums[(stream, org, year, code)][FlowCellKind.SHIPPED] += parts[0]
        cells = []
        for (stream, org, year, code), by_kind in sums.items():
            handed = by_kind[FlowCellKind.HANDED_OVER]
            stock = by_kind[FlowCellKind.GENERATED] - by_kind[FlowCellKind.IN_HOUSE] - handed
            gap = handed - by_kind[FlowCellKind.SHIPPED]
            for kind, grams in ((FlowCellKind.STOCK, stock), (FlowCellKind.CODE_GAP, gap)):
                if grams:
                    cells.append(
                        FlowCell(
                            organisation_id=org,
                            year=year,
                            stream=stream,
                            kind=kind,
                            waste_code=code,
                            grams=grams,
                        )
                    )
            if gap:
                self.gaps.append(
                    GapCell(
                        organisation_id=org,
                        year=year,
                        stream=stream,
                        stage=Stage.CODE,
                        waste_code=code,
                        grams=gap,
                        magnitude=abs(gap),
                    )
                )
        return cells

    def rows(self) -> list[FlowCell]:
        cells = self.balances()
        cells += [
            FlowCell(
                organisation_id=org,
                year=year,
                stream=stream,
                kind=kind,
                waste_code=code,
                method=method,
                grams=grams,
            )
            for (org, year, stream, kind, code, method), grams in self.ledger.items()
        ]
        cells += [
            FlowCell(
                organisation_id=org,
                year=year,
                stream=stream,
                kind=FlowCellKind.SHIPPED,
                waste_code=code,
                carrier_id=carrier,
                receiver_id=receiver,
                method=method,
                grams=parts[0],
                in_transit_g=parts[1],
                refused_g=parts[2],
                treated_g=parts[3],
                awaiting_g=parts[4],
                appeared_g=parts[5],
            )
            for (stream, org, year, code, carrier, receiver, method), parts in self.shipped.items()
        ]
        cells += [
            FlowCell(
                organisation_id=org,
                year=year,
                month=month,
                stream=stream,
                kind=FlowCellKind.TREATED_MONTH,
                grams=grams,
            )
            for (stream, org, year, month), grams in self.months.items()
        ]
        return cells


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def _events(org_ids: Sequence[int], year: int) -> QuerySet[LedgerEvent]:
    start, end = _year(year)
    return LedgerEvent.objects.filter(
        organisation_id__in=org_ids,
        occurred_at__gte=aware_day(start),
        occurred_at__lt=aware_day(end),
    ).order_by()


SpineKey = tuple[int, int | None, int, str, str]  # organisation, facility, year, measure, method


def _spine_add(sums: dict[SpineKey, list[int]], key: SpineKey, grams: int, rows: int) -> None:
    total = sums.setdefault(key, [0, 0])
    total[0] += grams
    total[1] += rows


def _ledger_sums(
    flow: _FlowCells,
    spine: dict[SpineKey, list[int]],
    ledger: dict[LedgerKey, list[int]],
    org_ids: Sequence[int],
    year: int,
) -> None:
    """One scan of the year's summed ledger events for the three kinds of cell: flow sums
    per code and method, in-house treatment per month, the indicators' sums per facility
    (hazardous, not HW01) and the map's grams and events per facility and kind, per code for
    the year and per month (twelve conditional sums and counts: a per-row time function
    would cost more)."""
    bounds = [aware_day(date(year + m // 12, m % 12 + 1, 1)) for m in range(13)]
    in_month = {
        m: Q(occurred_at__gte=bounds[m - 1], occurred_at__lt=bounds[m]) for m in range(1, 13)
    }
    by_month = {f"m{m}": Sum("quantity_g", filter=q, default=0) for m, q in in_month.items()}
    counts = {f"n{m}": Count("id", filter=q) for m, q in in_month.items()}
    rows = (
        _events(org_ids, year)
        .filter(kind__in=SUMMED_KINDS)
        .values(
            "organisation_id",
            "facility_id",
            "kind",
            "waste_code__code",
            "waste_code__category__code",
            "treatment_method__code",
        )
        .annotate(n=Count("id"), total=Sum("quantity_g"), **by_month, **counts)
    )
    for r in rows:
        org, category, grams = r["organisation_id"], r["waste_code__category__code"], r["total"]
        if r["kind"] in MAP_KINDS:
            _ledger_add(ledger, r, year)
        if r["kind"] not in LEDGER_KINDS:
            continue
        kind = LEDGER_KINDS[r["kind"]]
        method = (r["treatment_method__code"] or "") if kind == FlowCellKind.IN_HOUSE else ""
        stream = stream_of_category(category)
        flow.ledger[(org, year, stream, kind, r["waste_code__code"], method)] += int(grams)
        if kind == FlowCellKind.IN_HOUSE:
            for m in range(1, 13):
                if r[f"m{m}"]:
                    flow.months[(stream, org, year, m)] += int(r[f"m{m}"])
        if kind != FlowCellKind.HANDED_OVER and category != MEDICAL_CATEGORY:
            in_house = kind == FlowCellKind.IN_HOUSE
            measure = SpineMeasure.IN_HOUSE if in_house else SpineMeasure.GENERATED
            _spine_add(spine, (org, r["facility_id"], year, measure, method), int(grams), r["n"])


def _ledger_add(ledger: dict[LedgerKey, list[int]], r: dict[str, Any], year: int) -> None:
    """The map's cells of one grouped row: the year's total of its code (month 0) and its
    grams per month without the code (a code per month would keep three cells in four)."""
    org, facility, kind = r["organisation_id"], r["facility_id"], r["kind"]
    keys: list[tuple[LedgerKey, int, int]] = [
        (
            (org, facility, year, 0, kind, r["waste_code__code"], r["waste_code__category__code"]),
            int(r["total"]),
            r["n"],
        )
    ]
    keys += [
        ((org, facility, year, m, kind, "", ""), int(r[f"m{m}"]), r[f"n{m}"])
        for m in range(1, 13)
        if r[f"n{m}"]
    ]
    for key, grams, n in keys:
        total = ledger.setdefault(key, [0, 0])
        total[0] += grams
        total[1] += n


def _ledger_rows(sums: dict[LedgerKey, list[int]]) -> list[LedgerCell]:
    return [
        LedgerCell(
            organisation_id=org,
            facility_id=facility,
            year=year,
            month=month,
            kind=kind,
            waste_code=code,
            category=category,
            grams=grams,
            events=n,
        )
        for (org, facility, year, month, kind, code, category), (grams, n) in sums.items()
    ]


def _shipped_cells(into: _FlowCells, org_ids: Sequence[int], year: int) -> None:
    start, end = _year(year)
    for row in shipment_lines(org_ids, stream=None, start=start, end=end):
        line = shipment_from_row(row, Source(id=row["manifest__shipper_id"], name=""))
        picked = timezone.localtime(row["manifest__picked_up_at"])
        stream, org = row["manifest__doc_type"], line.source.id
        key: ShippedKey = (
            stream,
            org,
            picked.year,
            line.code,
            row["carrier_id"],
            line.receiver_id,
            line.method,
        )
        total = into.shipped.setdefault(key, [0, 0, 0, 0, 0, 0])
        total[0] += line.declared_g
        total[1] += line.in_transit_g
        total[2] += line.refused_g
        total[3] += line.treated_g
        total[4] += line.awaiting_g
        total[5] += line.appeared_from_nowhere_g
        if line.treated_g:
            into.months[(stream, org, picked.year, picked.month)] += line.treated_g
        if line.gap_g:
            into.gaps.append(
                GapCell(
                    organisation_id=org,
                    year=picked.year,
                    stream=stream,
                    stage=Stage.CARRIER,
                    waste_code=line.code,
                    ref=line.ref,
                    grams=line.gap_g,
                    magnitude=abs(line.gap_g),
                )
            )


# measure, the manifest's moment that dates it, the line's weight counted, which lines
LINE_MEASURES = (
    (
        SpineMeasure.TREATED,
        "treated_at",
        "treated_weight_g",
        Q(manifest__doc_type=DocType.HAZARDOUS, treated_weight_g__isnull=False),
    ),
    (SpineMeasure.TRANSFERRED, "picked_up_at", "weight_g", Q(manifest__doc_type=DocType.HAZARDOUS)),
    (
        SpineMeasure.MEDICAL,
        "received_at",
        "received_weight_g",
        Q(manifest__doc_type=DocType.MEDICAL, received_weight_g__isnull=False),
    ),
)


def _spine_line_sums(sums: dict[SpineKey, list[int]], org_ids: Sequence[int], year: int) -> None:
    start, end = _year(year)
    lines = ManifestLine.objects.filter(manifest__shipper_id__in=org_ids).order_by()
    for measure, moment, weight, where in LINE_MEASURES:
        rows = (
            lines.filter(
                where,
                **{
                    f"manifest__{moment}__gte": aware_day(start),
                    f"manifest__{moment}__lt": aware_day(end),
                },
            )
            .values(
                "manifest__shipper_id",
                "manifest__shipper_facility_id",
                "treatment_method__code",
            )
            .annotate(n=Count("id"), total=Sum(weight))
        )
        for r in rows:
            method = (r["treatment_method__code"] or "") if measure == SpineMeasure.TREATED else ""
            key = (
                r["manifest__shipper_id"],
                r["manifest__shipper_facility_id"],
                year,
                measure,
                method,
            )
            _spine_add(sums, key, int(r["total"] or 0), r["n"])


def _spine_rows(sums: dict[SpineKey, list[int]]) -> list[SpineCell]:
    return [
        SpineCell(
            organisation_id=org,
            facility_id=facility,
            year=year,
            measure=measure,
            method=method,
            grams=grams,
            rows=n,
        )
        for (org, facility, year, measure, method), (grams, n) in sums.items()
    ]


def cells_rebuild(org_ids: Sequence[int], first: int, last: int) -> tuple[int, int]:
    """Replace every cell of `org_ids` in the years first…last by freshly computed ones;
    answers (flow cells, indicator cells) written. Call inside a transaction."""
    for model in CELL_MODELS:
        cells = model._default_manager.filter(organisation_id__in=org_ids)
        cells.filter(year__gte=first, year__lte=last).delete()
    flow = _FlowCells()
    sums: dict[SpineKey, list[int]] = {}
    ledger: dict[LedgerKey, list[int]] = {}
    for year in range(first, last + 1):
        _ledger_sums(flow, sums, ledger, org_ids, year)
        _shipped_cells(flow, org_ids, year)
        _spine_line_sums(sums, org_ids, year)
    rows = flow.rows()
    spine = _spine_rows(sums)
    FlowCell.objects.bulk_create(rows, batch_size=2000)
    GapCell.objects.bulk_create(flow.gaps, batch_size=2000)
    SpineCell.objects.bulk_create(spine, batch_size=2000)
    LedgerCell.objects.bulk_create(_ledger_rows(ledger), batch_size=2000)
    return len(rows), len(spine)

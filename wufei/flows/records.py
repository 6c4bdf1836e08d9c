"""Reading flow records straight from the spine's raw rows (ledger events, manifest lines).

What is measured where (each term from its own record, so that gaps mean something):

- generated: the producers' B.1 ledger events in the period;
- in-house: their B.4 events (method from the event);
- into / out of store: generated − in-house − the ledger's own B.5 hand-overs. Every ledger
  event takes from a batch, so this is exactly the change of the store of generated waste;
- shipped: the manifest lines (declared weight) picked up in the period, each then in transit
  (not yet received), refused (received − accepted), treated (the receiver's treated weight and
  method, 第十二条) or awaiting treatment (accepted, manifest not yet marked treated; or the
  untreated rest of a treated line). A treated manifest whose line carries no treated weight
  has withheld its treatment record: that mass is unexplained.

So the code node shows a gap exactly when the producer's ledger and its manifests disagree
(a hand-over without a manifest, or a manifest the ledger does not know), and the carrier
node when the road or the receiver lost mass.

The maintained aggregates (`wufei.rollups`) build their cells with these same functions, so
the fast answer and this reference answer cannot drift apart in what a term means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from wufei.domain.manifest_flow import Status
from wufei.domain.material_flows import (
    FlowRecords,
    Generation,
    InHouse,
    Shipment,
    Source,
    StockChange,
)
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.registry.models import Organisation
from wufei.transfer.models import DocType, ManifestCarrier, ManifestLine

MEDICAL_CATEGORY = "HW01"  # 医疗废物 in the 名录; medical waste keeps the hazardous ledger
NOT_RECEIVED = (Status.READY.value, Status.IN_TRANSIT.value, Status.ARRIVED.value)
RECEIVED_UNTREATED = (Status.ACCEPTED.value, Status.PARTIALLY_ACCEPTED.value)
LEDGER_STREAMS = (DocType.HAZARDOUS, DocType.MEDICAL)
SHIPMENT_VALUES = (
    "manifest_id",
    "manifest__number",
    "manifest__doc_type",
    "manifest__status",
    "manifest__shipper_id",
    "manifest__receiver_id",
    "manifest__receiver__name",
    "manifest__picked_up_at",
    "waste_code__code",
    "weight_g",
    "received_weight_g",
    "accepted_weight_g",
    "treated_weight_g",
    "treatment_method__code",
    "treatment_method__kind",
)


def aware_day(day: date) -> datetime:
    """Local midnight at the start of `day`."""
    return timezone.make_aware(datetime.combine(day, time.min))


def month_text(value: datetime | None) -> str:
    """ "2024-03" for a moment, in local time; "" for none."""
    return timezone.localtime(value).strftime("%Y-%m") if value else ""


def stream_of_category(category: str) -> str:
    """Which stream a ledger code belongs to: medical (HW01) or hazardous."""
    return DocType.MEDICAL if category == MEDICAL_CATEGORY else DocType.HAZARDOUS


def stream_codes(stream: str) -> Q | None:
    """Which ledger codes belong to the stream; None if the stream keeps no ledger."""
    if stream == DocType.MEDICAL:
        return Q(waste_code__category__code=MEDICAL_CATEGORY)
    if stream == DocType.HAZARDOUS:
        return ~Q(waste_code__category__code=MEDICAL_CATEGORY)
    return None


def sources_of(orgs: QuerySet[Organisation]) -> dict[int, Source]:
    """Each organisation as a flow source, with what it can be grouped by."""
    rows = orgs.values("pk", "name", "industry_code", "industry_name", "park_id", "park__name")
    return {
        r["pk"]: Source(
            id=r["pk"],
            name=r["name"],
            industry_code=r["industry_code"],
            industry_name=r["industry_name"],
            park_id=r["park_id"],
            park_name=r["park__name"] or "",
        )
        for r in rows
    }


def ledger_events(
    orgs: QuerySet[Organisation], *, stream: str, start: date, end: date
) -> QuerySet[LedgerEvent]:
    """The ledger events of `orgs` in the stream and period (`end` exclusive)."""
    codes = stream_codes(stream)
    if codes is None:
        return LedgerEvent.objects.none()
    return LedgerEvent.objects.filter(
        codes,
        organisation__in=orgs.values("pk"),
        occurred_at__gte=aware_day(start),
        occurred_at__lt=aware_day(end),
    ).order_by()


def ledger_sums(events: QuerySet[LedgerEvent], kind: str) -> dict[tuple[int, str], int]:
    """Grams per (organisation, code) of one kind of event."""
    rows = (
        events.filter(kind=kind)
        .values("organisation_id", "waste_code__code")
        .annotate(total=Sum("quantity_g"))
    )
    return {(r["organisation_id"], r["waste_code__code"]): int(r["total"]) for r in rows}


def in_house_records(events: QuerySet[LedgerEvent], sources: dict[int, Source]) -> list[InHouse]:
    """B.4 events per organisation, code, method and month."""
    rows = (
        events.filter(kind=EventKind.TREAT_IN_HOUSE)
        .annotate(month=TruncMonth("occurred_at"))
        .values(
            "organisation_id",
            "waste_code__code",
            "treatment_method__code",
            "treatment_method__kind",
            "month",
        )
        .annotate(total=Sum("quantity_g"))
    )
    return [
        InHouse(
            source=sources[r["organisation_id"]],
            code=r["waste_code__code"],
            method=r["treatment_method__code"] or "",
            method_kind=r["treatment_method__kind"] or "",
            grams=int(r["total"]),
            month=month_text(r["month"]),
        )
        for r in rows
    ]


def shipment_from_row(row: dict[str, Any], source: Source) -> Shipment:
    """One manifest line as a Shipment: its declared weight split by what became of it."""
    declared = row["weight_g"]
    received = row["received_weight_g"] or 0
    accepted = row["accepted_weight_g"] or 0
    treated = row["treated_weight_g"]
    status = row["manifest__status"]
    parts: dict[str, int] = dict.fromkeys(("in_transit", "refused", "treated", "awaiting"), 0)
    if status in NOT_RECEIVED:
        parts["in_transit"] = declared
    elif status in RECEIVED_UNTREATED or status == Status.REFUSED:
        parts.update(refused=received - accepted, awaiting=accepted)
    elif status == Status.TREATED:
        parts["refused"] = received - accepted
        if treated is not None:  # else the treatment record is withheld: a gap
            parts.update(treated=treated, awaiting=accepted - treated)
    method = row["treatment_method__code"] or "", row["treatment_method__kind"] or ""
    return Shipment(
        source=source,
        code=row["waste_code__code"],
        carrier_id=row["carrier_id"] or 0,
        carrier_name=row["carrier_name"] or "",
        receiver_id=row["manifest__receiver_id"],
        receiver_name=row["manifest__receiver__name"],
        declared_g=declared,
        in_transit_g=parts["in_transit"],
        refused_g=parts["refused"],
        treated_g=parts["treated"],
        awaiting_g=parts["awaiting"],
        method=method[0] if parts["treated"] else "",
        method_kind=method[1] if parts["treated"] else "",
        month=month_text(row["manifest__picked_up_at"]),
        ref=row["manifest__number"],
    )


def shipment_lines(
    shippers: QuerySet[Organisation] | Iterable[int],
    *,
    stream: str | None,
    start: date,
    end: date,
) -> list[dict[str, Any]]:
    """The manifest lines (not cancelled) of `shippers` picked up in the period, as rows of
    SHIPMENT_VALUES plus the first carrier; every stream when `stream` is None."""
    shipper_ids = shippers.values("pk") if isinstance(shippers, QuerySet) else list(shippers)
    lines = ManifestLine.objects.filter(
        manifest__shipper__in=shipper_ids,
        manifest__picked_up_at__gte=aware_day(start),
        manifest__picked_up_at__lt=aware_day(end),
    ).exclude(manifest__status=Status.CANCELLED)
    if stream is not None:
        lines = lines.filter(manifest__doc_type=stream)
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in lines.order_by("manifest__picked_up_at", "manifest_id", "position").values(
            *SHIPMENT_VALUES
        )
    ]
    legs: dict[int, dict[str, Any]] = {
        leg["manifest_id"]: dict(leg)
        for leg in ManifestCarrier.objects.filter(
            position=1, manifest_id__in={r["manifest_id"] for r in rows}
        ).values("manifest_id", "carrier_id", "carrier__name")
    }
    for row in rows:
        leg: dict[str, Any] = legs.get(row["manifest_id"], {})
        row["carrier_id"] = leg.get("carrier_id")
        row["carrier_name"] = leg.get("carrier__name")
    return rows


def records_assemble(
    sources: dict[int, Source],
    *,
    generated: dict[tuple[int, str], int],
    handed: dict[tuple[int, str], int],
    in_house: list[InHouse],
    shipments: list[Shipment],
) -> FlowRecords:
    """FlowRecords from the sums: the stock change is what generation left after in-house
    treatment and hand-overs, per organisation and code."""
    treated_here: dict[tuple[int, str], int] = defaultdict(int)
    for h in in_house:
        treated_here[(h.source.id, h.code)] += h.grams
    keys = sorted(set(generated) | set(handed) | set(treated_here))
    stock = [
        StockChange(
            sources[org],
            code,
            generated.get((org, code), 0)
            - treated_here.get((org, code), 0)
            - handed.get((org, code), 0),
        )
        for org, code in keys
    ]
    return FlowRecords(
        generations=tuple(
            Generation(sources[org], code, grams)
            for (org, code), grams in sorted(generated.items())
        ),
        stock_changes=tuple(s for s in stock if s.grams),
        in_house=tuple(in_house),
        shipments=tuple(shipments),
    )


def flow_records_raw(
    orgs: QuerySet[Organisation], *, stream: str, start: date, end: date
) -> FlowRecords:
    """The flow records of `orgs` computed from every raw row of the period: the reference
    answer the maintained aggregates must equal."""
    sources = sources_of(orgs)
    if not sources:
        return FlowRecords()
    events = ledger_events(orgs, stream=stream, start=start, end=end)
    shipments = [
        shipment_from_row(row, sources[row["manifest__shipper_id"]])
        for row in shipment_lines(orgs, stream=stream, start=start, end=end)
    ]
    return records_assemble(
        sources,
        generated=ledger_sums(events, EventKind.GENERATE),
        handed=ledger_sums(events, EventKind.HAND_OVER),
        in_house=in_house_records(events, sources),
        shipments=shipments,
    )

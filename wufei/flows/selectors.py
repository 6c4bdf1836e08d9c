"""Reading the spine into flow records for `wufei.domain.material_flows`.

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

Visibility: an administrator sees every source; a regulator the producers registered in its
regions; an enterprise member its own organisations only (its own node as the only source);
anyone else nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.core.errors import ValidationFailed
from wufei.domain.manifest_flow import Status
from wufei.domain.material_flows import (
    Chain,
    FlowRecords,
    Gap,
    Generation,
    InHouse,
    Level,
    Sankey,
    Shipment,
    Source,
    StockChange,
    gaps,
    industry_chain,
    sankey,
)
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.selectors import ledger_reporting_year
from wufei.registry.models import Organisation, Region
from wufei.transfer.models import DocType, ManifestCarrier, ManifestLine

NOTHING = Q(pk__in=[])
MEDICAL_CATEGORY = "HW01"  # 医疗废物 in the 名录; medical waste keeps the hazardous ledger
NOT_RECEIVED = (Status.READY.value, Status.IN_TRANSIT.value, Status.ARRIVED.value)
RECEIVED_UNTREATED = (Status.ACCEPTED.value, Status.PARTIALLY_ACCEPTED.value)


@dataclass(frozen=True)
class FlowQuery:
    """What flows to show; `end` is exclusive."""

    stream: str = DocType.HAZARDOUS
    start: date = date(2024, 1, 1)
    end: date = date(2025, 1, 1)
    region: str = ""  # a GB/T 2260 prefix, "" for everything the viewer sees
    level: Level = Level.INDUSTRY
    park: int | None = None  # only the enterprises of this park (the chain's drill-down)

    @classmethod
    def for_year(cls, year: int, **kwargs: Any) -> FlowQuery:
        return cls(start=date(year, 1, 1), end=date(year + 1, 1, 1), **kwargs)


def flow_query_parse(
    *,
    stream: str = "",
    year: str = "",
    start: str = "",
    end: str = "",
    region: str = "",
    level: str = "",
    park: str = "",
) -> FlowQuery:
    """A FlowQuery from request parameters (defaults: hazardous waste, the latest year with
    ledger data, industry)."""
    if stream and stream not in DocType.values:
        raise ValidationFailed(_("Unknown stream."), code="unknown_stream", field="stream")
    if level and level not in Level.__members__.values():
        raise ValidationFailed(_("Unknown grouping level."), code="unknown_level", field="level")
    region = region.strip()
    if park and not park.isdigit():
        raise ValidationFailed(_("Unknown park."), code="unknown_park", field="park")
    if region and not region.isdigit():
        raise ValidationFailed(_("A region is a division code prefix."), field="region")
    try:
        if start or end:
            today = timezone.localdate()
            first = date.fromisoformat(start) if start else date(today.year, 1, 1)
            last = date.fromisoformat(end) if end else today
            first_day, end_day = first, date.fromordinal(last.toordinal() + 1)
        else:
            chosen = int(year) if year else ledger_reporting_year(today=timezone.localdate())
            first_day, end_day = date(chosen, 1, 1), date(chosen + 1, 1, 1)
    except ValueError:
        raise ValidationFailed(_("Give dates as YYYY-MM-DD."), field="start") from None
    if end_day <= first_day:
        raise ValidationFailed(_("The period ends before it starts."), field="end")
    return FlowQuery(
        stream=stream or DocType.HAZARDOUS,
        start=first_day,
        end=end_day,
        region=region,
        level=Level(level) if level else Level.INDUSTRY,
        park=int(park) if park else None,
    )


def flow_sources_visible(
    *, viewer: Viewer, region: str = "", park: int | None = None
) -> QuerySet[Organisation]:
    """The organisations whose waste the viewer may follow as a source."""
    if not viewer.is_authenticated:
        q = NOTHING
    elif viewer.is_admin:
        q = Q()
    else:
        q = Q(pk__in=viewer.organisation_ids) if viewer.memberships else NOTHING
        if viewer.is_regulator:
            q |= viewer.region_q("region__prefix")
    qs = Organisation.objects.filter(q)
    if region:
        qs = qs.filter(region__prefix__startswith=region)
    if park is not None:
        qs = qs.filter(park_id=park)
    return qs


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _stream_codes(stream: str) -> Q | None:
    """Which ledger codes belong to the stream; None if the stream keeps no ledger."""
    if stream == DocType.MEDICAL:
        return Q(waste_code__category__code=MEDICAL_CATEGORY)
    if stream == DocType.HAZARDOUS:
        return ~Q(waste_code__category__code=MEDICAL_CATEGORY)
    return None


def _sources(orgs: QuerySet[Organisation]) -> dict[int, Source]:
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


def _month(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m") if value else ""


def _ledger(orgs: QuerySet[Organisation], query: FlowQuery) -> QuerySet[LedgerEvent]:
    codes = _stream_codes(query.stream)
    if codes is None:
        return LedgerEvent.objects.none()
    return LedgerEvent.objects.filter(
        codes,
        organisation__in=orgs.values("pk"),
        occurred_at__gte=_aware(query.start),
        occurred_at__lt=_aware(query.end),
    ).order_by()


def _sums(events: QuerySet[LedgerEvent], kind: str) -> dict[tuple[int, str], int]:
    rows = (
        events.filter(kind=kind)
        .values("organisation_id", "waste_code__code")
        .annotate(total=Sum("quantity_g"))
    )
    return {(r["organisation_id"], r["waste_code__code"]): int(r["total"]) for r in rows}


def _in_house(events: QuerySet[LedgerEvent], sources: dict[int, Source]) -> list[InHouse]:
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
            month=_month(r["month"]),
        )
        for r in rows
    ]


def _shipment(row: dict[str, Any], source: Source) -> Shipment:
    declared = row["weight_g"]
    received = row["received_weight_g"] or 0
    accepted = row["accepted_weight_g"] or 0
    treated = row["treated_weight_g"]
    status = row["manifest__status"]
    parts: dict[str, int] = {}
    if status in NOT_RECEIVED:
        parts["in_transit_g"] = declared
    elif status in RECEIVED_UNTREATED or status == Status.REFUSED:
        parts.update(refused_g=received - accepted, awaiting_g=accepted)
    elif status == Status.TREATED:
        parts["refused_g"] = received - accepted
        if treated is not None:  # else the treatment record is withheld: a gap
            parts.update(treated_g=treated, awaiting_g=accepted - treated)
    method = row["treatment_method__code"] or "", row["treatment_method__kind"] or ""
    return Shipment(
        source=source,
        code=row["waste_code__code"],
        carrier_id=row["carrier_id"] or 0,
        carrier_name=row["carrier_name"] or "",
        receiver_id=row["manifest__receiver_id"],
        receiver_name=row["manifest__receiver__name"],
        declared_g=declared,
        method=method[0] if parts.get("treated_g") else "",
        method_kind=method[1] if parts.get("treated_g") else "",
        month=_month(row["manifest__picked_up_at"]),
        ref=row["manifest__number"],
        **parts,
    )


def _shipments(
    orgs: QuerySet[Organisation], query: FlowQuery, sources: dict[int, Source]
) -> list[Shipment]:
    first_leg = ManifestCarrier.objects.filter(position=1)
    lines = (
        ManifestLine.objects.filter(
            manifest__doc_type=query.stream,
            manifest__shipper__in=orgs.values("pk"),
            manifest__picked_up_at__gte=_aware(query.start),
            manifest__picked_up_at__lt=_aware(query.end),
        )
        .exclude(manifest__status=Status.CANCELLED)
        .order_by("manifest__picked_up_at", "manifest_id", "position")
        .values(
            "manifest_id",
            "manifest__number",
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
    )
    rows: list[dict[str, Any]] = [dict(row) for row in lines]
    legs: dict[int, dict[str, Any]] = {
        leg["manifest_id"]: dict(leg)
        for leg in first_leg.filter(manifest_id__in={r["manifest_id"] for r in rows}).values(
            "manifest_id", "carrier_id", "carrier__name"
        )
    }
    result = []
    for row in rows:
        leg: dict[str, Any] = legs.get(row["manifest_id"], {})
        row["carrier_id"] = leg.get("carrier_id")
        row["carrier_name"] = leg.get("carrier__name")
        result.append(_shipment(row, sources[row["manifest__shipper_id"]]))
    return result


def flow_records(*, viewer: Viewer, query: FlowQuery) -> FlowRecords:
    """The flow records of the viewer's visible sources for `query`."""
    orgs = flow_sources_visible(viewer=viewer, region=query.region, park=query.park)
    sources = _sources(orgs)
    if not sources:
        return FlowRecords()
    events = _ledger(orgs, query)
    generated = _sums(events, EventKind.GENERATE)
    handed = _sums(events, EventKind.HAND_OVER)
    in_house = _in_house(events, sources)
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
        shipments=tuple(_shipments(orgs, query, sources)),
    )


@dataclass(frozen=True)
class FlowReport:
    graph: Sankey
    gaps: list[Gap]


def flow_report(*, viewer: Viewer, query: FlowQuery) -> FlowReport:
    """The Sankey graph of `query` for the viewer, and what its unexplained mass is made of."""
    records = flow_records(viewer=viewer, query=query)
    return FlowReport(graph=sankey(records, query.level), gaps=gaps(records))


def flow_parks_visible(*, viewer: Viewer, region: str = "") -> list[tuple[int, str]]:
    """Parks that hold at least one visible source, for the drill-down filter."""
    rows = (
        flow_sources_visible(viewer=viewer, region=region)
        .filter(park__isnull=False)
        .values_list("park_id", "park__name")
        .distinct()
        .order_by("park__name")
    )
    return [(pk, name) for pk, name in rows]


def flow_chain(*, viewer: Viewer, query: FlowQuery) -> Chain:
    records = flow_records(viewer=viewer, query=query)
    return industry_chain(records.shipments, records.in_house, query.level)


def flow_regions_visible(*, viewer: Viewer) -> list[Region]:
    """The regions (and their parents) where the viewer's visible sources are registered."""
    codes = set(flow_sources_visible(viewer=viewer).values_list("region_id", flat=True).distinct())
    found: dict[str, Region] = {}
    while codes:
        regions = Region.objects.filter(code__in=codes - set(found))
        codes = set()
        for region in regions:
            found[region.code] = region
            if region.parent_id and region.parent_id not in found:
                codes.add(region.parent_id)
    return sorted(found.values(), key=lambda r: r.code)

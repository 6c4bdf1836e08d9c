"""What the regulator's map (一张图) shows: region-wide sums, all in SQL and all scoped.

Policy: the map is a regulator's and an administrator's view. A regulator sees the regions it
regulates and anything below them (a city regulator its districts and streets); an
administrator any region; an enterprise user none — `dashboard_scope` answers NotFound, like
any other record the viewer may not see. Every figure starts from the visibility selectors of
the ledger, the transfer documents and the registry, then narrows to the region (by where the
facility lies) and the calendar year, and is summed with GROUP BY in the database.

The ledger figures (tonnage, trend, leading codes, facility sizes, drill-down totals, years on
record) are read from the maintained cells (`wufei.rollups`, ADR 0012: `scope_cells`), which
carry the events' organisation and facility, so the same visibility rule and region filter
apply; the records pages list the raw events of `scope_events` behind them, and
`wufei.rollups.consistency` proves both sum the same. The manifest figures are read from
`scope_manifests`, which their records pages list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.alerts.models import Alert
from wufei.alerts.selectors import alert_list_visible
from wufei.core.errors import NotFound
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.selectors import event_visibility_q, ledger_events_visible
from wufei.ledger.supervision import supervision_list
from wufei.registry.models import Facility, Region, RegionLevel
from wufei.registry.regions import region_codes_within
from wufei.registry.selectors import facility_list_visible
from wufei.rollups.models import LedgerCell
from wufei.rollups.selectors import rollups_ensure_fresh
from wufei.transfer.models import Manifest, ManifestLine
from wufei.transfer.selectors import manifest_list_visible, manifest_overdue_receipts

# The ledger kinds behind the three tonnage tiles: 产生 (B.1), 委外转移 (B.5), 接收.
TONNAGE_KINDS = (EventKind.GENERATE, EventKind.HAND_OVER, EventKind.RECEIVE)
# What a facility handles in a year, for the size of its point: what arose or arrived there.
THROUGHPUT_KINDS = (EventKind.GENERATE, EventKind.RECEIVE)
# Documents that moved (or are moving) waste: not drafts, not cancelled ones.
MOVED_STATUSES_EXCLUDED = ("draft", "cancelled")
SEVERITIES = ("critical", "high", "medium", "low")
TOP_CODES = 10


# --- scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """One region and one calendar year, as seen by one viewer."""

    viewer: Viewer
    region: Region
    year: int

    @property
    def prefix(self) -> str:
        return self.region.prefix

    @functools.cached_property
    def region_codes(self) -> list[str]:
        """The region's code and those of every region below it, read once per scope."""
        return region_codes_within([self.prefix])

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime(self.year, 1, 1))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime(self.year + 1, 1, 1))


def _not_found(code: str) -> NotFound:
    return NotFound(
        _("No map of region %(code)s is available to you.") % {"code": code}, field="region"
    )


def dashboard_allowed(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_regulator


def dashboard_regions(*, viewer: Viewer) -> list[Region]:
    """The regions a viewer may open the map of at the top: its scopes, or for an
    administrator every county with a facility."""
    if not dashboard_allowed(viewer):
        return []
    if viewer.is_admin:
        with_facilities = Facility.objects.values_list("region__prefix", flat=True).distinct()
        counties = {p[:6] for p in with_facilities}
        return list(Region.objects.filter(level=RegionLevel.COUNTY, prefix__in=counties))
    return list(Region.objects.filter(prefix__in=viewer.region_prefixes).order_by("code"))


def dashboard_region(*, viewer: Viewer, code: str = "") -> Region:
    """The region asked for if the viewer may open its map (default: its first region)."""
    if not dashboard_allowed(viewer):
        raise _not_found(code)
    if not code:
        regions = dashboard_regions(viewer=viewer)
        if not regions:
            raise _not_found(code)
        return regions[0]
    region = Region.objects.filter(code=code.strip()).first()
    if region is None or not (viewer.is_admin or viewer.regulates(region.prefix)):
        raise _not_found(code)
    return region


def _events_per_year(viewer: Viewer, region: Region) -> dict[int, int]:
    """Generation, hand-over and receipt events per year at facilities in the region."""
    rows = (
        year_cells(viewer)
        .filter(facility__region_id__in=region_codes_within([region.prefix]))
        .values("year")
        .annotate(n=Sum("events"))
    )
    return {r["year"]: r["n"] for r in rows}


def scope_years(*, viewer: Viewer, region: Region) -> list[int]:
    """Calendar years with ledger events (generation, hand-over, receipt) in the region, and
    the current year, newest first."""
    years = set(_events_per_year(viewer, region)) | {timezone.localdate().year}
    return sorted(years, reverse=True)


def dashboard_scope(*, viewer: Viewer, region_code: str = "", year: int | None = None) -> Scope:
    """The scope of a map page. The default year is the current one once it has ledger
    events, else the busiest year on record (a demo district seeded for a past year)."""
    region = dashboard_region(viewer=viewer, code=region_code)
    if year is None:
        counts = _events_per_year(viewer, region)
        current = timezone.localdate().year
        year = current if counts.get(current) or not counts else max(counts, key=counts.__getitem__)
    return Scope(viewer=viewer, region=region, year=year)


# --- the querysets behind every figure --------------------------------------------------------


def scope_events(scope: Scope) -> QuerySet[LedgerEvent]:
    """Ledger events the viewer may read, at facilities in the region, in the year."""
    return ledger_events_visible(viewer=scope.viewer).filter(
        facility__region_id__in=scope.region_codes,
        occurred_at__gte=scope.start,
        occurred_at__lt=scope.end,
    )


def year_cells(viewer: Viewer, *, monthly: bool = False) -> QuerySet[LedgerCell]:
    """The map's cells the viewer may read (the ledger's own visibility rule), fresh: per
    facility, kind and code for a year (month 0), or per facility, kind and month."""
    rollups_ensure_fresh()
    cells = LedgerCell.objects.filter(event_visibility_q(viewer)).order_by()
    return cells.filter(month__gt=0) if monthly else cells.filter(month=0)


def scope_cells(scope: Scope, *, monthly: bool = False) -> QuerySet[LedgerCell]:
    """`scope_events` pre-summed: the cells of the year at facilities in the region."""
    return year_cells(scope.viewer, monthly=monthly).filter(
        facility__region_id__in=scope.region_codes, year=scope.year
    )


def _touches_region(scope: Scope) -> Q:
    codes = scope.region_codes
    return Q(shipper_facility__region_id__in=codes) | Q(receiver_facility__region_id__in=codes)


def scope_manifests(scope: Scope) -> QuerySet[Manifest]:
    """Documents of the year (planned date) with either end in the region, drafts and
    cancelled ones left out: the transfers that happened or are happening."""
    return (
        manifest_list_visible(viewer=scope.viewer)
        .filter(_touches_region(scope), planned_on__year=scope.year)
        .exclude(status__in=MOVED_STATUSES_EXCLUDED)
    )


def scope_in_transit(scope: Scope) -> QuerySet[Manifest]:
    """Manifests on the road now with either end in the region (any year)."""
    return manifest_list_visible(viewer=scope.viewer, status="in_transit").filter(
        _touches_region(scope)
    )


def scope_overdue(scope: Scope) -> QuerySet[Manifest]:
    """Receipts overdue or late (第十八条) with either end in the region."""
    return manifest_overdue_receipts(viewer=scope.viewer).filter(_touches_region(scope))


def line_weight() -> Coalesce:
    """Accepted weight once the receiver decided, else the declared weight."""
    return Coalesce("accepted_weight_g", "weight_g")


def scope_lines(scope: Scope) -> QuerySet[ManifestLine]:
    return ManifestLine.objects.filter(manifest__in=scope_manifests(scope).values("pk"))


def open_alerts(*, viewer: Viewer, region_prefix: str) -> QuerySet[Alert]:
    """Open warnings (not yet acknowledged or closed) in the region that the viewer sees."""
    return alert_list_visible(viewer=viewer, status="open", region_prefix=region_prefix)


# --- the overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityPoint:
    pk: int
    code: str
    name: str
    kind: str
    organisation: str
    uscc: str
    latitude: Any  # Decimal
    longitude: Any
    grams: int
    inside: bool  # False: a facility elsewhere at the end of a flow


@dataclass(frozen=True)
class Flow:
    shipper_facility_id: int
    receiver_facility_id: int
    grams: int
    manifests: int


@dataclass
class Overview:
    scope: Scope
    tonnage: dict[str, int]  # ledger kind -> grams
    in_transit: int
    overdue: int
    warnings: dict[str, int]  # severity -> open warnings
    facilities: list[FacilityPoint]
    flows: list[Flow]
    by_stream: list[tuple[str, int]]  # (doc_type, grams)
    by_code: list[tuple[str, str, int]]  # (code, category, grams) generated
    tiers: dict[str, int]
    monthly: dict[str, list[int]] = field(default_factory=dict)  # kind -> 12 sums


def tonnage(scope: Scope) -> dict[str, int]:
    rows = (
        scope_cells(scope)
        .filter(kind__in=TONNAGE_KINDS)
        .values("kind")
        .annotate(grams=Sum("grams"))
    )
    sums = {kind.value: 0 for kind in TONNAGE_KINDS}
    sums.update({r["kind"]: int(r["grams"]) for r in rows})
    return sums


def warnings_by_severity(*, viewer: Viewer, region_prefix: str) -> dict[str, int]:
    rows = (
        open_alerts(viewer=viewer, region_prefix=region_prefix)
        .order_by()
        .values("severity")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(SEVERITIES, 0)
    counts.update({r["severity"]: r["n"] for r in rows})
    return counts


def _line_sums(scope: Scope) -> list[dict[str, Any]]:
    """The year's manifest lines summed per shipping facility, receiving facility and stream,
    in one query: the flows and the streams' shares are both read from it."""
    return list(
        scope_lines(scope)
        .order_by()
        .values(
            "manifest__shipper_facility_id", "manifest__receiver_facility_id", "manifest__doc_type"
        )
        .annotate(grams=Sum(line_weight()), manifests=Count("manifest_id", distinct=True))
    )


def flows(line_sums: list[dict[str, Any]]) -> list[Flow]:
    """Facility to facility, heaviest first (a manifest has one stream, so its count adds up)."""
    pairs: dict[tuple[int, int], list[int]] = {}
    for r in line_sums:
        key = (r["manifest__shipper_facility_id"], r["manifest__receiver_facility_id"])
        total = pairs.setdefault(key, [0, 0])
        total[0] += int(r["grams"] or 0)
        total[1] += r["manifests"]
    return [
        Flow(shipper_facility_id=a, receiver_facility_id=b, grams=grams, manifests=n)
        for (a, b), (grams, n) in sorted(pairs.items(), key=lambda item: -item[1][0])
    ]


def facility_points(scope: Scope, flow_list: list[Flow]) -> list[FacilityPoint]:
    """Facilities in the region, plus those elsewhere at the end of one of its flows."""
    codes = scope.region_codes
    ends = {f.shipper_facility_id for f in flow_list} | {f.receiver_facility_id for f in flow_list}
    inside = facility_list_visible(viewer=scope.viewer).filter(region_id__in=codes)
    outside = Facility.objects.filter(pk__in=ends).exclude(region_id__in=codes)
    cells = year_cells(scope.viewer).filter(kind__in=THROUGHPUT_KINDS, year=scope.year)
    grams: dict[int, int] = {}
    for part in (cells.filter(facility__region_id__in=codes), cells.filter(facility__in=outside)):
        grams.update(
            part.values("facility_id").annotate(g=Sum("grams")).values_list("facility_id", "g")
        )
    fields = ("pk", "code", "name", "kind", "latitude", "longitude", "region_id")
    names = ("organisation__name", "organisation__uscc")
    facilities = [
        *inside.order_by().values(*fields, *names),
        *outside.order_by().values(*fields, *names),
    ]  # plain rows: the map of a large region has tens of thousands of points
    facilities.sort(key=lambda f: (f["organisation__name"], f["code"]))
    inside_codes = set(codes)
    return [
        FacilityPoint(
            pk=f["pk"],
            code=f["code"],
            name=f["name"],
            kind=f["kind"],
            organisation=f["organisation__name"],
            uscc=f["organisation__uscc"],
            latitude=f["latitude"],
            longitude=f["longitude"],
            grams=int(grams.get(f["pk"]) or 0),
            inside=f["region_id"] in inside_codes,
        )
        for f in facilities
    ]


def by_stream(line_sums: list[dict[str, Any]]) -> list[tuple[str, int]]:
    streams: dict[str, int] = {}
    for r in line_sums:
        doc_type = r["manifest__doc_type"]
        streams[doc_type] = streams.get(doc_type, 0) + int(r["grams"] or 0)
    return sorted(streams.items(), key=lambda item: -item[1])


def by_code(scope: Scope) -> list[tuple[str, str, int]]:
    """The ten waste codes generated most in the region and year."""
    rows = (
        scope_cells(scope)
        .filter(kind=EventKind.GENERATE)
        .values("waste_code", "category")
        .annotate(grams=Sum("grams"))
        .order_by("-grams", "waste_code")[:TOP_CODES]
    )
    return [(r["waste_code"], r["category"], int(r["grams"])) for r in rows]


def monthly(scope: Scope) -> dict[str, list[int]]:
    rows = (
        scope_cells(scope, monthly=True)
        .filter(kind__in=TONNAGE_KINDS)
        .values("kind", "month")
        .annotate(grams=Sum("grams"))
    )
    series = {kind.value: [0] * 12 for kind in TONNAGE_KINDS}
    for r in rows:  # at most 36 grouped rows
        series[r["kind"]][r["month"] - 1] = int(r["grams"])
    return series


def tier_counts(scope: Scope) -> dict[str, int]:
    """Producers registered in the region per supervision tier (HJ 1259 4.2)."""
    counts: dict[str, int] = {}
    for producer in supervision_list(viewer=scope.viewer):
        if producer.organisation.region.prefix.startswith(scope.prefix):
            tier = str(producer.tier)
            counts[tier] = counts.get(tier, 0) + 1
    return counts


def dashboard_overview(scope: Scope) -> Overview:
    line_sums = _line_sums(scope)
    flow_list = flows(line_sums)
    return Overview(
        scope=scope,
        tonnage=tonnage(scope),
        in_transit=scope_in_transit(scope).count(),
        overdue=scope_overdue(scope).count(),
        warnings=warnings_by_severity(viewer=scope.viewer, region_prefix=scope.prefix),
        facilities=facility_points(scope, flow_list),
        flows=flow_list,
        by_stream=by_stream(line_sums),
        by_code=by_code(scope),
        tiers=tier_counts(scope),
        monthly=monthly(scope),
    )

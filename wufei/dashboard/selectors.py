"""What the regulator's map (一张图) shows: region-wide sums, all in SQL and all scoped.

Policy: the map is a regulator's and an administrator's view. A regulator sees the regions it
regulates and anything below them (a city regulator its districts and streets); an
administrator any region; an enterprise user none — `dashboard_scope` answers NotFound, like
any other record the viewer may not see. Every figure starts from the visibility selectors of
the ledger, the transfer documents and the registry, then narrows to the region (by where the
facility lies) and the calendar year, and is summed with GROUP BY in the database.

The records pages use the same querysets as the figures (`scope_events`, `scope_manifests`),
so a figure and the list behind it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.alerts.models import Alert
from wufei.alerts.selectors import alert_list_visible
from wufei.core.errors import NotFound
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.selectors import ledger_events_visible
from wufei.ledger.supervision import supervision_list
from wufei.registry.models import Facility, Region, RegionLevel
from wufei.registry.selectors import facility_list_visible
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
    rows = (
        ledger_events_visible(viewer=viewer)
        .filter(facility__region__prefix__startswith=region.prefix)
        .annotate(year=ExtractYear("occurred_at"))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {r["year"]: r["n"] for r in rows}


def scope_years(*, viewer: Viewer, region: Region) -> list[int]:
    """Calendar years with ledger events in the region, and the current year, newest first."""
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
        facility__region__prefix__startswith=scope.prefix,
        occurred_at__gte=scope.start,
        occurred_at__lt=scope.end,
    )


def _touches_region(prefix: str) -> Q:
    return Q(shipper_facility__region__prefix__startswith=prefix) | Q(
        receiver_facility__region__prefix__startswith=prefix
    )


def scope_manifests(scope: Scope) -> QuerySet[Manifest]:
    """Documents of the year (planned date) with either end in the region, drafts and
    cancelled ones left out: the transfers that happened or are happening."""
    return (
        manifest_list_visible(viewer=scope.viewer)
        .filter(_touches_region(scope.prefix), planned_on__year=scope.year)
        .exclude(status__in=MOVED_STATUSES_EXCLUDED)
    )


def scope_in_transit(scope: Scope) -> QuerySet[Manifest]:
    """Manifests on the road now with either end in the region (any year)."""
    return manifest_list_visible(viewer=scope.viewer, status="in_transit").filter(
        _touches_region(scope.prefix)
    )


def scope_overdue(scope: Scope) -> QuerySet[Manifest]:
    """Receipts overdue or late (第十八条) with either end in the region."""
    return manifest_overdue_receipts(viewer=scope.viewer).filter(_touches_region(scope.prefix))


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
        scope_events(scope)
        .filter(kind__in=TONNAGE_KINDS)
        .order_by()
        .values("kind")
        .annotate(grams=Sum("quantity_g"))
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


def flows(scope: Scope) -> list[Flow]:
    rows = (
        scope_lines(scope)
        .order_by()
        .values("manifest__shipper_facility_id", "manifest__receiver_facility_id")
        .annotate(grams=Sum(line_weight()), manifests=Count("manifest_id", distinct=True))
        .order_by("-grams")
    )
    return [
        Flow(
            shipper_facility_id=r["manifest__shipper_facility_id"],
            receiver_facility_id=r["manifest__receiver_facility_id"],
            grams=int(r["grams"] or 0),
            manifests=r["manifests"],
        )
        for r in rows
    ]


def facility_points(scope: Scope, flow_list: list[Flow]) -> list[FacilityPoint]:
    """Facilities in the region, plus those elsewhere at the end of one of its flows."""
    ends = {f.shipper_facility_id for f in flow_list} | {f.receiver_facility_id for f in flow_list}
    inside = facility_list_visible(viewer=scope.viewer).filter(
        region__prefix__startswith=scope.prefix
    )
    qs = Facility.objects.filter(Q(pk__in=inside.values("pk")) | Q(pk__in=ends)).select_related(
        "organisation", "region"
    )
    grams = dict(
        ledger_events_visible(viewer=scope.viewer)
        .filter(
            facility__in=qs.values("pk"),
            kind__in=THROUGHPUT_KINDS,
            occurred_at__gte=scope.start,
            occurred_at__lt=scope.end,
        )
        .order_by()
        .values("facility_id")
        .annotate(grams=Sum("quantity_g"))
        .values_list("facility_id", "grams")
    )
    return [
        FacilityPoint(
            pk=f.pk,
            code=f.code,
            name=f.name,
            kind=f.kind,
            organisation=f.organisation.name,
            uscc=f.organisation.uscc,
            latitude=f.latitude,
            longitude=f.longitude,
            grams=int(grams.get(f.pk) or 0),
            inside=f.region.prefix.startswith(scope.prefix),
        )
        for f in qs.order_by("organisation__name", "code")
    ]


def by_stream(scope: Scope) -> list[tuple[str, int]]:
    rows = (
        scope_lines(scope)
        .order_by()
        .values("manifest__doc_type")
        .annotate(grams=Sum(line_weight()))
        .order_by("-grams")
    )
    return [(r["manifest__doc_type"], int(r["grams"] or 0)) for r in rows]


def by_code(scope: Scope) -> list[tuple[str, str, int]]:
    """The ten waste codes generated most in the region and year."""
    rows = (
        scope_events(scope)
        .filter(kind=EventKind.GENERATE)
        .order_by()
        .values("waste_code__code", "waste_code__category__code")
        .annotate(grams=Sum("quantity_g"))
        .order_by("-grams", "waste_code__code")[:TOP_CODES]
    )
    return [(r["waste_code__code"], r["waste_code__category__code"], int(r["grams"])) for r in rows]


def monthly(scope: Scope) -> dict[str, list[int]]:
    rows = (
        scope_events(scope)
        .filter(kind__in=TONNAGE_KINDS)
        .annotate(month=ExtractMonth("occurred_at"))
        .order_by()
        .values("kind", "month")
        .annotate(grams=Sum("quantity_g"))
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
    flow_list = flows(scope)
    return Overview(
        scope=scope,
        tonnage=tonnage(scope),
        in_transit=scope_in_transit(scope).count(),
        overdue=scope_overdue(scope).count(),
        warnings=warnings_by_severity(viewer=scope.viewer, region_prefix=scope.prefix),
        facilities=facility_points(scope, flow_list),
        flows=flow_list,
        by_stream=by_stream(scope),
        by_code=by_code(scope),
        tiers=tier_counts(scope),
        monthly=monthly(scope),
    )

"""The map's drill-down: district → street → park → enterprise, each level with its totals.

Same policy as `wufei.dashboard.selectors`: only regulators (within their regions) and
administrators; anything else is NotFound. Totals are grouped sums in SQL over the same scoped
cells as the overview (`scope_cells`), keyed by region prefix, park or organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.alerts.models import Alert
from wufei.alerts.presenters import alert_text
from wufei.core.errors import NotFound
from wufei.dashboard.selectors import (
    TONNAGE_KINDS,
    Scope,
    dashboard_allowed,
    open_alerts,
    scope_cells,
)
from wufei.ledger.models import Container
from wufei.ledger.selectors import StockRow, ledger_organisation_get, stock_by_facility
from wufei.ledger.supervision import ProducerTier, supervision_list, supervision_of
from wufei.registry.models import Facility, Organisation, Park, Region
from wufei.registry.selectors import organisation_list_visible, park_list_visible
from wufei.transfer.models import Manifest
from wufei.transfer.selectors import manifest_list_visible

RECENT = 10
TOP_ENTERPRISES = 20


@dataclass(frozen=True)
class Totals:
    """Grams per ledger kind (generate / hand_over / receive) and open warnings."""

    generate: int = 0
    hand_over: int = 0
    receive: int = 0
    warnings: int = 0


@dataclass(frozen=True)
class Row:
    """One line of a drill table: what it is, where it leads, its totals."""

    key: str
    name: str
    totals: Totals
    obj: Any = None
    tier: ProducerTier | None = None


def _totals_by(cells: QuerySet[Any], key: Any) -> dict[Any, dict[str, int]]:
    """{key: {kind: grams}} from one grouped query of the map's cells; `key` is a field name
    or expression."""
    rows = (
        cells.filter(kind__in=TONNAGE_KINDS)
        .annotate(group=F(key) if isinstance(key, str) else key)
        .order_by()
        .values("group", "kind")
        .annotate(grams=Sum("grams"))
    )
    out: dict[Any, dict[str, int]] = {}
    for r in rows:  # grouped rows: a few per key
        out.setdefault(r["group"], {})[r["kind"]] = int(r["grams"])
    return out


def _warnings_by(qs: QuerySet[Any], field: str) -> dict[Any, int]:
    rows = qs.order_by().values(field).annotate(n=Count("pk"))
    return {r[field]: r["n"] for r in rows}


def _totals(kinds: dict[str, int] | None, warnings: int) -> Totals:
    kinds = kinds or {}
    return Totals(
        generate=kinds.get("generate", 0),
        hand_over=kinds.get("hand_over", 0),
        receive=kinds.get("receive", 0),
        warnings=warnings,
    )


# --- region ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionBreakdown:
    scope: Scope
    children: list[Row]
    parks: list[Row]
    enterprises: list[Row]


def region_breakdown(scope: Scope) -> RegionBreakdown:
    """The child regions and parks of the region, and its largest producers, with totals."""
    cells = scope_cells(scope)
    alerts = open_alerts(viewer=scope.viewer, region_prefix=scope.prefix)
    children = list(Region.objects.filter(parent=scope.region).order_by("code"))
    child_rows: list[Row] = []
    for length in sorted({len(c.prefix) for c in children}):  # one length per level
        sums = _totals_by(cells, Substr("facility__region__prefix", 1, length))
        warned = _warnings_by(alerts.annotate(child=Substr("region__prefix", 1, length)), "child")
        child_rows += [
            Row(c.code, c.name, _totals(sums.get(c.prefix), warned.get(c.prefix, 0)), c)
            for c in children
            if len(c.prefix) == length
        ]
    child_rows = [r for r in child_rows if r.totals != Totals() or _has_facilities(r.obj)]
    parks = list(
        park_list_visible(viewer=scope.viewer).filter(region__prefix__startswith=scope.prefix)
    )
    park_sums = _totals_by(cells, "organisation__park_id")
    park_warned = _warnings_by(alerts, "organisation__park_id")
    park_rows = [
        Row(str(p.pk), p.name, _totals(park_sums.get(p.pk), park_warned.get(p.pk, 0)), p)
        for p in parks
    ]
    org_sums = _totals_by(cells, "organisation_id")
    org_warned = _warnings_by(alerts, "organisation_id")
    top = sorted(
        org_sums.items(),
        key=lambda item: (-item[1].get("generate", 0), -sum(item[1].values())),
    )[:TOP_ENTERPRISES]
    orgs = Organisation.objects.in_bulk([k for k, _v in top])
    enterprise_rows = [
        Row(orgs[k].uscc, orgs[k].name, _totals(v, org_warned.get(k, 0)), orgs[k])
        for k, v in top
        if k in orgs
    ]
    return RegionBreakdown(scope, child_rows, park_rows, enterprise_rows)


def _has_facilities(region: Region) -> bool:
    return Facility.objects.filter(region__prefix__startswith=region.prefix).exists()


# --- park -----------------------------------------------------------------------------------


def dashboard_park(*, viewer: Viewer, pk: int) -> Park:
    """A park in one of the viewer's regions (any park for an administrator)."""
    park = park_list_visible(viewer=viewer).filter(pk=pk).first()
    if (
        park is None
        or not dashboard_allowed(viewer)
        or not (viewer.is_admin or viewer.regulates(park.region.prefix))
    ):
        raise NotFound(_("No such park is available to you."), field="park")
    return park


@dataclass(frozen=True)
class ParkBreakdown:
    park: Park
    enterprises: list[Row]


def park_breakdown(*, scope: Scope, park: Park) -> ParkBreakdown:
    """The park's organisations the viewer sees in full, with totals, tier and warnings."""
    orgs = [
        o
        for o in organisation_list_visible(viewer=scope.viewer, park_id=park.pk)
        if o.full_access  # type: ignore[attr-defined]  # annotated by the selector
    ]
    ids = [o.pk for o in orgs]
    sums = _totals_by(scope_cells(scope).filter(organisation_id__in=ids), "organisation_id")
    warned = _warnings_by(
        open_alerts(viewer=scope.viewer, region_prefix=scope.prefix).filter(
            organisation_id__in=ids
        ),
        "organisation_id",
    )
    tiers = {
        p.organisation.pk: p
        for p in supervision_list(viewer=scope.viewer)
        if p.organisation.park_id == park.pk
    }
    rows = [
        Row(o.uscc, o.name, _totals(sums.get(o.pk), warned.get(o.pk, 0)), o, tiers.get(o.pk))
        for o in orgs
    ]
    rows.sort(key=lambda r: (-(r.totals.generate + r.totals.receive), r.name))
    return ParkBreakdown(park, rows)


# --- enterprise -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseView:
    organisation: Organisation
    totals: Totals
    facilities: list[Facility]
    stock: list[StockRow]
    manifests: list[Manifest]
    warnings: list[tuple[Alert, str]]  # with the rule's title
    containers: list[Container]
    tier: ProducerTier | None


def dashboard_enterprise(*, viewer: Viewer, uscc: str) -> Organisation:
    """An organisation whose ledger the viewer reads, for regulators and administrators."""
    if not dashboard_allowed(viewer):
        raise NotFound(_("No such enterprise is available to you."), field="uscc")
    return ledger_organisation_get(viewer=viewer, uscc=uscc)


def enterprise_view(*, scope: Scope, organisation: Organisation) -> EnterpriseView:
    viewer = scope.viewer
    cells = scope_cells(scope).filter(organisation=organisation)
    sums = _totals_by(cells, "organisation_id").get(organisation.pk)
    warnings = [
        (alert, alert_text(alert).title)
        for alert in open_alerts(viewer=viewer, region_prefix="").filter(organisation=organisation)[
            :RECENT
        ]
    ]
    manifests = list(
        manifest_list_visible(viewer=viewer).filter(
            Q(shipper=organisation) | Q(receiver=organisation)
        )[:RECENT]
    )
    tier = (
        supervision_of(viewer=viewer, organisation=organisation)
        if organisation.is_producer
        else None
    )
    return EnterpriseView(
        organisation=organisation,
        totals=_totals(sums, len(warnings)),
        facilities=list(organisation.facilities.select_related("region").order_by("code")),
        stock=stock_by_facility(viewer=viewer, organisation=organisation),
        manifests=manifests,
        warnings=warnings,
        containers=list(
            Container.objects.filter(organisation=organisation)
            .select_related("waste_code")
            .order_by("-generated_on", "-sequence")[:RECENT]
        ),
        tier=tier,
    )


def breadcrumb_regions(*, viewer: Viewer, region: Region) -> list[Region]:
    """The region's ancestors down to itself, starting at the first one the viewer may open."""
    chain = [region]
    while chain[0].parent_id is not None:
        parent = Region.objects.get(pk=chain[0].parent_id)
        chain.insert(0, parent)
    if viewer.is_admin:
        return [r for r in chain if r.level >= 3] or chain[-1:]
    return [r for r in chain if viewer.regulates(r.prefix)]

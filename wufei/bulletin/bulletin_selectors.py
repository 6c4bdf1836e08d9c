"""Reads for the annual bulletin: the snapshot computed from the inventory and the registry,
the bulletins a viewer may see, and the public (published) ones."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet, Sum

from wufei.accounts.viewer import Viewer
from wufei.bulletin.inventory import waste_inventory
from wufei.bulletin.models import Bulletin, BulletinStatus
from wufei.core.errors import NotFound
from wufei.domain import bulletin_snapshot as bs
from wufei.domain.waste_inventory import grams_from_tonnes
from wufei.registry.models import Facility, Permit, PermitKind, Region

# Licences that carry a hazardous-waste utilisation/disposal/collection capacity (HW01 included).
HW_LICENCE_KINDS = (
    PermitKind.HW_COMPREHENSIVE,
    PermitKind.HW_COLLECTION,
    PermitKind.HW_SMALL_COLLECTION,
    PermitKind.MEDICAL_WASTE,
)


def licensed_capacities(*, region: Region, on: date) -> dict[str, int]:
    """Grams per year licensed, per licence kind, of HW licences in force on `on` held by
    organisations of the region."""
    rows = (
        Permit.objects.filter(
            organisation__region__prefix__startswith=region.prefix,
            kind__in=HW_LICENCE_KINDS,
            valid_from__lte=on,
            valid_until__gte=on,
            annual_capacity_t__isnull=False,
        )
        .order_by()
        .values("kind")
        .annotate(t=Sum("annual_capacity_t"))
    )
    return {row["kind"]: grams_from_tonnes(row["t"]) for row in rows}


def facility_counts(*, region: Region) -> dict[str, int]:
    rows = (
        Facility.objects.filter(region__prefix__startswith=region.prefix)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {row["kind"]: int(row["n"]) for row in rows}


def bulletin_snapshot_compute(*, viewer: Viewer, region: Region, year: int) -> bs.Snapshot:
    """The inventory's per-stream summaries (same code path as the inventory page), licensed
    capacities at the end of the year and facility counts."""
    inventory = waste_inventory(viewer=viewer, region_code=region.code, year=year)
    streams = [
        bs.StreamLine(
            code=s.code,
            title=s.title,
            source=s.source,
            generated=s.generated,
            utilised=s.utilised,
            disposed=s.disposed,
            stored=s.stored,
        )
        for s in inventory.summaries
    ]
    return bs.Snapshot(
        streams=streams,
        capacities_g=licensed_capacities(region=region, on=date(year, 12, 31)),
        facilities=facility_counts(region=region),
    )


def bulletin_list_visible(*, viewer: Viewer) -> QuerySet[Bulletin]:
    """Admins: all; regulators: the bulletins of their regions (and below); others: none."""
    found = Bulletin.objects.select_related("region")
    if viewer.is_admin:
        return found
    if not viewer.region_prefixes:
        return found.none()
    return found.filter(viewer.region_q("region__prefix"))


def bulletin_get(*, viewer: Viewer, pk: int) -> Bulletin:
    found = bulletin_list_visible(viewer=viewer).filter(pk=pk).first()
    if found is None:
        raise NotFound("bulletin not found")
    return found


def bulletin_public_get(*, region_code: str, year: int) -> Bulletin:
    """A published bulletin, for anyone (no login); anything else does not exist."""
    found = (
        Bulletin.objects.select_related("region")
        .filter(region__code=region_code, year=year, status=BulletinStatus.PUBLISHED)
        .first()
    )
    if found is None:
        raise NotFound("bulletin not found")
    return found


def bulletins_published(*, region_code: str) -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(region__code=region_code, status=BulletinStatus.PUBLISHED)

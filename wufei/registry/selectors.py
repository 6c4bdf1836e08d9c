"""Who sees which parties of the network: the role-scoping policy of the registry.

Policy (ARCHITECTURE: "a party sees only what it is a party to; a regulator sees its region"):

- a platform administrator sees everything, in full;
- a regulator sees, in full, every organisation registered in its regions or operating a
  facility there (prefix match on the GB/T 2260 code, so a city regulator sees its districts);
- a member of an organisation sees its own organisations in full, and the public directory of
  service providers anywhere — carriers, collectors and utilisation/disposal facilities —
  because a producer has to find a licensed receiver and a carrier (固废法 第三十七条: the
  producer must check the carrier's and receiver's qualifications). Directory entries hide
  contact details, vehicles and members, and show only the facilities that receive waste;
  their permits are shown, being public licences. Other producers stay invisible;
- a user with no membership and no scope sees no organisation.

Parks and regions are reference data, public to any signed-in user. Anything invisible is
reported as "not found", never as "forbidden", so that existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import Membership
from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotFound, ValidationFailed
from wufei.registry.models import (
    Facility,
    FacilityKind,
    Organisation,
    Park,
    Permit,
    Region,
    Vehicle,
)
from wufei.registry.regions import region_resolve

# The `role` filter: what an organisation does in the network, by its flags.
ROLE_FLAGS = {
    "producer": "is_producer",
    "carrier": "is_carrier",
    "collector": "is_collector",
    "treatment": "is_treatment",
    "small": "is_small_producer",
}
ROLE_FILTERS = {role: Q(**{flag: True}) for role, flag in ROLE_FLAGS.items()}
SERVICE_PROVIDER = Q(is_carrier=True) | Q(is_collector=True) | Q(is_treatment=True)
# Facilities of a directory organisation that other parties may send waste to.
RECEIVING_KINDS = (
    FacilityKind.STORAGE,
    FacilityKind.COLLECTION_POINT,
    FacilityKind.TRANSFER_STATION,
    FacilityKind.TREATMENT,
    FacilityKind.INCINERATION,
    FacilityKind.LANDFILL,
    FacilityKind.RECYCLING,
)
# 危险废物经营许可证管理办法 第十三条: renewal is applied for 30 working days before expiry;
# 60 calendar days of warning leave time to prepare it.
PERMIT_EXPIRY_WARNING = timedelta(days=60)
PERMIT_STATUSES = ("current", "valid", "expiring", "expired")
NOTHING = Q(pk__in=[])


def _full_q(viewer: Viewer) -> Q:
    """Organisations the viewer sees in full."""
    if viewer.is_admin:
        return Q()
    q = Q(pk__in=viewer.organisation_ids) if viewer.memberships else NOTHING
    if viewer.is_regulator:
        facilities_in_scope = Facility.objects.filter(viewer.region_q("region__prefix"))
        q |= viewer.region_q("region__prefix") | Q(
            pk__in=facilities_in_scope.values("organisation_id")
        )
    return q


def _visible_q(viewer: Viewer) -> Q:
    if not viewer.is_authenticated:
        return NOTHING
    q = _full_q(viewer)
    if viewer.memberships and not viewer.is_admin:
        q |= SERVICE_PROVIDER
    return q


def _under_region(lookup: str, region_code: str) -> Q:
    return Q(**{f"{lookup}__startswith": region_resolve(region_code).prefix})


def organisation_list_visible(
    *,
    viewer: Viewer,
    search: str = "",
    role: str = "",
    region_code: str = "",
    park_id: int | None = None,
    mine: bool = False,
) -> QuerySet[Organisation]:
    """Organisations the viewer may see, each annotated `full_access` (else a directory entry)."""
    qs = Organisation.objects.filter(_visible_q(viewer)).select_related("region", "park")
    if viewer.is_admin:
        qs = qs.annotate(full_access=Value(True, output_field=BooleanField()))
    else:
        qs = qs.annotate(
            full_access=Case(
                When(_full_q(viewer), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    if mine:
        qs = qs.filter(pk__in=viewer.organisation_ids)
    if search := search.strip():
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(uscc__icontains=search)
            | Q(industry_name__icontains=search)
        )
    if role:
        if role not in ROLE_FILTERS:
            raise ValidationFailed(
                _("Unknown role “%(role)s”; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLE_FILTERS)},
                code="unknown_role",
                field="role",
            )
        qs = qs.filter(ROLE_FILTERS[role])
    if region_code:
        qs = qs.filter(_under_region("region__prefix", region_code))
    if park_id is not None:
        qs = qs.filter(park_id=park_id)
    return qs


def organisation_get_visible(*, viewer: Viewer, uscc: str) -> Organisation:
    """The organisation with this USCC if the viewer may see it; NotFound otherwise."""
    org = organisation_list_visible(viewer=viewer).filter(uscc=uscc.strip().upper()).first()
    if org is None:
        raise NotFound(
            _("No organisation with code %(uscc)s is visible to you.") % {"uscc": uscc},
            field="uscc",
        )
    return org


@dataclass(frozen=True)
class OrganisationDetail:
    """What of one organisation the viewer may be shown."""

    organisation: Organisation
    full: bool  # False: a directory entry

    @property
    def show_contact(self) -> bool:
        return self.full

    @property
    def show_vehicles(self) -> bool:
        return self.full

    @property
    def show_members(self) -> bool:
        return self.full

    def facilities(self) -> QuerySet[Facility]:
        qs = self.organisation.facilities.select_related("region")
        return qs if self.full else qs.filter(kind__in=RECEIVING_KINDS)

    def permits(self) -> QuerySet[Permit]:
        return self.organisation.permits.prefetch_related(
            "categories", "codes", "treatment_methods"
        ).select_related("facility")

    def vehicles(self) -> QuerySet[Vehicle]:
        return self.organisation.vehicles.all() if self.full else Vehicle.objects.none()

    def members(self) -> QuerySet[Membership]:
        if not self.full:
            return Membership.objects.none()
        return self.organisation.memberships.select_related("user").order_by("user__username")


def organisation_detail_for(*, viewer: Viewer, organisation: Organisation) -> OrganisationDetail:
    full = getattr(organisation, "full_access", None)
    if full is None:  # not loaded through organisation_list_visible
        org = organisation_get_visible(viewer=viewer, uscc=organisation.uscc)
        full = org.full_access  # type: ignore[attr-defined]
    return OrganisationDetail(organisation=organisation, full=bool(full))


def facility_list_visible(
    *,
    viewer: Viewer,
    search: str = "",
    kind: str = "",
    region_code: str = "",
    organisation: Organisation | None = None,
    mine: bool = False,
) -> QuerySet[Facility]:
    """Facilities of fully visible organisations, and receiving facilities of directory ones."""
    if not viewer.is_authenticated:
        return Facility.objects.none()
    full_orgs = Organisation.objects.filter(_full_q(viewer)).values("pk")
    q = Q(organisation__in=full_orgs)
    if viewer.memberships and not viewer.is_admin:
        directory = Organisation.objects.filter(SERVICE_PROVIDER).values("pk")
        q |= Q(organisation__in=directory, kind__in=RECEIVING_KINDS)
    qs = Facility.objects.filter(q).select_related("organisation", "region")
    if mine:
        qs = qs.filter(organisation_id__in=viewer.organisation_ids)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if search := search.strip():
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(code__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(address__icontains=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        qs = qs.filter(_under_region("region__prefix", region_code))
    return qs


def permit_validity(permit: Permit, *, today: date) -> str:
    """ "expired", "expiring" (within the renewal warning) or "valid"."""
    if permit.valid_until < today:
        return "expired"
    if permit.valid_until - today <= PERMIT_EXPIRY_WARNING:
        return "expiring"
    return "valid"


def permit_list_visible(
    *,
    viewer: Viewer,
    search: str = "",
    kind: str = "",
    status: str = "",
    organisation: Organisation | None = None,
    mine: bool = False,
    today: date | None = None,
) -> QuerySet[Permit]:
    """Permits of every visible organisation: licences are public once the holder is visible."""
    visible = Organisation.objects.filter(_visible_q(viewer)).values("pk")
    qs = (
        Permit.objects.filter(organisation__in=visible)
        .select_related("organisation", "facility")
        .prefetch_related("categories", "codes", "treatment_methods")
    )
    if mine:
        qs = qs.filter(organisation_id__in=viewer.organisation_ids)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if search := search.strip():
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(issued_by__icontains=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        day = today or timezone.localdate()
        warn = day + PERMIT_EXPIRY_WARNING
        by_status = {
            "current": Q(valid_from__lte=day, valid_until__gte=day),
            "valid": Q(valid_until__gt=warn),
            "expiring": Q(valid_until__gte=day, valid_until__lte=warn),
            "expired": Q(valid_until__lt=day),
        }
        if status not in PERMIT_STATUSES:
            raise ValidationFailed(
                _("Unknown permit status “%(status)s”.") % {"status": status},
                code="unknown_status",
                field="status",
            )
        qs = qs.filter(by_status[status])
    return qs


def vehicle_list_visible(
    *,
    viewer: Viewer,
    search: str = "",
    organisation: Organisation | None = None,
    mine: bool = False,
) -> QuerySet[Vehicle]:
    """Vehicles only of fully visible organisations: fleets are not public."""
    if not viewer.is_authenticated:
        return Vehicle.objects.none()
    full_orgs = Organisation.objects.filter(_full_q(viewer)).values("pk")
    qs = Vehicle.objects.filter(organisation__in=full_orgs).select_related("organisation")
    if mine:
        qs = qs.filter(organisation_id__in=viewer.organisation_ids)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if search := search.strip():
        qs = qs.filter(
            Q(plate_number__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(transport_certificate__icontains=search)
        )
    return qs


def park_list_visible(*, viewer: Viewer, search: str = "", region_code: str = "") -> QuerySet[Park]:
    """Parks are public reference data for any signed-in user."""
    if not viewer.is_authenticated:
        return Park.objects.none()
    qs = Park.objects.select_related("region")
    if search := search.strip():
        qs = qs.filter(name__icontains=search)
    if region_code:
        qs = qs.filter(_under_region("region__prefix", region_code))
    return qs


def region_search(*, search: str = "", parent_code: str = "") -> QuerySet[Region]:
    """Regions by name or code, optionally only the direct children of a region."""
    qs = Region.objects.select_related("parent")
    if parent_code:
        qs = qs.filter(parent=region_resolve(parent_code))
    if search := search.strip():
        qs = qs.filter(Q(name__icontains=search) | Q(prefix__startswith=search))
    return qs

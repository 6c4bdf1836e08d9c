"""Writes to the registry: organisations, memberships, facilities, permits, vehicles.

Who may write what:
- organisations: a platform administrator anywhere; a regulator inside its regions; any other
  signed-in user may register an organisation and becomes its administrator (as in
  Trackdéchets, where a company is created by its first user);
- memberships: the organisation's administrators and platform administrators;
- facilities: whoever acts for the organisation, its regulators, platform administrators;
- permits: only the licensing side — regulators of the organisation's region and platform
  administrators (危险废物经营许可证管理办法 第七条: licences are issued by the authorities);
- vehicles: whoever acts for a carrier organisation, and platform administrators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wufei.accounts.models import Membership, MembershipRole, User
from wufei.accounts.viewer import Viewer
from wufei.alerts.triggers import alerts_event_later
from wufei.catalog.models import HazardousCategory, HazardousCode, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.core.quantities import to_tonnes
from wufei.registry.models import (
    Facility,
    FacilityKind,
    Organisation,
    Park,
    Permit,
    PermitKind,
    Region,
    Vehicle,
)
from wufei.registry.regions import region_resolve
from wufei.registry.uscc import uscc_validate

INDUSTRY_CODE = re.compile(r"^[A-T]?\d{2,4}$")  # GB/T 4754-2017: section letter, 2–4 digits
CatalogRow = TypeVar("CatalogRow", HazardousCategory, HazardousCode, TreatmentMethod)

# GA 36-2018 机动车号牌: province abbreviation, issuing-office letter, 5 characters (6 for new
# energy vehicles); trailers end in 挂.
PLATE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-HJ-NP-Z0-9]{4,6}[\u4e00-\u9fff]?$")


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    return value


def _regulates(viewer: Viewer, region: Region) -> bool:
    return viewer.regulates(region.prefix)


def _require_org_admin(viewer: Viewer, organisation: Organisation) -> None:
    if viewer.is_admin or viewer.role_in(organisation.pk) == MembershipRole.ADMIN:
        return
    raise NotPermitted(
        _("Only administrators of %(org)s may manage its members.") % {"org": organisation.name}
    )


@transaction.atomic
def organisation_create(
    *,
    viewer: Viewer,
    actor: User,
    uscc: str,
    name: str,
    region_code: str,
    park_id: int | None = None,
    address: str = "",
    industry_code: str = "",
    industry_name: str = "",
    is_producer: bool = False,
    is_carrier: bool = False,
    is_collector: bool = False,
    is_treatment: bool = False,
    is_small_producer: bool = False,
    legal_representative: str = "",
    contact_phone: str = "",
) -> Organisation:
    """Register an organisation; a self-registering user becomes its administrator."""
    if not viewer.is_authenticated or viewer.user_id != actor.pk:
        raise NotPermitted(_("Sign in to register an organisation."))
    code = uscc_validate(uscc)
    name = _required(name, "name")
    region = region_resolve(region_code)
    if viewer.is_regulator and not viewer.is_admin and not _regulates(viewer, region):
        raise NotPermitted(
            _("%(region)s is outside your jurisdiction.") % {"region": region}, field="region_code"
        )
    if Organisation.objects.filter(uscc=code).exists():
        raise Conflict(
            _("An organisation with code %(uscc)s is already registered.") % {"uscc": code},
            code="uscc_taken",
            field="uscc",
        )
    park = None
    if park_id is not None:
        park = Park.objects.filter(pk=park_id).first()
        if park is None:
            raise ValidationFailed(_("Unknown park."), code="unknown_park", field="park_id")
    industry_code = industry_code.strip().upper()
    if industry_code and not INDUSTRY_CODE.match(industry_code):
        raise ValidationFailed(
            _("An industry code (GB/T 4754) is two to four digits, optionally after its letter."),
            code="invalid_industry_code",
            field="industry_code",
        )
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                uscc=code,
                name=name,
                region=region,
                park=park,
                address=address.strip(),
                industry_code=industry_code,
                industry_name=industry_name.strip(),
                is_producer=is_producer,
                is_carrier=is_carrier,
                is_collector=is_collector,
                is_treatment=is_treatment,
                is_small_producer=is_small_producer,
                legal_representative=legal_representative.strip(),
                contact_phone=contact_phone.strip(),
            )
    except IntegrityError:  # a concurrent registration of the same code won
        raise Conflict(
            _("An organisation with code %(uscc)s is already registered.") % {"uscc": code},
            code="uscc_taken",
            field="uscc",
        ) from None
    if not viewer.is_admin and not viewer.is_regulator:
        Membership.objects.create(user=actor, organisation=organisation, role=MembershipRole.ADMIN)
    return organisation


@transaction.atomic
def membership_add(
    *, viewer: Viewer, organisation: Organisation, user: User, role: str
) -> Membership:
    _require_org_admin(viewer, organisation)
    if role not in MembershipRole.values:
        raise ValidationFailed(_("Unknown role."), code="unknown_role", field="role")
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise Conflict(
            _("%(user)s is already a member of %(org)s.")
            % {"user": user, "org": organisation.name},
            code="already_member",
            field="user",
        )
    return Membership.objects.create(organisation=organisation, user=user, role=role)


@transaction.atomic
def facility_create(
    *,
    viewer: Viewer,
    organisation: Organisation,
    code: str,
    name: str,
    kind: str,
    region_code: str,
    latitude: Decimal,
    longitude: Decimal,
    address: str = "",
    storage_capacity_t: Decimal | None = None,
) -> Facility:
    region = region_resolve(region_code)
    allowed = (
        viewer.is_admin
        or viewer.can_act_for(organisation.pk)
        or _regulates(viewer, organisation.region)
    )
    if not allowed:
        raise NotPermitted(_("You may not add facilities to %(org)s.") % {"org": organisation.name})
    code, name = _required(code, "code"), _required(name, "name")
    if kind not in FacilityKind.values:
        raise ValidationFailed(_("Unknown facility kind."), code="unknown_kind", field="kind")
    if not (Decimal(-90) <= latitude <= Decimal(90)):
        raise ValidationFailed(_("Latitude lies between −90 and 90."), field="latitude")
    if not (Decimal(-180) <= longitude <= Decimal(180)):
        raise ValidationFailed(_("Longitude lies between −180 and 180."), field="longitude")
    if organisation.facilities.filter(code=code).exists():
        raise Conflict(
            _("%(org)s already has a facility coded %(code)s.")
            % {"org": organisation.name, "code": code},
            code="facility_code_taken",
            field="code",
        )
    return Facility.objects.create(
        organisation=organisation,
        code=code,
        name=name,
        kind=kind,
        region=region,
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        storage_capacity_t=None if storage_capacity_t is None else to_tonnes(storage_capacity_t),
    )


def _catalog_rows(
    model: type[CatalogRow], codes: Iterable[str], field: str, **scope: object
) -> list[CatalogRow]:
    wanted = sorted({c.strip() for c in codes if c.strip()})
    rows = list(model.objects.filter(code__in=wanted, **scope))
    missing = set(wanted) - {r.code for r in rows}
    if missing:
        raise ValidationFailed(
            _("Unknown codes: %(codes)s.") % {"codes": ", ".join(sorted(missing))},
            code="unknown_code",
            field=field,
        )
    return rows


@transaction.atomic
def permit_create(
    *,
    viewer: Viewer,
    organisation: Organisation,
    number: str,
    kind: str,
    issued_by: str,
    valid_from: date,
    valid_until: date,
    annual_capacity_t: Decimal | None = None,
    facility: Facility | None = None,
    category_codes: Iterable[str] = (),
    waste_codes: Iterable[str] = (),
    method_codes: Iterable[str] = (),
) -> Permit:
    """Record a licence; its categories and codes are read in the catalog edition in force on
    `valid_from`, so the licence keeps meaning what it meant when the list changes."""
    if not (viewer.is_admin or _regulates(viewer, organisation.region)):
        raise NotPermitted(
            _("Only regulators of %(region)s may record permits of %(org)s.")
            % {"region": organisation.region, "org": organisation.name}
        )
    number = _required(number, "number")
    issued_by = _required(issued_by, "issued_by")
    if kind not in PermitKind.values:
        raise ValidationFailed(_("Unknown permit kind."), code="unknown_kind", field="kind")
    if valid_until < valid_from:
        raise ValidationFailed(
            _("A permit cannot end before it starts."), code="invalid_validity", field="valid_until"
        )
    if facility is not None and facility.organisation_id != organisation.pk:
        raise ValidationFailed(_("The facility belongs to another organisation."), field="facility")
    if Permit.objects.filter(number=number).exists():
        raise Conflict(
            _("Permit number %(number)s is already recorded.") % {"number": number},
            code="permit_number_taken",
            field="number",
        )
    category_codes, waste_codes = list(category_codes), list(waste_codes)
    edition = current_edition(on=valid_from)  # the list in force when the licence took effect
    if edition is None and (category_codes or waste_codes):
        raise ValidationFailed(
            _("Load the national hazardous waste list before recording licensed codes."),
            code="no_catalog",
            field="categories",
        )
    categories = _catalog_rows(HazardousCategory, category_codes, "categories", edition=edition)
    codes = _catalog_rows(HazardousCode, waste_codes, "codes", edition=edition)
    methods = _catalog_rows(TreatmentMethod, method_codes, "treatment_methods")
    permit = Permit.objects.create(
        organisation=organisation,
        facility=facility,
        number=number,
        kind=kind,
        issued_by=issued_by,
        valid_from=valid_from,
        valid_until=valid_until,
        annual_capacity_t=None if annual_capacity_t is None else to_tonnes(annual_capacity_t),
    )
    permit.categories.set(categories)
    permit.codes.set(codes)
    permit.treatment_methods.set(methods)
    alerts_event_later(kind="registry.changed", organisation_ids=[organisation.pk])
    return permit


@transaction.atomic
def vehicle_create(
    *,
    viewer: Viewer,
    organisation: Organisation,
    plate_number: str,
    kind: str,
    transport_certificate: str,
    payload_t: Decimal,
    valid_until: date,
) -> Vehicle:
    if not (viewer.is_admin or viewer.can_act_for(organisation.pk)):
        raise NotPermitted(_("You may not add vehicles to %(org)s.") % {"org": organisation.name})
    if not organisation.is_carrier:
        raise ValidationFailed(
            _("%(org)s is not registered as a carrier.") % {"org": organisation.name},
            code="not_a_carrier",
        )
    plate = re.sub(r"[\s·.\-]", "", plate_number or "").upper()
    if not PLATE.match(plate):
        raise ValidationFailed(
            _("“%(plate)s” is not a Chinese plate number (GA 36-2018).") % {"plate": plate_number},
            code="invalid_plate",
            field="plate_number",
        )
    payload = to_tonnes(payload_t)
    if payload <= 0:
        raise ValidationFailed(_("The payload must be positive."), field="payload_t")
    if Vehicle.objects.filter(plate_number=plate).exists():
        raise Conflict(
            _("Vehicle %(plate)s is already registered.") % {"plate": plate},
            code="plate_taken",
            field="plate_number",
        )
    return Vehicle.objects.create(
        organisation=organisation,
        plate_number=plate,
        kind=_required(kind, "kind"),
        transport_certificate=_required(transport_certificate, "transport_certificate"),
        payload_t=payload,
        valid_until=valid_until,
    )

"""Turning the natural keys a client sends (USCC, facility code, plate, licence number, waste
code, container code) into records, within what the viewer may see.

Used by the API and the pages alike, so both resolve references the same way. Anything the
viewer may not see is "not found", named by the field it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.catalog.models import HazardousCode, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.core.errors import NotFound
from wufei.ledger.models import Container
from wufei.registry.models import Facility, Organisation, Permit, Vehicle
from wufei.registry.selectors import (
    SERVICE_PROVIDER,
    facility_list_visible,
    organisation_list_visible,
)
from wufei.transfer.models import CrossProvinceApproval
from wufei.transfer.selectors import approval_list_visible


def _missing(message: str, field: str) -> NotFound:
    return NotFound(message, code="not_found", field=field)


def own_organisation(*, viewer: Viewer, uscc: str, field: str) -> Organisation:
    """One of the viewer's own organisations (the shipper of a new manifest)."""
    org = Organisation.objects.filter(
        uscc=uscc.strip().upper(), pk__in=viewer.organisation_ids
    ).first()
    if org is None:
        raise _missing(_("%(uscc)s is not one of your organisations.") % {"uscc": uscc}, field)
    return org


def visible_organisation(*, viewer: Viewer, uscc: str, field: str) -> Organisation:
    org = organisation_list_visible(viewer=viewer).filter(uscc=uscc.strip().upper()).first()
    if org is None:
        raise _missing(
            _("No organisation with code %(uscc)s is visible to you.") % {"uscc": uscc}, field
        )
    return org


def service_provider(*, uscc: str, field: str) -> Organisation:
    """A carrier, collector or treatment facility by USCC: the public directory, which a
    regulator approving a transfer to another province needs as much as a shipper does."""
    org = Organisation.objects.filter(SERVICE_PROVIDER).filter(uscc=uscc.strip().upper()).first()
    if org is None:
        raise _missing(
            _("No service provider with code %(uscc)s is registered.") % {"uscc": uscc}, field
        )
    return org


def facility_of(*, viewer: Viewer, organisation: Organisation, code: str, field: str) -> Facility:
    facility = (
        facility_list_visible(viewer=viewer, organisation=organisation)
        .filter(code=code.strip())
        .first()
    )
    if facility is None:
        raise _missing(
            _("%(org)s has no facility %(code)s.") % {"org": organisation.name, "code": code},
            field,
        )
    return facility


def permit_of(*, organisation: Organisation, number: str, field: str) -> Permit:
    """A licence of the organisation by its number (licences are public once the holder is)."""
    permit = Permit.objects.filter(organisation=organisation, number=number.strip()).first()
    if permit is None:
        raise _missing(
            _("%(org)s holds no licence %(number)s.")
            % {"org": organisation.name, "number": number},
            field,
        )
    return permit


def vehicle_of(*, organisation: Organisation, plate: str, field: str) -> Vehicle:
    """The carrier's vehicle with this exact plate: a lookup, never a listing of its fleet."""
    vehicle = Vehicle.objects.filter(organisation=organisation, plate_number=plate.strip()).first()
    if vehicle is None:
        raise _missing(
            _("%(org)s has no vehicle %(plate)s.") % {"org": organisation.name, "plate": plate},
            field,
        )
    return vehicle


def waste_code_on(*, code: str, day: date, field: str) -> HazardousCode:
    """The code in the edition of the national list in force on `day`."""
    found = HazardousCode.objects.filter(edition=current_edition(on=day), code=code.strip()).first()
    if found is None:
        raise _missing(_("Unknown waste code %(code)s.") % {"code": code}, field)
    return found


def containers_of(
    *, organisation: Organisation, codes: Sequence[str], field: str
) -> list[Container]:
    wanted = [c.strip() for c in codes if c.strip()]
    found = {
        c.code: c for c in Container.objects.filter(organisation=organisation, code__in=wanted)
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise _missing(
            _("%(org)s has no container %(code)s.")
            % {"org": organisation.name, "code": missing[0]},
            field,
        )
    return [found[c] for c in wanted]


def treatment_method(*, code: str, field: str) -> TreatmentMethod:
    method = TreatmentMethod.objects.filter(code=code.strip().upper()).first()
    if method is None:
        raise _missing(_("Unknown treatment method %(code)s.") % {"code": code}, field)
    return method


def approval_visible(*, viewer: Viewer, number: str, field: str) -> CrossProvinceApproval:
    approval = approval_list_visible(viewer=viewer).filter(number=number.strip()).first()
    if approval is None:
        raise _missing(_("No approval %(number)s is visible to you.") % {"number": number}, field)
    return approval


def shipper_facilities(*, viewer: Viewer) -> Iterable[Facility]:
    """Facilities the viewer may ship from: those of organisations it acts for."""
    acting = [pk for pk in viewer.organisation_ids if viewer.can_act_for(pk)]
    return Facility.objects.filter(organisation_id__in=acting).select_related(
        "organisation", "region"
    )

"""Turning what people type (codes, kg or t) into what the ledger service takes.

Forms and the API share these, so both refuse the same input with the same message. Masses
arrive as text in kg or t and become integer grams exactly (Decimal; finer than a gram is
refused, never rounded).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.catalog.models import HazardousCode, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.core.errors import ValidationFailed
from wufei.domain.ledger_units import QuantityRefused, grams_from
from wufei.ledger.models import SOURCE_KINDS, Container, LedgerEvent
from wufei.registry.models import Facility, Organisation, Permit


def grams_input(value: Decimal | int | str, unit: str, *, field: str = "quantity") -> int:
    """Exact grams of a mass typed in kg or t."""
    try:
        return grams_from(value, unit)
    except QuantityRefused as exc:
        messages = {
            "unit_unknown": _("The unit must be kg or t (千克, 公斤, 吨)."),
            "finer_than_gram": _("More precise than a gram."),
            "not_a_number": _("Not a number."),
        }
        raise ValidationFailed(messages[exc.code], code=exc.code, field=field) from None


def waste_code_input(code: str, *, on: datetime) -> HazardousCode:
    """The code of the edition of the national list in force at `on`."""
    edition = current_edition(on=timezone.localdate(on))
    found = (
        HazardousCode.objects.select_related("category", "edition")
        .filter(edition=edition, code=code.strip())
        .first()
    )
    if found is None:
        raise ValidationFailed(
            _("Waste code %(code)s is not in the %(edition)s, in force at that time.")
            % {"code": code, "edition": edition.title if edition else "—"},
            code="code_unknown",
            field="waste_code",
        )
    return found


def facility_input(organisation: Organisation, code: str) -> Facility:
    found = organisation.facilities.filter(code=code.strip()).first()
    if found is None:
        raise ValidationFailed(
            _("%(org)s has no facility with code %(code)s (HJ 1259-2022 5.4.2).")
            % {"org": organisation.name, "code": code},
            code="facility_unknown",
            field="facility",
        )
    return found


def source_input(organisation: Organisation, kind: str, batch_code: str) -> LedgerEvent:
    """The batch an event of `kind` takes from, by its code among the allowed kinds."""
    found = (
        LedgerEvent.objects.select_related("waste_code", "facility")
        .filter(
            organisation=organisation,
            kind__in=SOURCE_KINDS.get(kind, ()),
            batch_code=batch_code.strip(),
        )
        .order_by("pk")
        .first()
    )
    if found is None:
        raise ValidationFailed(
            _("No batch %(batch)s this step can take waste from.") % {"batch": batch_code},
            code="source_unknown",
            field="source",
        )
    return found


def method_input(code: str) -> TreatmentMethod:
    found = TreatmentMethod.objects.filter(code=code.strip().upper()).first()
    if found is None:
        raise ValidationFailed(
            _("Unknown treatment method code %(code)s.") % {"code": code},
            code="method_unknown",
            field="treatment_method",
        )
    return found


def container_input(organisation: Organisation, code: str) -> Container | None:
    """The unit's labelled container with this code, if there is one (else the code is text)."""
    return Container.objects.filter(organisation=organisation, code=code.strip()).first()


def receiver_input(permit_number: str) -> Organisation | None:
    """The licensed receiver named by its permit number, if registered."""
    permit = Permit.objects.select_related("organisation").filter(number=permit_number).first()
    return permit.organisation if permit else None


PASSED_THROUGH = (
    "handled_by",
    "internal_name",
    "container_code",
    "container_type",
    "container_count",
    "finished_at",
    "destination",
    "receiver_type",
    "receiver_permit_number",
    "second_handler",
)


def event_command(
    *,
    organisation: Organisation,
    kind: str,
    occurred_at: datetime,
    quantity: Decimal | str,
    unit: str,
    facility: str = "",
    waste_code: str = "",
    source: str = "",
    batch_code: str = "",
    treatment_method: str = "",
    **rest: Any,
) -> dict[str, Any]:
    """The arguments of `ledger_event_record` from typed-in codes (forms and the API).

    A step with a source takes its waste code from it, and a store-out or hand-over its
    facility; the unit as entered is kept beside the exact grams.
    """
    command: dict[str, Any] = {
        "occurred_at": occurred_at,
        "quantity_g": grams_input(quantity, unit),
        "unit": unit,
        "batch_code": batch_code.strip() or None,
        **{name: rest[name] for name in PASSED_THROUGH if rest.get(name) is not None},
    }
    command.setdefault("handled_by", "")
    found_source = source_input(organisation, kind, source) if source.strip() else None
    if found_source is not None:
        command["source"] = found_source
        command["waste_code"] = found_source.waste_code
        command["facility"] = found_source.facility
    if waste_code.strip() and found_source is None:
        command["waste_code"] = waste_code_input(waste_code, on=occurred_at)
    if facility.strip():
        command["facility"] = facility_input(organisation, facility)
    if "waste_code" not in command:
        raise ValidationFailed(
            _("The waste code is required."), code="required", field="waste_code"
        )
    if "facility" not in command:
        raise ValidationFailed(
            _("The facility code is required (HJ 1259-2022 6.3)."),
            code="required",
            field="facility",
        )
    if command.get("container_code"):
        command["container"] = container_input(organisation, command["container_code"])
    if treatment_method.strip():
        command["treatment_method"] = method_input(treatment_method)
    number = str(command.get("receiver_permit_number") or "").strip()
    if number:
        command["receiver"] = receiver_input(number)
    return command

"""Recording ledger events (HJ 1259-2022 6.3, appendix B).

`ledger_event_record` is the one writer of single events: forms, the API and the transfer
manifests all call it. It checks who acts, applies the named rules of `wufei.ledger.rules`,
locks the source batch so that two store-outs cannot both take the last kilogram, allocates the
batch code, writes the event and its audit entry in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.alerts.triggers import alerts_event_later
from wufei.catalog.models import HazardousCode, TreatmentKind, TreatmentMethod
from wufei.catalog.selectors import current_edition
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.domain.ledger_batch_codes import batch_prefix
from wufei.domain.ledger_units import unit_normalise
from wufei.ledger import rules
from wufei.ledger.models import Container, EventKind, LedgerEvent
from wufei.ledger.numbering import batch_code_next
from wufei.ledger.selectors import event_remaining_g
from wufei.registry.models import Facility, Organisation, Permit, PermitKind
from wufei.rollups.marks import rollups_touch_event
from wufei.transfer.models import Manifest

# The appendix-B columns a caller may pass besides the named arguments.
DETAIL_FIELDS = frozenset(
    {
        "internal_name",
        "container_code",
        "container_type",
        "container_count",
        "unit",
        "finished_at",
        "destination",
        "receiver_type",
        "receiver_permit_number",
        "second_handler",
    }
)
# Licences whose holder is a 危险废物经营许可证持有单位 for table B.5.
OPERATING_LICENCES = (
    PermitKind.HW_COMPREHENSIVE,
    PermitKind.HW_COLLECTION,
    PermitKind.HW_SMALL_COLLECTION,
    PermitKind.MEDICAL_WASTE,
)


def ledger_actor_check(*, actor: User | None, organisation: Organisation) -> None:
    """Only members and administrators of the unit write its ledger (None: the system)."""
    if actor is not None and not viewer_for(actor).can_act_for(organisation.pk):
        raise NotPermitted(
            _("You may not record in the ledger of %(org)s.") % {"org": organisation.name},
            code="not_member",
        )


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _receiver_details(
    details: dict[str, Any],
    *,
    receiver: Organisation | None,
    manifest: Manifest | None,
    occurred_at: datetime,
) -> None:
    """Fill table B.5's receiver columns from the receiver and its licence when not given."""
    receiver = receiver or (manifest.receiver if manifest else None)
    if receiver is None:
        return
    details.setdefault("destination", receiver.name[:100])
    permit = manifest.receiver_permit if manifest and manifest.receiver_permit_id else None
    if permit is None:
        day = timezone.localdate(occurred_at)
        permit = (
            Permit.objects.filter(
                organisation=receiver,
                kind__in=OPERATING_LICENCES,
                valid_from__lte=day,
                valid_until__gte=day,
            )
            .order_by("-valid_until")
            .first()
        )
    if permit is not None:
        details.setdefault("receiver_type", rules.RECEIVER_LICENSED)
        details.setdefault("receiver_permit_number", permit.number)


def _prefix(kind: str, method: TreatmentMethod | None, receiver_type: str) -> str:
    treatment_kind = method.kind if method else TreatmentKind.DISPOSAL
    return batch_prefix(
        kind, treatment_kind=treatment_kind, export=receiver_type == rules.RECEIVER_ABROAD
    )


def _validate_fields(
    *,
    kind: str,
    organisation: Organisation,
    facility: Facility,
    occurred_at: datetime,
    waste_code: HazardousCode,
    quantity_g: int,
    container: Container | None,
    values: dict[str, Any],
    optional: tuple[str, ...] = (),
) -> None:
    """The rules that need no other event."""
    if kind not in EventKind.values:
        raise ValidationFailed(
            _("Unknown ledger event kind “%(kind)s”.") % {"kind": kind}, code="unknown_kind"
        )
    rules.rule_required_fields(kind, values, optional=optional)
    rules.rule_quantity_positive(quantity_g)
    rules.rule_quantity_plausible(quantity_g)
    rules.rule_time_not_future(occurred_at, now=timezone.now())
    rules.rule_finished_after_start(occurred_at, values.get("finished_at"))
    rules.rule_facility_of_organisation(facility, organisation)
    rules.rule_facility_fits_kind(kind, facility.kind, facility.code)
    rules.rule_code_in_force(waste_code, current_edition(on=timezone.localdate(occurred_at)))
    if container is not None and (
        container.organisation_id != organisation.pk or container.waste_code_id != waste_code.pk
    ):
        raise ValidationFailed(
            _("Container %(code)s is not this unit's container of waste %(waste)s (HJ 1276-2022).")
            % {"code": container.code, "waste": waste_code.code},
            code="container_mismatch",
            field="container",
        )


def _locked_source(
    source: LedgerEvent,
    *,
    kind: str,
    organisation: Organisation,
    facility: Facility,
    occurred_at: datetime,
    waste_code: HazardousCode,
    quantity_g: int,
) -> LedgerEvent:
    """The source batch, locked until commit, checked to match and to hold enough."""
    locked = LedgerEvent.objects.select_for_update().select_related("waste_code").get(pk=source.pk)
    rules.rule_source_matches(
        kind=kind,
        organisation=organisation,
        waste_code=waste_code,
        facility=facility,
        occurred_at=occurred_at,
        source=locked,
    )
    rules.rule_source_covers(
        quantity_g, remaining_g=event_remaining_g(locked), source_code=locked.batch_code, kind=kind
    )
    return locked


def _write(
    *,
    actor: User | None,
    organisation: Organisation,
    kind: str,
    batch_code: str | None,
    fields: dict[str, Any],
) -> LedgerEvent:
    occurred_at: datetime = fields["occurred_at"]
    if batch_code:
        batch_code = batch_code.strip()
    else:
        batch_code = batch_code_next(
            organisation=organisation,
            kind=kind,
            prefix=_prefix(kind, fields.get("treatment_method"), fields.get("receiver_type", "")),
            day=timezone.localdate(occurred_at),
        )
    try:
        with transaction.atomic():
            event = LedgerEvent.objects.create(
                organisation=organisation,
                kind=kind,
                batch_code=batch_code,
                recorded_by=actor,
                **fields,
            )
    except IntegrityError:
        raise Conflict(
            _("Batch code %(code)s is already used for this step (HJ 1259-2022 appendix B).")
            % {"code": batch_code},
            code="batch_code_taken",
            field="batch_code",
        ) from None
    audit_append(
        actor=actor,
        organisation=organisation,
        action="ledger.event_recorded",
        subject_type="ledger_event",
        subject_id=str(event.pk),
        payload={
            "kind": kind,
            "batch_code": event.batch_code,
            "organisation": organisation.uscc,
            "facility": event.facility.code,
            "waste_code": event.waste_code.code,
            "quantity_g": event.quantity_g,
            "occurred_at": occurred_at.isoformat(),
            "source": event.source.batch_code if event.source else None,
            "container": event.container_code or None,
            "manifest": event.manifest.number if event.manifest else None,
        },
    )
    rollups_touch_event(organisation_id=organisation.pk, kind=kind, occurred_at=occurred_at)
    alerts_event_later(kind="ledger.recorded", organisation_ids=[organisation.pk])
    return event


def ledger_event_record(
    *,
    actor: User | None,
    organisation: Organisation,
    facility: Facility,
    kind: str,
    occurred_at: datetime,
    waste_code: HazardousCode,
    quantity_g: int,
    handled_by: str,
    source: LedgerEvent | None = None,
    container: Container | None = None,
    manifest: Manifest | None = None,
    treatment_method: TreatmentMethod | None = None,
    receiver: Organisation | None = None,
    batch_code: str | None = None,
    **details: Any,
) -> LedgerEvent:
    """Validate one event per HJ 1259-2022, write it and its audit entry; return it.

    `details` are the other appendix-B columns (DETAIL_FIELDS). A batch code is allocated when
    none is given. A hand-over or in-house treatment taken straight from a store-in batch also
    records the store-out (B.3) it implies — same time, person, quantity and container — so the
    ledger keeps every step of 6.3.
    """
    unknown = set(details) - DETAIL_FIELDS
    if unknown:
        raise ValidationFailed(
            _("Unknown ledger fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    ledger_actor_check(actor=actor, organisation=organisation)
    occurred_at = _aware(occurred_at)
    if details.get("finished_at") is not None:
        details["finished_at"] = _aware(details["finished_at"])
    details["unit"] = unit_normalise(str(details.get("unit") or "kg"))
    if container is not None and not details.get("container_code"):
        details["container_code"] = container.code
        details.setdefault("container_type", container.container_type)
        details.setdefault("container_count", 1)
    if kind == EventKind.HAND_OVER:
        _receiver_details(details, receiver=receiver, manifest=manifest, occurred_at=occurred_at)
    receiver = receiver or (manifest.receiver if manifest and kind == EventKind.HAND_OVER else None)
    values: dict[str, Any] = {
        **details,
        "facility": facility,
        "handled_by": handled_by,
        "source": source,
        "treatment_method": treatment_method,
    }
    _validate_fields(
        kind=kind,
        organisation=organisation,
        facility=facility,
        occurred_at=occurred_at,
        waste_code=waste_code,
        quantity_g=quantity_g,
        container=container,
        values=values,
        # A manifest's receiver records the method when it treats the waste (部令第23号).
        optional=("treatment_method",) if manifest is not None else (),
    )
    with transaction.atomic():
        if (
            source is not None
            and source.kind == EventKind.STORE_IN
            and kind in (EventKind.HAND_OVER, EventKind.TREAT_IN_HOUSE)
        ):
            source = ledger_event_record(
                actor=actor,
                organisation=organisation,
                facility=source.facility,
                kind=EventKind.STORE_OUT,
                occurred_at=occurred_at,
                waste_code=waste_code,
                quantity_g=quantity_g,
                handled_by=handled_by,
                source=source,
                container=container,
                destination=str(details.get("destination") or ""),
                unit=details["unit"],
                **{
                    k: details[k]
                    for k in ("container_code", "container_type", "container_count")
                    if k in details
                },
            )
        if source is not None:
            source = _locked_source(
                source,
                kind=kind,
                organisation=organisation,
                facility=facility,
                occurred_at=occurred_at,
                waste_code=waste_code,
                quantity_g=quantity_g,
            )
        return _write(
            actor=actor,
            organisation=organisation,
            kind=kind,
            batch_code=batch_code,
            fields={
                **details,
                "facility": facility,
                "occurred_at": occurred_at,
                "waste_code": waste_code,
                "quantity_g": quantity_g,
                "handled_by": handled_by,
                "source": source,
                "container": container,
                "manifest": manifest,
                "treatment_method": treatment_method,
                "receiver": receiver,
            },
        )

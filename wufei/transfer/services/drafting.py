"""The shipper's part: create and edit a draft, sign it after validation, cancel before pick-up.

A draft gets its number at creation (`wufei.transfer.numbering`). Before the shipper signs, every
rule of the document type is checked and all failures are reported at once
(`wufei.transfer.checks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.catalog.models import HazardousCode
from wufei.core.errors import NotPermitted, ValidationFailed
from wufei.domain.hash_chain import content_hash
from wufei.domain.manifest_flow import Action
from wufei.domain.manifest_numbers import ManifestNumberExhausted
from wufei.ledger.models import Container
from wufei.registry.models import Facility, Organisation, Permit, Vehicle
from wufei.transfer.articles import article
from wufei.transfer.checks import ManifestInvalid, is_cross_province, manifest_check, permit_covers
from wufei.transfer.content import lines_of, manifest_content, manifest_load
from wufei.transfer.models import (
    CrossProvinceApproval,
    DocType,
    Manifest,
    ManifestCarrier,
    ManifestLine,
)
from wufei.transfer.numbering import manifest_number_allocate
from wufei.transfer.rules import DocumentRules, rules_for
from wufei.transfer.steps import notify_and_audit, step_begin, step_sign

MAX_LINES = 50
MAX_CARRIERS = 9


@dataclass(frozen=True)
class LineInput:
    """One line of a draft: a waste code with its description, count and weight in grams."""

    waste_code: HazardousCode
    waste_name: str
    physical_form: str
    packaging: str
    weight_g: int
    containers: Sequence[Container] = ()
    container_count: int | None = None  # default: the containers listed
    hazard_characteristics: str = ""  # default: the code's, as listed


@dataclass(frozen=True)
class CarrierInput:
    carrier: Organisation
    vehicle: Vehicle
    licence: Permit
    origin: str = ""
    destination: str = ""


@dataclass
class DraftInput:
    """Everything a draft says; `manifest_update_draft` replaces it whole."""

    shipper_facility: Facility
    receiver_facility: Facility
    planned_on: date
    lines: Sequence[LineInput]
    carriers: Sequence[CarrierInput]
    receiver_permit: Permit | None = None
    approval: CrossProvinceApproval | None = None
    emergency_measures: str = ""


def _need(condition: bool, message: str, field_name: str, code: str = "invalid") -> None:
    if not condition:
        raise ValidationFailed(message, code=code, field=field_name)


def _check_text(value: str, field_name: str, max_length: int) -> None:
    _need(bool(value.strip()), _("This field is required."), field_name, "required")
    _need(
        len(value) <= max_length,
        _("At most %(n)d characters.") % {"n": max_length},
        field_name,
        "too_long",
    )


def _check_draft(draft: DraftInput) -> None:
    """The shape of a draft; the regulatory rules are checked when the shipper signs."""
    _need(bool(draft.lines), _("A manifest has at least one line."), "lines", "lines_required")
    _need(len(draft.lines) <= MAX_LINES, _("Too many lines."), "lines")
    _need(len(draft.carriers) <= MAX_CARRIERS, _("Too many carriers."), "carriers")
    _need(len(draft.emergency_measures) <= 4000, _("Too long."), "emergency_measures")
    for n, line in enumerate(draft.lines, start=1):
        prefix = f"lines.{n}"
        _check_text(line.waste_name, f"{prefix}.waste_name", 100)
        _check_text(line.physical_form, f"{prefix}.physical_form", 10)
        _check_text(line.packaging, f"{prefix}.packaging", 20)
        _need(len(line.hazard_characteristics) <= 20, _("Too long."), f"{prefix}.characteristics")
        _need(
            isinstance(line.weight_g, int) and 0 < line.weight_g < 10**12,
            _("The weight is a positive number of grams."),
            f"{prefix}.weight_g",
            "weight_invalid",
        )
        count = line.container_count
        _need(
            count is None or 0 <= count <= 100_000,
            _("The container count is not negative."),
            f"{prefix}.container_count",
        )
        _need(
            len({c.pk for c in line.containers}) == len(line.containers),
            _("A container is listed twice."),
            f"{prefix}.containers",
        )
    seen = [c.pk for line in draft.lines for c in line.containers]
    _need(len(seen) == len(set(seen)), _("A container is on two lines."), "lines")
    for n, mc in enumerate(draft.carriers, start=1):
        _need(len(mc.origin) <= 200 and len(mc.destination) <= 200, _("Too long."), f"carriers.{n}")


def _require_shipper(viewer: Viewer, shipper: Organisation) -> None:
    if not viewer.can_act_for(shipper.pk):
        raise NotPermitted(
            _("Only administrators and members of %(org)s may prepare its manifests (%(article)s).")
            % {"org": shipper.name, "article": article("signature")},
            code="not_shipper_member",
        )


def receiver_permit_find(
    *, receiver_facility: Facility, planned_on: date, rules: DocumentRules, lines: Sequence[Any]
) -> Permit | None:
    """The receiver's licence for this transfer: valid that day, of a kind the rules accept,
    covering every line's code; one held for the receiving facility first."""
    if not rules.receiver_permit_kinds:
        return None
    candidates = (
        Permit.objects.filter(
            organisation_id=receiver_facility.organisation_id,
            kind__in=rules.receiver_permit_kinds,
            valid_from__lte=planned_on,
            valid_until__gte=planned_on,
        )
        .filter(Q(facility=receiver_facility) | Q(facility__isnull=True))
        .order_by("facility_id", "-valid_until")
    )
    fallback = None
    for permit in candidates:
        if not permit_covers(permit, lines):
            return permit
        fallback = fallback or permit
    return fallback


def approval_find(manifest: Manifest) -> CrossProvinceApproval | None:
    """An approval for this shipper and receiver in force on the planned date, if any."""
    return (
        CrossProvinceApproval.objects.filter(
            shipper=manifest.shipper,
            receiver=manifest.receiver,
            valid_from__lte=manifest.planned_on,
            valid_until__gte=manifest.planned_on,
        )
        .order_by("valid_until")
        .first()
    )


def _write_parts(manifest: Manifest, draft: DraftInput) -> None:
    lines = [
        ManifestLine(
            manifest=manifest,
            position=n,
            waste_code=line.waste_code,
            waste_name=line.waste_name.strip(),
            hazard_characteristics=(
                line.hazard_characteristics.strip() or line.waste_code.hazard_characteristics
            )[:20],
            physical_form=line.physical_form.strip(),
            packaging=line.packaging.strip(),
            container_count=(
                line.container_count if line.container_count is not None else len(line.containers)
            ),
            weight_g=line.weight_g,
        )
        for n, line in enumerate(draft.lines, start=1)
    ]
    ManifestLine.objects.bulk_create(lines)
    through = ManifestLine.containers.through
    through.objects.bulk_create(
        [
            through(manifestline_id=row.pk, container_id=c.pk)
            for row, line in zip(lines, draft.lines, strict=True)
            for c in line.containers
        ]
    )
    ManifestCarrier.objects.bulk_create(
        [
            ManifestCarrier(
                manifest=manifest,
                position=n,
                carrier=mc.carrier,
                vehicle=mc.vehicle,
                licence=mc.licence,
                origin=mc.origin.strip(),
                destination=mc.destination.strip(),
            )
            for n, mc in enumerate(draft.carriers, start=1)
        ]
    )


def _resolve_references(manifest: Manifest, rules: DocumentRules) -> None:
    """Fill in the receiver's licence and the approval when the shipper named none."""
    if manifest.receiver_permit is None:
        manifest.receiver_permit = receiver_permit_find(
            receiver_facility=manifest.receiver_facility,
            planned_on=manifest.planned_on,
            rules=rules,
            lines=lines_of(manifest),
        )
    if (
        manifest.approval is None
        and rules.cross_province_approval_required
        and is_cross_province(manifest)
    ):
        manifest.approval = approval_find(manifest)


@transaction.atomic
def manifest_create(
    *, viewer: Viewer, actor: User, draft: DraftInput, doc_type: str = DocType.HAZARDOUS
) -> Manifest:
    """A new draft manifest of the shipper facility's organisation, numbered (第十五条)."""
    shipper = draft.shipper_facility.organisation
    _require_shipper(viewer, shipper)
    _check_draft(draft)
    rules = rules_for(doc_type)
    now = timezone.now()
    try:
        number = manifest_number_allocate(
            region_code=draft.shipper_facility.region.code, year=timezone.localdate(now).year
        )
    except ManifestNumberExhausted as exc:
        raise ValidationFailed(
            _("The city has used every manifest number this year (%(article)s).")
            % {"article": article("art15")},
            code="numbers_exhausted",
        ) from exc
    manifest = Manifest.objects.create(
        number=number,
        doc_type=doc_type,
        shipper=shipper,
        shipper_facility=draft.shipper_facility,
        receiver=draft.receiver_facility.organisation,
        receiver_facility=draft.receiver_facility,
        receiver_permit=draft.receiver_permit,
        approval=draft.approval,
        planned_on=draft.planned_on,
        emergency_measures=draft.emergency_measures.strip(),
        created_by=actor,
    )
    _write_parts(manifest, draft)
    manifest = manifest_load(pk=manifest.pk)
    _resolve_references(manifest, rules)
    manifest.save(update_fields=["receiver_permit", "approval"])
    content = manifest_content(manifest)
    notify_and_audit(
        manifest=manifest,
        user=actor,
        organisation=shipper,
        event="create",
        payload={"content_hash": content_hash(content), "doc_type": doc_type},
        now=now,
    )
    return manifest


@transaction.atomic
def manifest_update_draft(
    *, viewer: Viewer, actor: User, manifest: Manifest, draft: DraftInput
) -> Manifest:
    """Replace a draft's content; only the shipper, only while it is a draft."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.EDIT)
    locked = step.manifest
    if draft.shipper_facility.organisation_id != locked.shipper_id:
        raise ValidationFailed(
            _("The shipper of a manifest cannot change; create a new one."),
            code="shipper_fixed",
            field="shipper_facility",
        )
    _check_draft(draft)
    locked.shipper_facility = draft.shipper_facility
    locked.receiver = draft.receiver_facility.organisation
    locked.receiver_facility = draft.receiver_facility
    locked.receiver_permit = draft.receiver_permit
    locked.approval = draft.approval
    locked.planned_on = draft.planned_on
    locked.emergency_measures = draft.emergency_measures.strip()
    locked.save()
    locked.lines.all().delete()
    locked.carriers.all().delete()
    _write_parts(locked, draft)
    updated = manifest_load(pk=locked.pk)
    _resolve_references(updated, step.rules)
    updated.save(update_fields=["receiver_permit", "approval"])
    notify_and_audit(
        manifest=updated,
        user=actor,
        organisation=step.signer.organisation,
        event="edit",
        payload={"content_hash": content_hash(manifest_content(updated))},
        now=step.now,
    )
    return updated


@transaction.atomic
def manifest_sign_shipper(*, viewer: Viewer, actor: User, manifest: Manifest) -> Manifest:
    """The shipper signs after every rule of the document type holds (else all failures)."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.SIGN_SHIPPER)
    locked = step.manifest
    _resolve_references(locked, step.rules)
    failures = manifest_check(locked, step.rules)
    if failures:
        raise ManifestInvalid(failures)
    locked.shipper_signed_at = step.now
    step_sign(
        step,
        update_fields=["shipper_signed_at", "receiver_permit", "approval"],
        payload={},
    )
    return locked


@transaction.atomic
def manifest_cancel(
    *, viewer: Viewer, actor: User, manifest: Manifest, reason: str = ""
) -> Manifest:
    """The shipper cancels, only before the first pick-up; the number stays used."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.CANCEL)
    step.manifest.cancelled_at = step.now
    step_sign(step, update_fields=["cancelled_at"], payload={"reason": reason.strip()[:500]})
    return step.manifest

"""The machinery every step of a manifest goes through, in one transaction.

`step_begin` locks the manifest row and reads it afresh (so two parties racing on the same step
queue, and the second sees the first's result), finds the user's party, refuses a step already
signed, and asks the state machine. `step_sign` then records the new state, the signature (the
user, the time, the hash of the exact content and its PDF copy of record), the audit event and
the webhook notices. Services call both inside `transaction.atomic()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.alerts.triggers import alerts_event_later
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotPermitted
from wufei.core.webhooks import webhook_notify
from wufei.domain.hash_chain import content_hash
from wufei.domain.manifest_flow import Action, Snapshot, TransitionRefused, transition
from wufei.registry.models import Organisation
from wufei.rollups.marks import rollups_touch_manifest
from wufei.transfer.actors import Signer, signer_for, snapshot_of
from wufei.transfer.content import carriers_of, manifest_content, manifest_load
from wufei.transfer.copy_of_record import SignatureLine, copy_of_record_render, sha256_hex
from wufei.transfer.models import Manifest, Signature
from wufei.transfer.refusals import refusal_error
from wufei.transfer.rules import DocumentRules, rules_for

DECISIONS = (Action.ACCEPT, Action.ACCEPT_PARTIALLY, Action.REFUSE)


@dataclass
class Step:
    manifest: Manifest  # locked, with lines and carriers loaded
    action: Action
    signer: Signer
    after: Snapshot  # the state the step leads to
    user: User
    now: datetime
    rules: DocumentRules


def user_display(user: User) -> str:
    return (user.display_name or user.get_full_name() or user.username)[:50]


def _check_user(viewer: Viewer, user: User) -> None:
    if viewer.user_id != user.pk:
        raise NotPermitted(_("The signer must be the signed-in user."), code="signer_mismatch")


def _already_signed(manifest: Manifest, action: Action, signer: Signer) -> bool:
    """Whether this step was signed before. Each step's time is written in the same
    transaction as its signature, so the locked row answers without another query."""
    if action == Action.SIGN_PICKUP:
        position = signer.actor.carrier_position
        return any(c.picked_up_at for c in carriers_of(manifest) if c.position == position)
    signed = {
        Action.SIGN_SHIPPER: manifest.shipper_signed_at,
        Action.CANCEL: manifest.cancelled_at,
        Action.SIGN_DELIVERY: manifest.arrived_at,
        Action.RECORD_TREATMENT: manifest.treated_at,
        Action.START_RETURN: manifest.return_status in ("in_transit", "returned") or None,
        Action.CONFIRM_RETURN: manifest.return_status == "returned" or None,
    }
    if action in DECISIONS:
        return manifest.received_at is not None
    return signed.get(action) is not None


def _refuse_if_signed(manifest: Manifest, action: Action, signer: Signer) -> None:
    """The same step signed twice is a conflict, whoever signed first (races end here)."""
    if _already_signed(manifest, action, signer):
        raise Conflict(
            _("This step of manifest %(number)s has already been signed.")
            % {"number": manifest.number},
            code="already_signed",
        )


def step_begin(*, viewer: Viewer, actor: User, manifest: Manifest, action: Action) -> Step:
    """Lock and re-read the manifest, identify the signer, and check the transition."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("manifest steps run inside transaction.atomic()")
    _check_user(viewer, actor)
    locked = manifest_load(pk=manifest.pk, locked=True)
    state = snapshot_of(locked)
    signer = signer_for(viewer, locked, action, state)
    if action != Action.EDIT:
        _refuse_if_signed(locked, action, signer)
    try:
        after = transition(state, action, signer.actor)
    except TransitionRefused as exc:
        raise refusal_error(exc) from exc
    return Step(
        manifest=locked,
        action=action,
        signer=signer,
        after=after,
        user=actor,
        now=timezone.now(),
        rules=rules_for(locked.doc_type),
    )


def party_ids(manifest: Manifest) -> list[int]:
    """Every organisation party to the manifest: they all hear of each step."""
    ids = [
        manifest.shipper_id,
        *(c.carrier_id for c in carriers_of(manifest)),
        manifest.receiver_id,
    ]
    return list(dict.fromkeys(ids))


def _signature_lines(manifest: Manifest, current: Signature) -> list[SignatureLine]:
    previous = list(
        Signature.objects.filter(manifest=manifest)
        .defer("content", "copy_of_record")
        .select_related("organisation", "signer")
        .order_by("signed_at", "pk")
    )
    return [
        SignatureLine(
            action=s.action,
            party=s.party,
            carrier_position=s.carrier_position,
            organisation=s.organisation.name,
            signer=user_display(s.signer),
            signed_at=s.signed_at.astimezone(timezone.get_default_timezone()).isoformat(),
            version=s.manifest_version,
            content_hash=s.content_hash,
        )
        for s in [*previous, current]
    ]


def notify_and_audit(
    *,
    manifest: Manifest,
    user: User,
    organisation: Organisation | None,
    event: str,
    payload: dict[str, Any],
    now: datetime,
) -> None:
    """The audit event and webhook notices of a change that is not a signature."""
    audit_append(
        actor=user,
        organisation=organisation,
        action=f"manifest.{event}",
        subject_type="manifest",
        subject_id=manifest.number,
        payload=payload,
        occurred_at=now,
    )
    rollups_touch_manifest(manifest=manifest)
    alerts_event_later(kind="manifest.changed", organisation_ids=party_ids(manifest))
    webhook_notify(
        organisation_ids=party_ids(manifest),
        event_type=f"manifest.{event}",
        payload={
            "number": manifest.number,
            "status": manifest.status,
            "return_status": manifest.return_status,
            "version": manifest.version,
            "event": event,
            **payload,
        },
    )


def step_sign(step: Step, *, update_fields: list[str], payload: dict[str, Any]) -> Signature:
    """Record the step: new state, signature with its copy of record, audit, webhooks."""
    manifest = step.manifest
    manifest.status = step.after.status.value
    manifest.return_status = step.after.return_status.value
    manifest.save(update_fields=sorted({"status", "return_status", *update_fields}))
    content = manifest_content(manifest)
    digest = content_hash(content)
    signature = Signature(
        manifest=manifest,
        action=step.action.value,
        party=step.signer.actor.party.value,
        carrier_position=step.signer.actor.carrier_position,
        organisation=step.signer.organisation,
        signer=step.user,
        signed_at=step.now,
        manifest_version=manifest.version,
        content=content,
        content_hash=digest,
    )
    pdf = copy_of_record_render(
        content, signatures=_signature_lines(manifest, signature), content_hash=digest
    )
    signature.copy_of_record = pdf
    signature.copy_sha256 = sha256_hex(pdf)
    signature.save(force_insert=True)
    audit_append(
        actor=step.user,
        organisation=step.signer.organisation,
        action=f"manifest.{step.action.value}",
        subject_type="manifest",
        subject_id=manifest.number,
        payload={
            "status": manifest.status,
            "return_status": manifest.return_status,
            "version": manifest.version,
            "party": signature.party,
            "carrier_position": signature.carrier_position,
            "signature": signature.pk,
            "content_hash": digest,
            "copy_sha256": signature.copy_sha256,
            **payload,
        },
        occurred_at=step.now,
    )
    rollups_touch_manifest(manifest=manifest)
    alerts_event_later(kind="manifest.changed", organisation_ids=party_ids(manifest))
    webhook_notify(
        organisation_ids=party_ids(manifest),
        event_type=f"manifest.{step.action.value}",
        payload={
            "number": manifest.number,
            "status": manifest.status,
            "return_status": manifest.return_status,
            "version": manifest.version,
            "step": step.action.value,
            "party": signature.party,
            "carrier_position": signature.carrier_position,
            "signed_at": step.now,
            "content_hash": digest,
        },
    )
    return signature

"""The carriers' part: pick-up in order, delivery by the last carrier, and the return path.

At the first pick-up the waste leaves the shipper: its hand-over (B.5) is written into the
shipper's ledger. A later carrier's pick-up is the hand-over between carriers (第十七条): the
previous carrier's leg ends then. Delivery starts the receiver's deadline of five working days
(第十八条) on the official calendar.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.core.calendar import workday_calendar
from wufei.domain.manifest_flow import Action
from wufei.domain.workdays import CalendarYearUnknown
from wufei.transfer.content import carriers_of
from wufei.transfer.ledger_link import handover_record, return_record
from wufei.transfer.models import Manifest, Signature
from wufei.transfer.steps import step_begin, step_sign, user_display

logger = logging.getLogger(__name__)


def _shipper_signer(manifest: Manifest) -> str:
    """The person responsible for the hand-over in the shipper's ledger: who signed for it."""
    signature = (
        Signature.objects.filter(manifest=manifest, action=Action.SIGN_SHIPPER.value)
        .select_related("signer")
        .first()
    )
    return user_display(signature.signer) if signature else manifest.shipper.name[:50]


@transaction.atomic
def manifest_sign_pickup(*, viewer: Viewer, actor: User, manifest: Manifest) -> Manifest:
    """The carrier whose turn it is signs that it has taken the waste (第十一条, 第十七条)."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.SIGN_PICKUP)
    locked = step.manifest
    position = step.signer.actor.carrier_position
    carriers = carriers_of(locked)
    leg = carriers[position - 1] if position else None
    assert leg is not None and leg.position == position
    leg.picked_up_at = step.now
    leg.save(update_fields=["picked_up_at"])
    payload: dict[str, object] = {}
    if position == 1:
        locked.picked_up_at = step.now
        if step.rules.writes_ledger:
            events = handover_record(locked, handled_by=_shipper_signer(locked), now=step.now)
            payload["ledger_events"] = [e.pk for e in events]
    else:
        previous = carriers[position - 2]
        previous.delivered_at = step.now
        previous.save(update_fields=["delivered_at"])
    step_sign(step, update_fields=["picked_up_at"], payload=payload)
    return locked


@transaction.atomic
def manifest_sign_delivery(*, viewer: Viewer, actor: User, manifest: Manifest) -> Manifest:
    """The last carrier delivers to the receiver (第十一条(四)); the receipt deadline starts."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.SIGN_DELIVERY)
    locked = step.manifest
    leg = carriers_of(locked)[-1]
    leg.delivered_at = step.now
    leg.save(update_fields=["delivered_at"])
    locked.arrived_at = step.now
    payload: dict[str, object] = {}
    try:
        locked.receipt_due_on = workday_calendar().add_workdays(
            timezone.localdate(step.now), step.rules.receipt_deadline_workdays
        )
    except CalendarYearUnknown:
        # Never guess a deadline: the arrival is recorded, the due date stays open and says so.
        logger.warning("no official calendar for the receipt deadline of %s", locked.number)
        locked.receipt_due_on = None
        payload["receipt_due_unknown"] = True
    payload["receipt_due_on"] = locked.receipt_due_on
    step_sign(step, update_fields=["arrived_at", "receipt_due_on"], payload=payload)
    return locked


@transaction.atomic
def manifest_start_return(*, viewer: Viewer, actor: User, manifest: Manifest) -> Manifest:
    """A carrier of the manifest takes the refused waste back towards the shipper."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.START_RETURN)
    step_sign(step, update_fields=[], payload={})
    return step.manifest


@transaction.atomic
def manifest_confirm_return(*, viewer: Viewer, actor: User, manifest: Manifest) -> Manifest:
    """The shipper confirms the refused waste is back; its ledger receives it again."""
    step = step_begin(viewer=viewer, actor=actor, manifest=manifest, action=Action.CONFIRM_RETURN)
    payload: dict[str, object] = {}
    if step.rules.writes_ledger:
        events = return_record(
            step.manifest, user=actor, handled_by=user_display(actor), now=step.now
        )
        payload["ledger_events"] = [e.pk for e in events]
    step_sign(step, update_fields=[], payload=payload)
    return step.manifest

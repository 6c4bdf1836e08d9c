"""What the manifest's steps write into the parties' management ledgers (HJ 1259-2022).

- First pick-up: the shipper hands the waste over (B.5), one event per container, taking it
  from the event that holds the container now (`container_current_event`); a line's grams are
  apportioned among its containers in proportion to what each holds, so they add up to the
  line's weight exactly. A line without containers takes from the oldest batches of its code.
  The hand-over is recorded by the system on the shipper's behalf (the carrier signs the
  pick-up, but only the shipper's people write its ledger), with the shipper's signer as the
  person responsible.
- Receipt: the receiver records what it accepted (one RECEIVE event per line).
- Return confirmed: the shipper receives back what was refused (received − accepted), into one
  of its storage facilities.

Only document types whose rules keep the HJ 1259 ledger (`DocumentRules.writes_ledger`) write.
Each event goes through `wufei.ledger.services.ledger_event_record`, which validates and audits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.core.errors import ValidationFailed
from wufei.domain.apportion import apportion
from wufei.ledger.models import Container, EventKind, LedgerEvent
from wufei.ledger.rules import FACILITY_KINDS
from wufei.ledger.selectors import container_current_event, event_remaining_g, source_candidates
from wufei.ledger.services import ledger_event_record
from wufei.registry.models import Facility
from wufei.transfer.articles import article
from wufei.transfer.content import lines_of
from wufei.transfer.models import Manifest, ManifestLine


@dataclass(frozen=True)
class Take:
    """Grams a hand-over takes from one ledger batch (and the container, if labelled)."""

    source: LedgerEvent
    container: Container | None
    grams: int


def _short(line: ManifestLine, held: int) -> ValidationFailed:
    return ValidationFailed(
        _(
            "Line %(position)s: the shipper's ledger holds %(held)s g of %(code)s in these "
            "containers, less than the %(weight)s g declared (%(article)s)."
        )
        % {
            "position": line.position,
            "held": held,
            "code": line.waste_code.code,
            "weight": line.weight_g,
            "article": article("art10_3"),
        },
        code="ledger_short",
        field=f"lines.{line.position}",
    )


def line_takes(manifest: Manifest, line: ManifestLine) -> list[Take]:
    """Where the line's weight comes from in the shipper's ledger; ValidationFailed if short."""
    containers = list(line.containers.all())
    if containers:
        sources = [container_current_event(c) for c in containers]
        held = [event_remaining_g(s) if s is not None else 0 for s in sources]
        if sum(held) < line.weight_g:
            raise _short(line, sum(held))
        return [
            Take(source, container, grams)
            for source, container, grams in zip(
                sources, containers, apportion(line.weight_g, held), strict=True
            )
            if source is not None and grams > 0
        ]
    takes, left = [], line.weight_g
    candidates = source_candidates(organisation=manifest.shipper, kind=EventKind.HAND_OVER)
    for source in candidates.filter(waste_code=line.waste_code).order_by("occurred_at", "id"):
        if left == 0:
            break
        grams = min(left, source.remaining_g)  # type: ignore[attr-defined]
        takes.append(Take(source, None, grams))
        left -= grams
    if left:
        raise _short(line, line.weight_g - left)
    return takes


def handover_record(manifest: Manifest, *, handled_by: str, now: datetime) -> list[LedgerEvent]:
    """The shipper's B.5 hand-over events for every line, at the first pick-up."""
    events = []
    for line in lines_of(manifest):
        for take in line_takes(manifest, line):
            events.append(
                ledger_event_record(
                    actor=None,
                    organisation=manifest.shipper,
                    facility=take.source.facility,
                    kind=EventKind.HAND_OVER,
                    occurred_at=now,
                    waste_code=line.waste_code,
                    quantity_g=take.grams,
                    handled_by=handled_by,
                    source=take.source,
                    container=take.container,
                    manifest=manifest,
                    receiver=manifest.receiver,
                )
            )
    return events


def receipt_record(
    manifest: Manifest, *, user: User, handled_by: str, now: datetime
) -> list[LedgerEvent]:
    """The receiver's RECEIVE events for the accepted weight of each line."""
    return [
        ledger_event_record(
            actor=user,
            organisation=manifest.receiver,
            facility=manifest.receiver_facility,
            kind=EventKind.RECEIVE,
            occurred_at=now,
            waste_code=line.waste_code,
            quantity_g=line.accepted_weight_g,
            handled_by=handled_by,
            manifest=manifest,
        )
        for line in lines_of(manifest)
        if line.accepted_weight_g
    ]


def return_facility(manifest: Manifest) -> Facility | None:
    """Where returned waste is received: the shipper's facility if it may receive, else one of
    its storage (or treatment) facilities."""
    kinds = FACILITY_KINDS[EventKind.RECEIVE]
    if manifest.shipper_facility.kind in kinds:
        return manifest.shipper_facility
    return (
        Facility.objects.filter(organisation=manifest.shipper_id, kind__in=kinds)
        .order_by("kind", "code")
        .first()
    )


def return_record(
    manifest: Manifest, *, user: User, handled_by: str, now: datetime
) -> list[LedgerEvent]:
    """The shipper's RECEIVE events for the refused waste it takes back ([] if it has no
    facility that may receive waste)."""
    facility = return_facility(manifest)
    if facility is None:
        return []
    events = []
    for line in lines_of(manifest):
        refused = (line.received_weight_g or 0) - (line.accepted_weight_g or 0)
        if refused > 0:
            events.append(
                ledger_event_record(
                    actor=user,
                    organisation=manifest.shipper,
                    facility=facility,
                    kind=EventKind.RECEIVE,
                    occurred_at=now,
                    waste_code=line.waste_code,
                    quantity_g=refused,
                    handled_by=handled_by,
                    manifest=manifest,
                )
            )
    return events

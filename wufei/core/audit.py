"""Append to and verify the hash-chained audit log (ADR 0008).

`audit_append` is the only writer. It locks the single `AuditChainHead` row, so concurrent
appends queue and sequence numbers have no gaps or forks (on SQLite the `BEGIN IMMEDIATE`
transaction serialises writers; `select_for_update` does it on PostgreSQL). What is hashed is
`audit_envelope(event)` — the one definition used by both append and verify — and the payload is
stored exactly as hashed (normalised through canonical JSON first), so a database round trip
cannot change the hash.

Database triggers (migration 0003) refuse UPDATE on `core_auditevent` everywhere and DELETE on
PostgreSQL. On SQLite DELETE is not refused: Django's test flush empties tables with DELETE, so
a trigger there would break every transactional test. A deleted row is still detected by
`audit_verify` (a sequence gap, or a chain shorter than its head).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from wufei.accounts.models import User
from wufei.core.audit_models import AuditChainHead, AuditEvent
from wufei.domain.hash_chain import (
    GENESIS,
    BrokenLink,
    ChainEntry,
    canonical_json,
    link_hash,
    verify_chain,
)
from wufei.registry.models import Organisation

HEAD_ID = 1


class AuditOutsideTransaction(RuntimeError):
    """audit_append was called outside transaction.atomic(): the event could outlive a rollback."""


def audit_envelope(event: AuditEvent) -> dict[str, Any]:
    """What an event's hash covers: every column except the hashes themselves."""
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "organisation": event.organisation_id,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "payload": event.payload,
    }


def _json_safe(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as the JSON column will return it (dates, decimals become strings)."""
    normalised = json.loads(canonical_json(payload))
    if not isinstance(normalised, dict):
        raise TypeError("an audit payload must be a mapping")
    return normalised


def _locked_head() -> AuditChainHead:
    """The chain head, locked for this transaction; re-created from the log if missing.

    Migration 0002 creates the row; a test flush (or a hand-emptied table) removes it, so it is
    rebuilt from the last event rather than restarted at genesis.
    """
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-sequence").first()
    AuditChainHead.objects.bulk_create(
        [
            AuditChainHead(
                pk=HEAD_ID,
                sequence=last.sequence if last else 0,
                entry_hash=last.entry_hash if last else GENESIS,
            )
        ],
        ignore_conflicts=True,
    )
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_ID)


def audit_append(
    *,
    actor: User | None,
    organisation: Organisation | None,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: Mapping[str, Any],
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Write the next event of the chain; must run inside the transaction of the change."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            "audit_append must be called inside transaction.atomic(), in the same transaction "
            "as the change it records"
        )
    when = occurred_at or timezone.now()
    if timezone.is_naive(when):
        raise ValueError("occurred_at must be timezone-aware")
    if len(action) > 64 or len(subject_type) > 32 or len(str(subject_id)) > 64:
        raise ValueError("action (64), subject_type (32) or subject_id (64) is too long")
    head = _locked_head()
    event = AuditEvent(
        sequence=head.sequence + 1,
        occurred_at=when,
        actor=actor,
        organisation=organisation,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=_json_safe(payload),
        previous_hash=head.entry_hash,
    )
    event.entry_hash = link_hash(event.previous_hash, audit_envelope(event))
    event.save(force_insert=True)
    head.sequence = event.sequence
    head.entry_hash = event.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return event


def _entries(chunk_size: int) -> Iterator[ChainEntry]:
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        yield ChainEntry(
            sequence=event.sequence,
            payload=audit_envelope(event),
            previous_hash=event.previous_hash,
            entry_hash=event.entry_hash,
        )


class _Tail:
    """Remembers the last entry streamed through, to compare it with the head afterwards."""

    def __init__(self) -> None:
        self.count = 0
        self.last: ChainEntry | None = None

    def watch(self, entries: Iterator[ChainEntry]) -> Iterator[ChainEntry]:
        for entry in entries:
            self.count += 1
            self.last = entry
            yield entry


def audit_verify(*, chunk_size: int = 5000) -> BrokenLink | None:
    """The first broken link of the stored chain, or None when every event is as written.

    Streams the log in sequence order, so memory stays flat however long it is. Beyond the
    links themselves, the last event must be the one the head row points at: otherwise events
    were removed from the end (or the head was tampered with).
    """
    tail = _Tail()
    broken = verify_chain(tail.watch(_entries(chunk_size)))
    if broken is not None:
        return broken
    last = tail.last
    if last is not None and last.sequence != tail.count:
        return BrokenLink(last.sequence, f"the chain does not start at #1 ({tail.count} events)")
    last_sequence, last_hash = (last.sequence, last.entry_hash) if last else (0, GENESIS)
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    if head is not None and (head.sequence, head.entry_hash) != (last_sequence, last_hash):
        return BrokenLink(
            last_sequence,
            f"the chain ends at #{last_sequence} but its head records #{head.sequence}",
        )
    return None


def audit_chain_summary() -> tuple[int, str]:
    """How many events the chain holds and the hash of the last (GENESIS when empty)."""
    last = AuditEvent.objects.order_by("-sequence").only("sequence", "entry_hash").first()
    return (last.sequence, last.entry_hash) if last else (0, GENESIS)


def audit_log_discard_all() -> None:
    """Empty the whole log and restart the chain at genesis — for demo resets only.

    This is exactly the power ADR 0008 says the chain cannot withstand (anyone who can TRUNCATE
    can rewrite history); it exists so that `seed_demo --reset` can start over on a database
    holding nothing but demo data. PostgreSQL's row triggers do not fire on TRUNCATE.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Rows inserted earlier in this transaction still have deferred FK checks
                # pending, which TRUNCATE refuses: run them now, then defer again (Django's
                # foreign keys are all DEFERRABLE INITIALLY DEFERRED).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE core_auditevent")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                cursor.execute("DELETE FROM core_auditevent")
        AuditChainHead.objects.update_or_create(
            pk=HEAD_ID, defaults={"sequence": 0, "entry_hash": GENESIS}
        )

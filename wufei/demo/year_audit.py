"""The audit entries of a generated year, chained in Python and inserted in bulk.

Appending 300,000 entries one by one through `audit_append` (a locked head row, one insert and
one update each) would take minutes. The year's entries are collected as drafts, ordered by
when they happened, and linked exactly as `audit_append` links them: the same envelope
(`wufei.core.audit.audit_envelope`) and the same `link_hash`. Payloads hold JSON values only
(strings, numbers, lists, mappings, null), so what is stored reads back exactly as hashed —
`audit_append` gets there by normalising through canonical JSON. The chain head is locked for
the transaction and moved to the last entry, so `wufei verify_chain` holds afterwards and later
appends continue the chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from wufei.core.audit import HEAD_ID, audit_envelope
from wufei.core.audit_models import AuditChainHead, AuditEvent
from wufei.demo.year_insert import db_datetime, db_json, insert_rows, sqlite
from wufei.domain.hash_chain import GENESIS, canonical_json, link_hash

CHUNK = 10_000
COLUMNS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "organisation_id",
    "action",
    "subject_type",
    "subject_id",
    "payload",
    "previous_hash",
    "entry_hash",
)
# Entries at the same moment keep the order of cause and effect: a container is registered
# before its waste is recorded, a ledger event before the signature that wrote it.
CONTAINER, LEDGER, DOCUMENT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class AuditDraft:
    occurred_at: datetime
    rank: int
    actor_id: int | None
    organisation_id: int | None
    action: str
    subject_type: str
    subject_id: str
    payload: Mapping[str, Any]


@dataclass
class AuditDrafts:
    drafts: list[AuditDraft] = field(default_factory=list)

    def add(
        self,
        when: datetime,
        rank: int,
        *,
        actor_id: int | None,
        organisation_id: int | None,
        action: str,
        subject_type: str,
        subject_id: str,
        payload: Mapping[str, Any],
    ) -> None:
        self.drafts.append(
            AuditDraft(
                when,
                rank,
                actor_id,
                organisation_id,
                action,
                subject_type,
                subject_id,
                payload,
            )
        )


def _locked_head() -> tuple[int, str]:
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head.sequence, head.entry_hash
    last = AuditEvent.objects.order_by("-sequence").first()
    return (last.sequence, last.entry_hash) if last else (0, GENESIS)


@dataclass(slots=True)
class _Entry:
    """The attributes `audit_envelope` reads, without the cost of a model instance."""

    sequence: int
    occurred_at: datetime
    actor_id: int | None
    organisation_id: int | None
    action: str
    subject_type: str
    subject_id: str
    payload: Any


def audit_chain_append(drafts: AuditDrafts) -> tuple[int, int]:
    """Chain and insert the drafts in time order; return the first and last sequence."""
    items = drafts.drafts
    order = sorted(range(len(items)), key=lambda i: (items[i].occurred_at, items[i].rank, i))
    sequence, previous = _locked_head()
    first = sequence + 1
    rows: list[tuple[Any, ...]] = []
    for i in order:
        draft = items[i]
        sequence += 1
        entry = _Entry(
            sequence,
            draft.occurred_at,
            draft.actor_id,
            draft.organisation_id,
            draft.action,
            draft.subject_type,
            draft.subject_id,
            draft.payload,  # JSON values only, so it reads back exactly as hashed
        )
        entry_hash = link_hash(previous, audit_envelope(cast(AuditEvent, entry)))
        rows.append(
            (
                sequence,
                db_datetime(draft.occurred_at),
                draft.actor_id,
                draft.organisation_id,
                draft.action,
                draft.subject_type,
                draft.subject_id,
                canonical_json(draft.payload) if sqlite() else db_json(draft.payload),
                previous,
                entry_hash,
            )
        )
        previous = entry_hash
        if len(rows) == CHUNK:
            insert_rows(AuditEvent, COLUMNS, rows)
            rows = []
    insert_rows(AuditEvent, COLUMNS, rows)
    AuditChainHead.objects.update_or_create(
        pk=HEAD_ID, defaults={"sequence": sequence, "entry_hash": previous}
    )
    return first, sequence

"""Containers (HJ 1276-2022) and ledger events (HJ 1259-2022) of a generated year, in bulk.

Each row is what the services would have written — a container's digital identification code
from `identification_code_build`, a hand-over's receiver columns from the manifest's licence, the
same audit entries (`container.registered`, `ledger.event_recorded`) with the same payloads — but
built in memory and inserted with plain multi-row statements (`year_insert`) under primary keys
reserved first, so that a `source` link can name an event stored in the same statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from wufei.demo.year_audit import CONTAINER, LEDGER, AuditDrafts
from wufei.demo.year_context import YearContext, historical
from wufei.demo.year_insert import db_date, db_datetime, ids_reserve, insert_records
from wufei.domain.demo_year_book import at
from wufei.domain.demo_year_records import GENERATE, HAND_OVER, YearPlan
from wufei.domain.hw_identification import identification_code_build
from wufei.ledger import rules
from wufei.ledger.models import Container, LedgerEvent
from wufei.transfer.models import ApprovalItem, CrossProvinceApproval, Manifest

BATCH = 1000
CHUNK = 10_000
# Who records each kind of event: the unit's own people, except what the pick-up step writes
# on the shipper's behalf (`wufei.transfer.ledger_link.handover_record`: the system).
SYSTEM_WRITTEN = ("store_out", HAND_OVER)


@dataclass(frozen=True)
class ContainerRow:
    """A stored container as the rest of the writer needs it (a manifest line lists codes)."""

    pk: int
    code: str


def containers_write(ctx: YearContext, year: YearPlan, audit: AuditDrafts) -> list[ContainerRow]:
    generated = {
        e.container: e.at for e in year.events if e.kind == GENERATE and e.container is not None
    }
    ids = ids_reserve(Container, len(year.containers))
    rows, records = [], []
    for c, pk in zip(year.containers, ids, strict=True):
        org = ctx.orgs[c.owner]
        code = identification_code_build(
            unit_code=org.uscc, waste_code=c.code, generated_on=c.generated_on, sequence=c.sequence
        )
        registered = generated[c.ref] - timedelta(minutes=1)
        volume = Decimal(c.volume_l).quantize(Decimal("0.1"))
        records.append(
            {
                "id": pk,
                "organisation_id": org.pk,
                "code": code,
                "waste_code_id": ctx.codes[c.code].pk,
                "generated_on": db_date(c.generated_on),
                "sequence": c.sequence,
                "container_type": c.container_type,
                "volume_l": volume,
                "internal_code": "",
                "label_printed_at": db_datetime(registered),
                "created_at": db_datetime(registered),
            }
        )
        rows.append(ContainerRow(pk, code))
        audit.add(
            registered,
            CONTAINER,
            actor_id=ctx.staff[c.owner].pk,
            organisation_id=org.pk,
            action="container.registered",
            subject_type="container",
            subject_id=code,
            payload={
                "code": code,
                "waste_code": c.code,
                "generated_on": c.generated_on.isoformat(),
                "sequence": c.sequence,
                "container_type": c.container_type,
                "volume_l": str(volume),
                "internal_code": "",
            },
        )
    insert_records(Container, records)
    return rows


def approvals_write(
    ctx: YearContext, year: YearPlan, audit: AuditDrafts
) -> list[CrossProvinceApproval]:
    rows = [
        CrossProvinceApproval(
            number=a.number,
            shipper=ctx.orgs[a.shipper],
            receiver=ctx.orgs[a.receiver],
            issued_by=a.issued_by,
            valid_from=a.valid_from,
            valid_until=a.valid_until,
            created_at=at(a.valid_from, 10 * 60),
        )
        for a in year.approvals
    ]
    with historical(CrossProvinceApproval, "created_at"):
        CrossProvinceApproval.objects.bulk_create(rows, batch_size=BATCH)
    ApprovalItem.objects.bulk_create(
        [
            ApprovalItem(
                approval=row,
                waste_code=ctx.codes[item.code],
                approved_g=item.approved_g,
                treatment_method=ctx.methods[item.method],
            )
            for a, row in zip(year.approvals, rows, strict=True)
            for item in a.items
        ],
        batch_size=BATCH,
    )
    for a, row in zip(year.approvals, rows, strict=True):
        audit.add(
            row.created_at,
            LEDGER,
            actor_id=None,
            organisation_id=None,
            action="cross_province_approval.create",
            subject_type="cross_province_approval",
            subject_id=a.number,
            payload={
                "shipper": row.shipper.uscc,
                "receiver": row.receiver.uscc,
                "valid_from": a.valid_from.isoformat(),
                "valid_until": a.valid_until.isoformat(),
                "items": [{"code": i.code, "approved_g": i.approved_g} for i in a.items],
            },
        )
    return rows


def events_write(
    ctx: YearContext,
    year: YearPlan,
    audit: AuditDrafts,
    *,
    containers: list[ContainerRow],
    manifests: list[Manifest],
) -> list[int]:
    """Insert every event; return their primary keys in the plan's order."""
    ids = ids_reserve(LedgerEvent, len(year.events))
    records: list[dict[str, object]] = []
    for e, pk in zip(year.events, ids, strict=True):
        if len(records) == CHUNK:  # insert as we go: a year of rows as dicts is a lot of memory
            insert_records(LedgerEvent, records)
            records = []
        manifest = manifests[e.manifest] if e.manifest is not None else None
        container = containers[e.container] if e.container is not None else None
        org = ctx.orgs[e.owner]
        recorded_by = None if e.kind in SYSTEM_WRITTEN else ctx.staff[e.owner].pk
        permit = manifest.receiver_permit if manifest is not None else None
        hand_over = e.kind == HAND_OVER and manifest is not None
        records.append(
            {
                "id": pk,
                "organisation_id": org.pk,
                "facility_id": ctx.facilities[e.owner, e.facility].pk,
                "kind": e.kind,
                "batch_code": e.batch_code,
                "occurred_at": db_datetime(e.at),
                "waste_code_id": ctx.codes[e.code].pk,
                "internal_name": "",
                "container_id": container.pk if container else None,
                "container_code": container.code if container else "",
                "container_type": e.container_type,
                "container_count": e.container_count,
                "quantity_g": e.quantity_g,
                "unit": "kg",
                "source_id": ids[e.source] if e.source is not None else None,
                "treatment_method_id": ctx.methods[e.method].pk if e.method else None,
                "finished_at": db_datetime(e.finished_at),
                "destination": e.destination,
                "receiver_id": ctx.orgs[e.receiver].pk if e.receiver else None,
                "receiver_type": rules.RECEIVER_LICENSED if hand_over else "",
                "receiver_permit_number": permit.number if hand_over and permit else "",
                "manifest_id": manifest.pk if manifest else None,
                "handled_by": e.handled_by,
                "second_handler": e.second_handler,
                "recorded_by_id": recorded_by,
                "import_batch_id": None,
                "created_at": db_datetime(e.at),
            }
        )
        audit.add(
            e.at,
            LEDGER,
            actor_id=recorded_by,
            organisation_id=org.pk,
            action="ledger.event_recorded",
            subject_type="ledger_event",
            subject_id=str(pk),
            payload={
                "kind": e.kind,
                "batch_code": e.batch_code,
                "organisation": org.uscc,
                "facility": e.facility,
                "waste_code": e.code,
                "quantity_g": e.quantity_g,
                "occurred_at": e.at.isoformat(),
                "source": year.events[e.source].batch_code if e.source is not None else None,
                "container": container.code if container else None,
                "manifest": manifest.number if manifest else None,
            },
        )
    insert_records(LedgerEvent, records)
    return ids

"""The signatures of a generated year, with what each one signed, and the records beside them.

Each manifest's stored rows are walked through their steps again (`Sheet.walk`); after every
step the content is taken with the transfer app's own `manifest_content`, hashed with
`content_hash`, printed as a copy of record (`year_copy.demo_copy_pdf`) listing the signatures
so far, and audited with the payload `wufei.transfer.steps.step_sign` writes. Discrepancies,
revisions (content before and after, every signed party's approval) and the manifests'
`create` entries are written the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from wufei.demo.year_audit import DOCUMENT, AuditDrafts
from wufei.demo.year_context import YearContext, historical
from wufei.demo.year_copy import demo_copy_pdf
from wufei.demo.year_insert import db_datetime, db_json, ids_reserve, insert_records, sqlite
from wufei.demo.year_manifests import Sheet, by_manifest
from wufei.domain.demo_year_records import (
    DRIVER,
    HAND_OVER,
    RECEIVE,
    StepPlan,
    YearPlan,
)
from wufei.domain.hash_chain import canonical_json, content_hash
from wufei.domain.manifest_flow import Action
from wufei.domain.manifest_receipt import Decision
from wufei.domain.manifest_revision import revision_apply
from wufei.transfer.content import manifest_content
from wufei.transfer.copy_of_record import SignatureLine, sha256_hex
from wufei.transfer.models import Discrepancy, Revision, RevisionApproval, Signature
from wufei.transfer.steps import user_display

BATCH = 500
DECISION_OF = {
    Action.ACCEPT.value: Decision.ACCEPT.value,
    Action.ACCEPT_PARTIALLY.value: Decision.PARTIAL.value,
    Action.REFUSE.value: Decision.REFUSE.value,
}
CANCEL_REASON = "运输车辆故障，改派车辆次日转移"


@dataclass
class _Signing:
    """What one manifest's walk produced, waiting for its signature rows to get their ids."""

    sheet: Sheet
    signatures: list[dict[str, Any]] = field(default_factory=list)
    extras: list[dict[str, Any]] = field(default_factory=list)
    before: dict[str, Any] | None = None
    after_hash: str = ""
    before_hash: str = ""


def _ledger_refs(
    year: YearPlan, sheet: Sheet, events: list[int], index: dict[int, list[int]]
) -> dict[str, list[int]]:
    """The ledger events each step wrote, as the services list them in the audit payload."""
    plan = sheet.plan
    refs: dict[str, list[int]] = {"pickup": [], "receipt": [], "return": []}
    for ref in index.get(plan.ref, []):
        e = year.events[ref]
        if e.kind == HAND_OVER:
            refs["pickup"].append(events[e.ref])
        elif e.kind == RECEIVE and e.owner == plan.receiver:
            refs["receipt"].append(events[e.ref])
        elif e.kind == RECEIVE and e.owner == plan.shipper:
            refs["return"].append(events[e.ref])
    return refs


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _extra(step: StepPlan, sheet: Sheet, refs: dict[str, list[int]]) -> dict[str, Any]:
    """The step-specific part of the audit payload (`wufei.transfer.services`)."""
    m = sheet.manifest
    if step.action == Action.SIGN_PICKUP.value and step.carrier_position == 1:
        return {"ledger_events": refs["pickup"]}
    if step.action == Action.SIGN_DELIVERY.value:
        return {"receipt_due_on": _iso(m.receipt_due_on)}
    if step.action in DECISION_OF:
        return {
            "decision": DECISION_OF[step.action],
            "late": m.received_late,
            "receipt_due_on": _iso(m.receipt_due_on),
            "discrepancies": [
                {"line": d.line, "field": d.field, "declared": d.declared, "observed": d.observed}
                for d in sheet.plan.discrepancies
            ],
            "ledger_events": refs["receipt"],
        }
    if step.action == Action.CONFIRM_RETURN.value:
        return {"ledger_events": refs["return"]}
    if step.action == Action.CANCEL.value:
        return {"reason": CANCEL_REASON}
    return {}


def _sign_sheet(
    ctx: YearContext,
    year: YearPlan,
    sheet: Sheet,
    events: list[int],
    index: dict[int, list[int]],
    audit: AuditDrafts,
) -> _Signing:
    signing = _Signing(sheet)
    sheet.prefetch()
    refs = _ledger_refs(year, sheet, events, index)
    lines: list[SignatureLine] = []
    m = sheet.manifest

    def on_step(step: StepPlan) -> None:
        content = manifest_content(m)
        text = canonical_json(content)
        digest = hashlib.sha256(text.encode()).hexdigest()  # = content_hash(content)
        organisation = ctx.orgs[step.organisation]
        signer = ctx.signer(step.organisation, step.role == DRIVER)
        lines.append(
            SignatureLine(
                action=step.action,
                party=step.party,
                carrier_position=step.carrier_position,
                organisation=organisation.name,
                signer=user_display(signer),
                signed_at=step.at.astimezone(timezone.get_default_timezone()).isoformat(),
                version=m.version,
                content_hash=digest,
            )
        )
        pdf = demo_copy_pdf(content, signatures=lines, content_hash=digest)
        signing.signatures.append(
            {
                "manifest_id": m.pk,
                "action": step.action,
                "party": step.party,
                "carrier_position": step.carrier_position,
                "organisation_id": organisation.pk,
                "signer_id": signer.pk,
                "signed_at": step.at,
                "manifest_version": m.version,
                "content": text if sqlite() else db_json(content),
                "content_hash": digest,
                "copy_of_record": pdf,
                "copy_sha256": sha256_hex(pdf),
            }
        )
        signing.extras.append(
            {"status": m.status, "return_status": m.return_status, **_extra(step, sheet, refs)}
        )

    def on_revision(phase: str) -> None:
        if phase == "requested":
            signing.before = manifest_content(m)
            signing.before_hash = content_hash(signing.before)
        else:
            signing.after_hash = content_hash(manifest_content(m))

    audit.add(
        m.created_at,
        DOCUMENT,
        actor_id=ctx.staff[sheet.plan.shipper].pk,
        organisation_id=m.shipper_id,
        action="manifest.create",
        subject_type="manifest",
        subject_id=m.number,
        payload={"content_hash": _created_hash(sheet, ctx), "doc_type": m.doc_type},
    )
    sheet.walk(ctx, on_step, on_revision)
    return signing


def _created_hash(sheet: Sheet, ctx: YearContext) -> str:
    sheet.reset()
    return content_hash(manifest_content(sheet.manifest))


def _audit_signatures(signing: _Signing, audit: AuditDrafts) -> None:
    m = signing.sheet.manifest
    for signature, extra in zip(signing.signatures, signing.extras, strict=True):
        audit.add(
            signature["signed_at"],
            DOCUMENT,
            actor_id=signature["signer_id"],
            organisation_id=signature["organisation_id"],
            action=f"manifest.{signature['action']}",
            subject_type="manifest",
            subject_id=m.number,
            payload={
                "status": extra["status"],
                "return_status": extra["return_status"],
                "version": signature["manifest_version"],
                "party": signature["party"],
                "carrier_position": signature["carrier_position"],
                "signature": signature["id"],
                "content_hash": signature["content_hash"],
                "copy_sha256": signature["copy_sha256"],
                **{k: v for k, v in extra.items() if k not in ("status", "return_status")},
            },
        )


def _insert_signatures(signatures: list[dict[str, Any]]) -> None:
    for signature, pk in zip(signatures, ids_reserve(Signature, len(signatures)), strict=True):
        signature["id"] = pk
    insert_records(
        Signature,
        [{**sig, "signed_at": db_datetime(sig["signed_at"])} for sig in signatures],
    )


def _discrepancies(ctx: YearContext, sheets: list[Sheet]) -> None:
    rows = [
        Discrepancy(
            manifest=s.manifest,
            line=s.lines[d.line - 1],
            field=d.field,
            declared=d.declared[:100],
            observed=d.observed[:100],
            note=d.note,
            recorded_by=ctx.staff[s.plan.receiver],
            recorded_at=d.at,
        )
        for s in sheets
        for d in s.plan.discrepancies
    ]
    with historical(Discrepancy, "recorded_at"):
        Discrepancy.objects.bulk_create(rows, batch_size=BATCH)


def _revision(ctx: YearContext, signing: _Signing, audit: AuditDrafts) -> None:
    """The revision row with both versions, each signed party's approval, and their audit."""
    sheet = signing.sheet
    plan = sheet.plan.revision
    assert plan is not None and signing.before is not None
    m = sheet.manifest
    changes = {"lines": {str(p): {"weight_g": g} for p, g in plan.weights}}
    approvers = [ctx.orgs[k].pk for k, _when in plan.approvals]
    revision = Revision(
        manifest=m,
        requested_by=ctx.staff[plan.requested_by],
        requesting_party=ctx.orgs[plan.requested_by],
        reason=plan.reason,
        changes=changes,
        before=signing.before,
        after=revision_apply(signing.before, changes),
        state=Revision.State.APPLIED,
        from_version=1,
        approvers=approvers,
        created_at=plan.requested_at,
        closed_at=plan.applied_at,
    )
    with historical(Revision, "created_at"):
        revision.save(force_insert=True)
    approvals = [
        RevisionApproval(
            revision=revision,
            organisation=ctx.orgs[key],
            user=ctx.staff[key],
            approved=True,
            decided_at=when,
        )
        for key, when in plan.approvals
    ]
    with historical(RevisionApproval, "decided_at"):
        RevisionApproval.objects.bulk_create(approvals)
    requester = ctx.staff[plan.requested_by]
    audit.add(
        plan.requested_at,
        DOCUMENT,
        actor_id=requester.pk,
        organisation_id=ctx.orgs[plan.requested_by].pk,
        action="manifest.revision_requested",
        subject_type="manifest",
        subject_id=m.number,
        payload={"revision": revision.pk, "changes": changes, "reason": plan.reason},
    )
    for key, when in plan.approvals[1:]:
        audit.add(
            when,
            DOCUMENT,
            actor_id=ctx.staff[key].pk,
            organisation_id=ctx.orgs[key].pk,
            action="manifest.revision_approved",
            subject_type="manifest",
            subject_id=m.number,
            payload={"revision": revision.pk},
        )
    last_key = plan.approvals[-1][0]
    audit.add(
        plan.applied_at,
        DOCUMENT,
        actor_id=ctx.staff[last_key].pk,
        organisation_id=ctx.orgs[last_key].pk,
        action="manifest.revision_applied",
        subject_type="manifest",
        subject_id=m.number,
        payload={
            "revision": revision.pk,
            "from_version": 1,
            "version": 2,
            "before_hash": signing.before_hash,
            "content_hash": signing.after_hash,
        },
    )


def signatures_write(
    ctx: YearContext,
    year: YearPlan,
    audit: AuditDrafts,
    *,
    sheets: list[Sheet],
    events: list[int],
) -> int:
    """Sign every manifest's steps; returns the number of signatures."""
    total = 0
    pending: list[_Signing] = []

    def flush() -> None:
        _insert_signatures([s for signing in pending for s in signing.signatures])
        for signing in pending:
            _audit_signatures(signing, audit)
            if signing.sheet.plan.revision is not None:
                _revision(ctx, signing, audit)
        pending.clear()

    index = by_manifest(year)
    for sheet in sheets:
        signing = _sign_sheet(ctx, year, sheet, events, index, audit)
        total += len(signing.signatures)
        pending.append(signing)
        if sum(len(p.signatures) for p in pending) >= 2000:
            flush()
    flush()
    _discrepancies(ctx, sheets)
    return total

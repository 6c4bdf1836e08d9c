"""A manifest the viewer may see, as plain data for the API and the pages.

Reads everything a detail view shows in a fixed number of queries: the manifest with its
parties, lines and carriers (`manifest_load`), the signatures without their PDF bytes, the
discrepancies and the revisions with their decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wufei.accounts.viewer import Viewer
from wufei.registry.models import Organisation
from wufei.transfer.content import carriers_of, lines_of, manifest_load
from wufei.transfer.models import CrossProvinceApproval, Manifest, Revision, Signature
from wufei.transfer.schemas import tonnes
from wufei.transfer.selectors import manifest_allowed_actions
from wufei.transfer.steps import user_display


def party(org: Organisation) -> dict[str, str]:
    return {"uscc": org.uscc, "name": org.name}


def manifest_summary(m: Manifest) -> dict[str, Any]:
    return {
        "number": m.number,
        "doc_type": m.doc_type,
        "status": m.status,
        "return_status": m.return_status,
        "version": m.version,
        "shipper": party(m.shipper),
        "receiver": party(m.receiver),
        "planned_on": m.planned_on,
        "created_at": m.created_at,
        "receipt_due_on": m.receipt_due_on,
        "has_discrepancy": m.has_discrepancy,
        "received_late": m.received_late,
    }


def _lines(m: Manifest) -> list[dict[str, Any]]:
    return [
        {
            "position": line.position,
            "waste_code": line.waste_code.code,
            "waste_name": line.waste_name,
            "hazard_characteristics": line.hazard_characteristics,
            "physical_form": line.physical_form,
            "packaging": line.packaging,
            "container_count": line.container_count,
            "containers": [c.code for c in line.containers.all()],
            "weight_g": line.weight_g,
            "weight_t": tonnes(line.weight_g),
            "received_weight_g": line.received_weight_g,
            "received_weight_t": tonnes(line.received_weight_g),
            "accepted_weight_g": line.accepted_weight_g,
            "accepted_weight_t": tonnes(line.accepted_weight_g),
            "treatment_method": line.treatment_method.code if line.treatment_method else None,
            "treated_weight_g": line.treated_weight_g,
            "treated_weight_t": tonnes(line.treated_weight_g),
        }
        for line in lines_of(m)
    ]


def _revisions(m: Manifest) -> list[dict[str, Any]]:
    revisions = list(
        Revision.objects.filter(manifest=m)
        .select_related("requesting_party")
        .prefetch_related("approvals__organisation")
        .order_by("created_at", "pk")
    )
    ids = {pk for r in revisions for pk in r.approvers}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    return [
        {
            "id": r.pk,
            "state": r.state,
            "reason": r.reason,
            "changes": r.changes,
            "before": r.before,
            "after": r.after,
            "from_version": r.from_version,
            "requesting_party": party(r.requesting_party),
            "created_at": r.created_at,
            "closed_at": r.closed_at,
            "approvers": [party(orgs[pk]) for pk in r.approvers if pk in orgs],
            "approvals": [
                {
                    "organisation": party(a.organisation),
                    "approved": a.approved,
                    "decided_at": a.decided_at,
                }
                for a in r.approvals.all()
            ],
        }
        for r in revisions
    ]


def signatures_of(m: Manifest) -> list[Signature]:
    """The manifest's signatures, without their content and PDF bytes."""
    signatures = list(
        Signature.objects.filter(manifest=m)
        .defer("content", "copy_of_record")
        .select_related("organisation", "signer")
        .order_by("signed_at", "pk")
    )
    for signature in signatures:
        signature.manifest = m  # already loaded: links to the copies need its number
    return signatures


def manifest_detail(
    manifest: Manifest, *, viewer: Viewer, copy_url: Callable[[Signature], str]
) -> dict[str, Any]:
    """Everything the viewer is shown of a manifest it may see (a manifest a service just
    returned, with its lines and carriers loaded, is not read again)."""
    cached = getattr(manifest, "_prefetched_objects_cache", {})
    m = manifest if {"lines", "carriers"} <= set(cached) else manifest_load(pk=manifest.pk)
    lines = _lines(m)
    total = sum(line["weight_g"] for line in lines)
    return {
        **manifest_summary(m),
        "shipper_facility": {
            "code": m.shipper_facility.code,
            "name": m.shipper_facility.name,
            "region": m.shipper_facility.region.code,
        },
        "receiver_facility": {
            "code": m.receiver_facility.code,
            "name": m.receiver_facility.name,
            "region": m.receiver_facility.region.code,
        },
        "receiver_permit": m.receiver_permit.number if m.receiver_permit else None,
        "approval": m.approval.number if m.approval else None,
        "emergency_measures": m.emergency_measures,
        "total_weight_g": total,
        "total_weight_t": tonnes(total),
        "shipper_signed_at": m.shipper_signed_at,
        "picked_up_at": m.picked_up_at,
        "arrived_at": m.arrived_at,
        "received_at": m.received_at,
        "treated_at": m.treated_at,
        "cancelled_at": m.cancelled_at,
        "lines": lines,
        "carriers": [
            {
                "position": c.position,
                "carrier": party(c.carrier),
                "vehicle": c.vehicle.plate_number,
                "licence": c.licence.number,
                "origin": c.origin,
                "destination": c.destination,
                "picked_up_at": c.picked_up_at,
                "delivered_at": c.delivered_at,
            }
            for c in carriers_of(m)
        ],
        "signatures": [
            {
                "id": s.pk,
                "action": s.action,
                "party": s.party,
                "carrier_position": s.carrier_position,
                "organisation": party(s.organisation),
                "signer": user_display(s.signer),
                "signed_at": s.signed_at,
                "manifest_version": s.manifest_version,
                "content_hash": s.content_hash,
                "copy_sha256": s.copy_sha256,
                "copy_url": copy_url(s),
            }
            for s in signatures_of(m)
        ],
        "discrepancies": [
            {
                "line": d.line.position,
                "field": d.field,
                "declared": d.declared,
                "observed": d.observed,
                "note": d.note,
                "recorded_at": d.recorded_at,
            }
            for d in m.discrepancies.select_related("line").order_by("line__position", "pk")
        ],
        "revisions": _revisions(m),
        "allowed_actions": [
            a.action.value for a in manifest_allowed_actions(viewer=viewer, manifest=m)
        ],
    }


def approval_out(approval: CrossProvinceApproval) -> dict[str, Any]:
    return {
        "number": approval.number,
        "shipper": party(approval.shipper),
        "receiver": party(approval.receiver),
        "issued_by": approval.issued_by,
        "valid_from": approval.valid_from,
        "valid_until": approval.valid_until,
        "items": [
            {
                "waste_code": item.waste_code.code,
                "approved_g": item.approved_g,
                "approved_t": tonnes(item.approved_g),
                "treatment_method": item.treatment_method.code if item.treatment_method else None,
            }
            for item in approval.items.all()
        ],
    }

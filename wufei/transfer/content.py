"""The content of a manifest as it stands: what a signature commits to.

`manifest_content` is the one canonical snapshot — header, parties, carriers, lines and weights
— used for signatures (its hash), copies of record, revisions (before/after) and audit payloads.
Only plain JSON values, so that `wufei.domain.hash_chain.content_hash` gives the same hash on
every database. `manifest_load` reads a manifest with everything the snapshot needs in a fixed,
small number of queries; `locked=True` takes the row lock that serialises the steps.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from wufei.ledger.models import Container
from wufei.transfer.models import Manifest, ManifestCarrier, ManifestLine


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def manifest_load(*, pk: int, locked: bool = False) -> Manifest:
    """The manifest with its parties, lines and carriers; locked for the transaction if asked."""
    qs = Manifest.objects.all()
    if locked:
        qs = qs.select_for_update(of=("self",))
    return (
        qs.select_related(
            "shipper",
            "shipper_facility__region",
            "receiver",
            "receiver_facility__region",
            "receiver_permit",
            "approval",
        )
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ManifestLine.objects.select_related(
                    "waste_code", "treatment_method"
                ).prefetch_related(
                    Prefetch(
                        "containers",
                        queryset=Container.objects.select_related("waste_code").order_by("code"),
                    )
                ),
            ),
            Prefetch(
                "carriers",
                queryset=ManifestCarrier.objects.select_related("carrier", "vehicle", "licence"),
            ),
        )
        .get(pk=pk)
    )


def lines_of(manifest: Manifest) -> list[ManifestLine]:
    return sorted(manifest.lines.all(), key=lambda line: line.position)


def carriers_of(manifest: Manifest) -> list[ManifestCarrier]:
    return sorted(manifest.carriers.all(), key=lambda c: c.position)


def _line(line: ManifestLine) -> dict[str, Any]:
    return {
        "position": line.position,
        "waste_code": line.waste_code.code,
        "waste_name": line.waste_name,
        "hazard_characteristics": line.hazard_characteristics,
        "physical_form": line.physical_form,
        "packaging": line.packaging,
        "container_count": line.container_count,
        "containers": [c.code for c in line.containers.all()],
        "weight_g": line.weight_g,
        "received_weight_g": line.received_weight_g,
        "accepted_weight_g": line.accepted_weight_g,
        "treatment_method": line.treatment_method.code if line.treatment_method else None,
        "treated_weight_g": line.treated_weight_g,
    }


def _carrier(mc: ManifestCarrier) -> dict[str, Any]:
    return {
        "position": mc.position,
        "uscc": mc.carrier.uscc,
        "name": mc.carrier.name,
        "vehicle": mc.vehicle.plate_number,
        "vehicle_certificate": mc.vehicle.transport_certificate,
        "licence": mc.licence.number,
        "origin": mc.origin,
        "destination": mc.destination,
        "picked_up_at": _when(mc.picked_up_at),
        "delivered_at": _when(mc.delivered_at),
    }


def manifest_content(manifest: Manifest) -> dict[str, Any]:
    """The canonical snapshot of the manifest as it stands (hashable, JSON-serialisable)."""
    m = manifest
    return {
        "number": m.number,
        "doc_type": m.doc_type,
        "version": m.version,
        "status": m.status,
        "return_status": m.return_status,
        "planned_on": _when(m.planned_on),
        "emergency_measures": m.emergency_measures,
        "shipper": {
            "uscc": m.shipper.uscc,
            "name": m.shipper.name,
            "facility": m.shipper_facility.code,
            "facility_name": m.shipper_facility.name,
            "region": m.shipper_facility.region.code,
        },
        "receiver": {
            "uscc": m.receiver.uscc,
            "name": m.receiver.name,
            "facility": m.receiver_facility.code,
            "facility_name": m.receiver_facility.name,
            "region": m.receiver_facility.region.code,
            "permit": m.receiver_permit.number if m.receiver_permit else None,
        },
        "approval": m.approval.number if m.approval else None,
        "carriers": [_carrier(c) for c in carriers_of(m)],
        "lines": [_line(line) for line in lines_of(m)],
        "shipper_signed_at": _when(m.shipper_signed_at),
        "picked_up_at": _when(m.picked_up_at),
        "arrived_at": _when(m.arrived_at),
        "receipt_due_on": _when(m.receipt_due_on),
        "received_at": _when(m.received_at),
        "received_late": m.received_late,
        "has_discrepancy": m.has_discrepancy,
        "treated_at": _when(m.treated_at),
        "cancelled_at": _when(m.cancelled_at),
    }

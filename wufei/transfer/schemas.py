"""API shapes of the transfer engine. Weights go both ways as integer grams; answers add the
same weight as a decimal string of tonnes (six places: exact to the gram)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from wufei.transfer.weights import tonnes_exact

DocTypeIn = Literal["hazardous", "general_industrial", "sludge", "medical", "construction"]


def tonnes(grams: int | None) -> str | None:
    return None if grams is None else str(tonnes_exact(grams))


class LineIn(Schema):
    waste_code: str = Field(..., description="国家危险废物名录 code, e.g. 900-249-08")
    waste_name: str
    physical_form: str = Field(..., description="形态, e.g. 液态 / 固态 / 半固态")
    packaging: str = Field(..., description="包装方式, e.g. 铁桶")
    weight_g: int = Field(..., gt=0, description="declared weight in grams")
    containers: list[str] = Field(default_factory=list, description="digital identification codes")
    container_count: int | None = Field(None, ge=0, description="default: the containers listed")
    hazard_characteristics: str = Field("", description="default: the code's, as listed")


class CarrierIn(Schema):
    carrier_uscc: str
    vehicle_plate: str
    licence_number: str
    origin: str = ""
    destination: str = ""


class ManifestIn(Schema):
    doc_type: DocTypeIn = "hazardous"
    shipper_uscc: str
    shipper_facility: str = Field(..., description="facility code of the shipper")
    receiver_uscc: str
    receiver_facility: str = Field(..., description="facility code of the receiver")
    receiver_permit: str | None = Field(None, description="licence number; found when omitted")
    approval: str | None = Field(None, description="cross-province approval number")
    planned_on: date
    emergency_measures: str = ""
    lines: list[LineIn]
    carriers: list[CarrierIn] = Field(..., description="in the order they carry the waste")


class CancelIn(Schema):
    reason: str = ""


class ReceiptLineIn(Schema):
    position: int
    received_weight_g: int = Field(..., ge=0)
    accepted_weight_g: int | None = Field(None, ge=0)
    observed_name: str = ""
    observed_characteristics: str = ""
    observed_form: str = ""
    observed_packaging: str = ""
    note: str = ""


class ReceiveIn(Schema):
    decision: Literal["accept", "partial", "refuse"]
    lines: list[ReceiptLineIn]


class TreatmentLineIn(Schema):
    position: int
    treatment_method: str = Field(..., description="利用/处置方式 code, e.g. D10")
    treated_weight_g: int = Field(..., gt=0)


class TreatmentIn(Schema):
    lines: list[TreatmentLineIn]


class RevisionIn(Schema):
    reason: str
    changes: dict[str, Any] = Field(
        ...,
        description='e.g. {"lines": {"1": {"weight_g": 240000}}, "planned_on": "2026-12-01"}',
    )


class DecisionIn(Schema):
    approve: bool


class ApprovalItemIn(Schema):
    waste_code: str
    approved_g: int = Field(..., gt=0)
    treatment_method: str | None = None


class ApprovalIn(Schema):
    number: str
    shipper_uscc: str
    receiver_uscc: str
    issued_by: str
    valid_from: date
    valid_until: date
    items: list[ApprovalItemIn]


class PartyOut(Schema):
    uscc: str
    name: str


class FacilityRef(Schema):
    code: str
    name: str
    region: str


class LineOut(Schema):
    position: int
    waste_code: str
    waste_name: str
    hazard_characteristics: str
    physical_form: str
    packaging: str
    container_count: int
    containers: list[str]
    weight_g: int
    weight_t: str
    received_weight_g: int | None
    received_weight_t: str | None
    accepted_weight_g: int | None
    accepted_weight_t: str | None
    treatment_method: str | None
    treated_weight_g: int | None
    treated_weight_t: str | None


class CarrierOut(Schema):
    position: int
    carrier: PartyOut
    vehicle: str
    licence: str
    origin: str
    destination: str
    picked_up_at: datetime | None
    delivered_at: datetime | None


class SignatureOut(Schema):
    id: int
    action: str
    party: str
    carrier_position: int | None
    organisation: PartyOut
    signer: str
    signed_at: datetime
    manifest_version: int
    content_hash: str
    copy_sha256: str
    copy_url: str


class DiscrepancyOut(Schema):
    line: int
    field: str
    declared: str
    observed: str
    note: str
    recorded_at: datetime


class RevisionApprovalOut(Schema):
    organisation: PartyOut
    approved: bool
    decided_at: datetime


class RevisionOut(Schema):
    id: int
    state: str
    reason: str
    changes: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    from_version: int
    requesting_party: PartyOut
    created_at: datetime
    closed_at: datetime | None
    approvers: list[PartyOut]
    approvals: list[RevisionApprovalOut]


class ManifestSummaryOut(Schema):
    number: str
    doc_type: str
    status: str
    return_status: str
    version: int
    shipper: PartyOut
    receiver: PartyOut
    planned_on: date
    created_at: datetime
    receipt_due_on: date | None
    has_discrepancy: bool
    received_late: bool


class ManifestOut(ManifestSummaryOut):
    shipper_facility: FacilityRef
    receiver_facility: FacilityRef
    receiver_permit: str | None
    approval: str | None
    emergency_measures: str
    total_weight_g: int
    total_weight_t: str
    shipper_signed_at: datetime | None
    picked_up_at: datetime | None
    arrived_at: datetime | None
    received_at: datetime | None
    treated_at: datetime | None
    cancelled_at: datetime | None
    lines: list[LineOut]
    carriers: list[CarrierOut]
    signatures: list[SignatureOut]
    discrepancies: list[DiscrepancyOut]
    revisions: list[RevisionOut]
    allowed_actions: list[str] = Field(..., description="steps the caller may take now")


class ApprovalItemOut(Schema):
    waste_code: str
    approved_g: int
    approved_t: str
    treatment_method: str | None


class ApprovalOut(Schema):
    number: str
    shipper: PartyOut
    receiver: PartyOut
    issued_by: str
    valid_from: date
    valid_until: date
    items: list[ApprovalItemOut]

"""Writes of the transfer engine: one service per step, each in one transaction.

Every step locks the manifest row, checks who acts (`wufei.transfer.actors`), asks the state
machine, writes the signature with its copy of record, the audit event and the webhook notices
(`wufei.transfer.steps`). The services are split by party; this package exports them all.
"""

from wufei.transfer.services.approvals import ApprovalItemInput, cross_province_approval_create
from wufei.transfer.services.drafting import (
    CarrierInput,
    DraftInput,
    LineInput,
    manifest_cancel,
    manifest_create,
    manifest_sign_shipper,
    manifest_update_draft,
)
from wufei.transfer.services.receipt import (
    ReceiptLine,
    TreatmentLine,
    manifest_receive,
    manifest_record_treatment,
)
from wufei.transfer.services.revisions import manifest_revision_decide, manifest_revision_request
from wufei.transfer.services.transport import (
    manifest_confirm_return,
    manifest_sign_delivery,
    manifest_sign_pickup,
    manifest_start_return,
)

__all__ = [
    "ApprovalItemInput",
    "CarrierInput",
    "DraftInput",
    "LineInput",
    "ReceiptLine",
    "TreatmentLine",
    "cross_province_approval_create",
    "manifest_cancel",
    "manifest_confirm_return",
    "manifest_create",
    "manifest_receive",
    "manifest_record_treatment",
    "manifest_revision_decide",
    "manifest_revision_request",
    "manifest_sign_delivery",
    "manifest_sign_pickup",
    "manifest_sign_shipper",
    "manifest_start_return",
    "manifest_update_draft",
]

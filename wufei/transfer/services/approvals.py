"""Cross-province transfer approvals (危险废物转移管理办法 第二十一条–第二十八条).

The provincial authority of the shipper's province approves a transfer to another province,
after the receiving province agrees (第二十一条); the decision names the codes, quantities and
methods (第二十七条) and is valid for twelve months at most. Here a regulator of the shipper's
province (or a platform administrator) records the decision so manifests can reference it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.alerts.triggers import alerts_event_later
from wufei.catalog.models import HazardousCode, TreatmentMethod
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.domain.transfer_approval import twelve_months_after
from wufei.registry.models import Organisation
from wufei.transfer.articles import article
from wufei.transfer.models import ApprovalItem, CrossProvinceApproval


@dataclass(frozen=True)
class ApprovalItemInput:
    waste_code: HazardousCode
    approved_g: int
    treatment_method: TreatmentMethod | None = None


def _province(organisation: Organisation) -> str:
    return organisation.region.code[:2]


def may_approve(viewer: Viewer, shipper: Organisation) -> bool:
    """A platform administrator, or a regulator of the whole shipper's province."""
    return viewer.is_admin or any(
        len(p) <= 2 and _province(shipper).startswith(p) for p in viewer.region_prefixes
    )


@transaction.atomic
def cross_province_approval_create(
    *,
    viewer: Viewer,
    actor: User,
    number: str,
    shipper: Organisation,
    receiver: Organisation,
    issued_by: str,
    valid_from: date,
    valid_until: date,
    items: Sequence[ApprovalItemInput],
) -> CrossProvinceApproval:
    """Record an approval decision; checked against 第二十七条 (12 months, codes, quantities)."""
    if not may_approve(viewer, shipper):
        raise NotPermitted(
            _("Only the provincial authority of the shipper's province approves (%(article)s).")
            % {"article": article("art21")},
            code="not_provincial_regulator",
        )
    number, issued_by = number.strip(), issued_by.strip()
    if not number or len(number) > 50:
        raise ValidationFailed(_("Give the approval number."), code="required", field="number")
    if not issued_by or len(issued_by) > 100:
        raise ValidationFailed(_("Name the issuing authority."), code="required", field="issued_by")
    if _province(shipper) == _province(receiver):
        raise ValidationFailed(
            _("Shipper and receiver are in the same province: no approval is needed."),
            code="same_province",
            field="receiver",
        )
    if valid_until < valid_from or valid_until > twelve_months_after(valid_from):
        raise ValidationFailed(
            _("An approval is valid for twelve months at most (%(article)s).")
            % {"article": article("art27")},
            code="validity_too_long",
            field="valid_until",
        )
    codes = [item.waste_code.pk for item in items]
    if not items or len(set(codes)) != len(codes):
        raise ValidationFailed(
            _("Give each approved waste code once."), code="items_invalid", field="items"
        )
    if any(not 0 < item.approved_g < 10**13 for item in items):
        raise ValidationFailed(
            _("Each approved quantity is a positive number of grams."),
            code="items_invalid",
            field="items",
        )
    try:
        with transaction.atomic():
            approval = CrossProvinceApproval.objects.create(
                number=number,
                shipper=shipper,
                receiver=receiver,
                issued_by=issued_by,
                valid_from=valid_from,
                valid_until=valid_until,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Approval %(number)s is already recorded.") % {"number": number},
            code="duplicate",
            field="number",
        ) from exc
    ApprovalItem.objects.bulk_create(
        [
            ApprovalItem(
                approval=approval,
                waste_code=item.waste_code,
                approved_g=item.approved_g,
                treatment_method=item.treatment_method,
            )
            for item in items
        ]
    )
    audit_append(
        actor=actor,
        organisation=None,
        action="cross_province_approval.create",
        subject_type="cross_province_approval",
        subject_id=number,
        payload={
            "shipper": shipper.uscc,
            "receiver": receiver.uscc,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "items": [{"code": i.waste_code.code, "approved_g": i.approved_g} for i in items],
        },
    )
    alerts_event_later(kind="manifest.changed", organisation_ids=[shipper.pk])
    return approval

"""Rules of a transfer between provinces (第二十一条, 第二十七条): an approval valid that day,
for these parties, covering each code with quantity left."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wufei.domain.transfer_approval import approval_last_day
from wufei.transfer.content import lines_of
from wufei.transfer.models import ApprovalItem, CrossProvinceApproval, Manifest, ManifestLine
from wufei.transfer.rule_failures import COUNTING_STATUSES, RuleFailure, failure
from wufei.transfer.rules import DocumentRules
from wufei.transfer.weights import tonnes_display


def is_cross_province(manifest: Manifest) -> bool:
    """Province of the shipper's facility ≠ the receiver's (GB/T 2260: first two digits)."""
    return manifest.shipper_facility.region.code[:2] != manifest.receiver_facility.region.code[:2]


def approval_shipped_g(
    approval: CrossProvinceApproval, *, excluding: Manifest | None
) -> dict[str, int]:
    """Grams already shipped under an approval, per waste code string."""
    qs = ManifestLine.objects.filter(
        manifest__approval=approval, manifest__status__in=COUNTING_STATUSES
    )
    if excluding is not None:
        qs = qs.exclude(manifest=excluding)
    rows = qs.values("waste_code__code").annotate(
        total=Sum(Coalesce("accepted_weight_g", "weight_g"))
    )
    return {row["waste_code__code"]: int(row["total"] or 0) for row in rows}


def check_cross_province_approval(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """A transfer between provinces has an approval valid that day (12 months at most, 第二十七条)
    for this shipper and receiver, covering each code with quantity left (第二十一条)."""
    if not rules.cross_province_approval_required or not is_cross_province(manifest):
        return []
    approval = manifest.approval
    values: dict[str, Any] = {
        "source": manifest.shipper_facility.region.code[:2],
        "target": manifest.receiver_facility.region.code[:2],
    }
    if approval is None:
        return [
            failure(
                "approval_missing",
                "art21",
                _(
                    "A transfer from province %(source)s to province %(target)s needs an "
                    "approved cross-province transfer."
                )
                % values,
                "approval",
            )
        ]
    values["approval"] = approval.number
    failures = []
    if approval.shipper_id != manifest.shipper_id or approval.receiver_id != manifest.receiver_id:
        failures.append(
            failure(
                "approval_parties",
                "art27",
                _("Approval %(approval)s is for another shipper or receiver.") % values,
                "approval",
            )
        )
    licence = manifest.receiver_permit
    last = approval_last_day(
        approval.valid_from,
        approval.valid_until,
        licence_until=licence.valid_until if licence else None,
    )
    if not approval.valid_from <= manifest.planned_on <= last:
        failures.append(
            failure(
                "approval_expired",
                "art27",
                _("Approval %(approval)s is not valid on %(day)s (valid %(start)s to %(end)s).")
                % {**values, "day": manifest.planned_on, "start": approval.valid_from, "end": last},
                "approval",
            )
        )
    items = {
        item.waste_code.code: item
        for item in ApprovalItem.objects.filter(approval=approval).select_related("waste_code")
    }
    shipped = approval_shipped_g(approval, excluding=manifest)
    weights: dict[str, int] = defaultdict(int)
    for line in lines_of(manifest):
        weights[line.waste_code.code] += line.weight_g
    for code, weight in weights.items():
        item = items.get(code)
        if item is None:
            failures.append(
                failure(
                    "approval_code",
                    "art27",
                    _("Approval %(approval)s does not cover waste code %(code)s.")
                    % {**values, "code": code},
                    "approval",
                )
            )
            continue
        left = item.approved_g - shipped.get(code, 0)
        if weight > left:
            failures.append(
                failure(
                    "approval_quantity",
                    "art27",
                    _(
                        "Approval %(approval)s has %(left)s t of %(code)s left; this manifest "
                        "carries %(weight)s t."
                    )
                    % {
                        **values,
                        "code": code,
                        "left": tonnes_display(max(left, 0)),
                        "weight": tonnes_display(weight),
                    },
                    "approval",
                )
            )
    return failures

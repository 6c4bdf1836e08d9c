"""The rule sets of the document engine: one `DocumentRules` per document type.

The engine (services, checks, pages) never asks "is this a hazardous-waste manifest?"; it asks
the rule set of the document's type what to check and how long a step may take. The hazardous
waste manifest under 危险废物转移管理办法 (部令第23号) is one configuration; the other streams
are configured beside it and can be tightened when their own rules are written down.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from wufei.registry.models import PermitKind
from wufei.transfer.models import DocType


@dataclass(frozen=True)
class DocumentRules:
    """What a document type requires before the shipper signs and at each later step."""

    doc_type: str
    # 接受人 must hold a permit of one of these kinds covering each code (empty: no permit check).
    receiver_permit_kinds: tuple[str, ...]
    # The permit's annual capacity bounds the year's signed transfers to it.
    check_receiver_capacity: bool
    # Without a permit check, the receiver must at least be a utilisation/disposal facility.
    receiver_must_be_treatment: bool
    # Kind of transport licence each carrier holds (None: any licence of the carrier's own).
    carrier_licence_kind: str | None
    # Every line lists its labelled containers (HJ 1276-2022; 第十三条 identification marks).
    labels_required: bool
    # A transfer between provinces needs an approval (第二十一条, 第二十七条).
    cross_province_approval_required: bool
    # Working days after arrival within which the receiver decides (第十八条).
    receipt_deadline_workdays: int
    # A received weight differing from the declared one by more than this fraction is a
    # quantity discrepancy (第十八条: 数量不符); any difference in name, characteristics, form or
    # packaging is a discrepancy.
    weight_tolerance: Decimal
    # The treatment method recorded must be one the receiver's permit lists (经营许可证 scope).
    treatment_method_from_permit: bool
    # The steps write the parties' HJ 1259-2022 management ledgers (hazardous streams).
    writes_ledger: bool
    # Numbering: year + province + city + six-digit running number per city (第十五条).
    numbering: str = "article15"


HAZARDOUS = DocumentRules(
    doc_type=DocType.HAZARDOUS,
    receiver_permit_kinds=(
        PermitKind.HW_COMPREHENSIVE,
        PermitKind.HW_COLLECTION,
        PermitKind.HW_SMALL_COLLECTION,
    ),
    check_receiver_capacity=True,
    receiver_must_be_treatment=False,
    carrier_licence_kind=PermitKind.ROAD_HAZMAT,
    labels_required=True,
    cross_province_approval_required=True,
    receipt_deadline_workdays=5,
    weight_tolerance=Decimal("0.05"),
    treatment_method_from_permit=True,
    writes_ledger=True,
)

# Medical waste (HW01) follows the hazardous manifest; its receivers may hold the medical waste
# disposal licence instead of a comprehensive one.
MEDICAL = replace(
    HAZARDOUS,
    doc_type=DocType.MEDICAL,
    receiver_permit_kinds=(PermitKind.MEDICAL_WASTE, PermitKind.HW_COMPREHENSIVE),
)

GENERAL_INDUSTRIAL = DocumentRules(
    doc_type=DocType.GENERAL_INDUSTRIAL,
    receiver_permit_kinds=(),
    check_receiver_capacity=False,
    receiver_must_be_treatment=True,
    carrier_licence_kind=None,
    labels_required=False,
    cross_province_approval_required=False,
    receipt_deadline_workdays=5,
    weight_tolerance=Decimal("0.10"),
    treatment_method_from_permit=False,
    writes_ledger=False,
)

# Sludge and construction waste (一车一单) run as general industrial waste until their own rules
# are written down.
SLUDGE = replace(GENERAL_INDUSTRIAL, doc_type=DocType.SLUDGE)
CONSTRUCTION = replace(GENERAL_INDUSTRIAL, doc_type=DocType.CONSTRUCTION)

RULES: dict[str, DocumentRules] = {
    rules.doc_type: rules
    for rules in (HAZARDOUS, MEDICAL, GENERAL_INDUSTRIAL, SLUDGE, CONSTRUCTION)
}


def rules_for(doc_type: str) -> DocumentRules:
    """The rule set of a document type; every DocType has one."""
    return RULES[doc_type]

"""The rules a manifest must satisfy before the shipper signs it.

Each rule is a named function citing its source; each returns every failure it finds, so the
shipper sees all that is wrong at once. `manifest_check` runs the rules the document type's
rule set (`wufei.transfer.rules`) switches on. The manifest must have been read with
`wufei.transfer.content.manifest_load` (lines, containers and carriers prefetched).
"""

from __future__ import annotations

from collections.abc import Callable

from wufei.transfer.checks_approval import check_cross_province_approval, is_cross_province
from wufei.transfer.checks_receiver import (
    check_receiver_capacity,
    check_receiver_is_treatment,
    check_receiver_permit,
    permit_covers,
)
from wufei.transfer.checks_shipment import (
    check_carriers_qualified,
    check_containers_labelled,
    check_ledger_holds_waste,
)
from wufei.transfer.models import Manifest
from wufei.transfer.rule_failures import COUNTING_STATUSES, ManifestInvalid, RuleFailure
from wufei.transfer.rules import DocumentRules

__all__ = [
    "CHECKS",
    "COUNTING_STATUSES",
    "ManifestInvalid",
    "RuleFailure",
    "is_cross_province",
    "manifest_check",
    "permit_covers",
]

Check = Callable[[Manifest, DocumentRules], list[RuleFailure]]
CHECKS: tuple[Check, ...] = (
    check_receiver_permit,
    check_receiver_capacity,
    check_receiver_is_treatment,
    check_carriers_qualified,
    check_containers_labelled,
    check_ledger_holds_waste,
    check_cross_province_approval,
)


def manifest_check(manifest: Manifest, rules: DocumentRules) -> list[RuleFailure]:
    """Every failure of every rule the document type applies (empty: the shipper may sign)."""
    return [failure for check in CHECKS for failure in check(manifest, rules)]

"""Removing a generated year: its signed documents, ledger, containers and audit entries.

Manifests, signatures and ledger events protect the organisations they name, and there are
hundreds of thousands of them, so they are deleted with one statement per table (foreign keys
are checked at commit, when all of them are gone). The audit log cannot lose a part in the
middle of its chain: a reset discards it whole (`audit_log_discard_all`), which is allowed only
when the log began with the demo district — otherwise the reset is refused and says why.
Manifest counters go back to the highest number still in use, so a new seed numbers alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wufei.core.audit import audit_chain_summary, audit_log_discard_all
from wufei.core.errors import Conflict
from wufei.demo.models import DemoDistrict
from wufei.domain.manifest_numbers import manifest_number_parse
from wufei.ledger.models import Container, LedgerEvent
from wufei.rollups.marks import rollups_touch_events, rollups_touch_manifests
from wufei.transfer.models import (
    ApprovalItem,
    CrossProvinceApproval,
    Discrepancy,
    Manifest,
    ManifestCarrier,
    ManifestCounter,
    ManifestLine,
    Revision,
    RevisionApproval,
    Signature,
)


def _raw_delete(qs: QuerySet[Any]) -> None:
    """One DELETE statement, without collecting each row first (foreign keys: at commit)."""
    qs._raw_delete(qs.db)


def demo_audit_discard(districts: Iterable[DemoDistrict]) -> None:
    """Empty the audit log if every entry in it was written since the demo was seeded."""
    last, _hash = audit_chain_summary()
    if last == 0:
        return
    starts = [d.audit_from for d in districts if d.audit_from is not None]
    if not starts or min(starts) > 1:
        raise Conflict(
            _(
                "The audit log holds entries recorded before the demo district was seeded; a "
                "reset would break its hash chain. Seed the demo into a fresh database."
            ),
            code="demo_audit_not_own",
        )
    audit_log_discard_all()


def demo_year_clear(*, organisation_ids: list[int]) -> None:
    """Delete every manifest, ledger event and container of these organisations."""
    manifests = Manifest.objects.filter(
        Q(shipper_id__in=organisation_ids)
        | Q(receiver_id__in=organisation_ids)
        | Q(carriers__carrier_id__in=organisation_ids)
    ).distinct()
    ids = list(manifests.values_list("pk", flat=True))
    rollups_touch_manifests(manifests=Manifest.objects.filter(pk__in=manifests.values("pk")))
    rollups_touch_events(events=LedgerEvent.objects.filter(organisation_id__in=organisation_ids))
    cities = {
        (n.year, n.province, n.city)
        for n in map(manifest_number_parse, manifests.values_list("number", flat=True))
    }
    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        _raw_delete(Signature.objects.filter(manifest_id__in=chunk))
        _raw_delete(Discrepancy.objects.filter(manifest_id__in=chunk))
        _raw_delete(RevisionApproval.objects.filter(revision__manifest_id__in=chunk))
        _raw_delete(Revision.objects.filter(manifest_id__in=chunk))
        _raw_delete(LedgerEvent.objects.filter(manifest_id__in=chunk))
        _raw_delete(
            ManifestLine.containers.through.objects.filter(manifestline__manifest_id__in=chunk)
        )
        _raw_delete(ManifestLine.objects.filter(manifest_id__in=chunk))
        _raw_delete(ManifestCarrier.objects.filter(manifest_id__in=chunk))
        _raw_delete(Manifest.objects.filter(pk__in=chunk))
    _raw_delete(LedgerEvent.objects.filter(organisation_id__in=organisation_ids))
    approvals = CrossProvinceApproval.objects.filter(
        Q(shipper_id__in=organisation_ids) | Q(receiver_id__in=organisation_ids)
    )
    _raw_delete(ApprovalItem.objects.filter(approval__in=approvals))
    _raw_delete(approvals)
    _raw_delete(Container.objects.filter(organisation_id__in=organisation_ids))
    for year, province, city in cities:
        left = Manifest.objects.filter(number__startswith=f"{year:04d}{province}{city}")
        highest = max(
            (manifest_number_parse(n).sequence for n in left.values_list("number", flat=True)),
            default=0,
        )
        ManifestCounter.objects.filter(year=year, province=province, city=city).update(
            last_sequence=highest
        )

"""Write a planned demo year (`wufei.domain.demo_events.YearPlan`) into the database.

Everything goes in bulk, in one transaction, in the order foreign keys need: signing members,
containers and cross-province approvals, manifests with their lines and carriers, ledger
events, signatures with their copies of record, discrepancies and revisions, the seeded
problems, and last the audit entries of all of it, chained after the current head. The rows are
those the per-step services would have written (see `year_ledger`, `year_manifests`,
`year_signatures`); going around the services is what makes a year take seconds, not hours.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction

from wufei.demo.models import DemoDistrict, DemoIncident
from wufei.demo.year_audit import AuditDrafts, audit_chain_append
from wufei.demo.year_context import YearContext, year_context_build
from wufei.demo.year_ledger import approvals_write, containers_write, events_write
from wufei.demo.year_manifests import manifests_write
from wufei.demo.year_signatures import signatures_write
from wufei.domain.demo_year_records import YearPlan
from wufei.ledger.models import LedgerEvent
from wufei.rollups.marks import rollups_touch_events, rollups_touch_manifests
from wufei.transfer.models import Manifest


@dataclass
class YearSummary:
    """What was written, and how long each part took (seconds)."""

    containers: int = 0
    events: int = 0
    manifests: int = 0
    signatures: int = 0
    audit_entries: int = 0
    incidents: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


class _Clock:
    def __init__(self, summary: YearSummary) -> None:
        self.summary, self.last = summary, time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.summary.timings[name] = round(now - self.last, 2)
        self.last = now


def _incidents(
    ctx: YearContext,
    year: YearPlan,
    *,
    manifests: list[Manifest],
    events: list[int],
) -> list[DemoIncident]:
    rows = [
        DemoIncident(
            district=ctx.district,
            kind=i.kind,
            organisation=ctx.orgs[i.organisation],
            manifest=manifests[i.manifest] if i.manifest is not None else None,
            ledger_event_id=events[i.event] if i.event is not None else None,
            rule=i.rule,
            description=i.description,
        )
        for i in year.incidents
    ]
    return DemoIncident.objects.bulk_create(rows)


@transaction.atomic
def demo_year_write(*, district: DemoDistrict, year: YearPlan) -> YearSummary:
    """Write `year` for `district` (seeded from the same plan); return what was written."""
    summary = YearSummary()
    clock = _Clock(summary)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A year is one big transaction: keep its pages in memory instead of spilling
            # them to disk while it runs (this connection only; 256 MB at most).
            cursor.execute("PRAGMA cache_size = -262144")
    audit = AuditDrafts()
    ctx = year_context_build(district=district, year=year)
    containers = containers_write(ctx, year, audit)
    approvals = approvals_write(ctx, year, audit)
    clock.lap("containers")
    sheets = manifests_write(ctx, year, containers=containers, approvals=approvals)
    manifests = [s.manifest for s in sheets]
    clock.lap("manifests")
    events = events_write(ctx, year, audit, containers=containers, manifests=manifests)
    clock.lap("ledger events")
    summary.signatures = signatures_write(ctx, year, audit, sheets=sheets, events=events)
    clock.lap("signatures")
    incidents = _incidents(ctx, year, manifests=manifests, events=events)
    org_ids = [org.pk for org in ctx.orgs.values()]
    rollups_touch_events(events=LedgerEvent.objects.filter(organisation_id__in=org_ids))
    rollups_touch_manifests(manifests=Manifest.objects.filter(shipper_id__in=org_ids))
    first, last = audit_chain_append(audit)
    if district.audit_from is None:
        district.audit_from = first
        district.save(update_fields=["audit_from"])
    clock.lap("audit chain")
    summary.containers, summary.events, summary.manifests = (
        len(containers),
        len(events),
        len(manifests),
    )
    summary.audit_entries = last - first + 1
    summary.incidents = dict(Counter(i.kind for i in incidents))
    return summary

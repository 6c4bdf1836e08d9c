"""Marking partitions stale: called by every write to the spine, inside its transaction.

A mark is a plain insert (no unique key, no upsert), so concurrent writers never wait on each
other here, and a refresh deletes exactly the marks it read: a mark committed while a refresh
runs survives for the next one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.db.models.functions import TruncYear
from django.utils import timezone

from wufei.ledger.models import EventKind, LedgerEvent
from wufei.rollups.models import RollupMark
from wufei.transfer.models import Manifest

Partition = tuple[int, int]  # (organisation id, year)
# The ledger events the cells sum: generation, in-house treatment and hand-over (HJ 1259
# B.1, B.4, B.5) for the flows and indicators, and receipts for the map's tonnage (`MAP_KINDS`).
# Store-in and store-out change no cell, so they mark nothing.
MAP_KINDS = (EventKind.GENERATE, EventKind.HAND_OVER, EventKind.RECEIVE)
SUMMED_KINDS = (
    EventKind.GENERATE,
    EventKind.TREAT_IN_HOUSE,
    EventKind.HAND_OVER,
    EventKind.RECEIVE,
)
MANIFEST_MOMENTS = ("picked_up_at", "received_at", "treated_at")


def year_of(moment: datetime) -> int:
    """The partition's year of `moment`: its year in local time."""
    return timezone.localtime(moment).year


def rollups_touch(*, partitions: Iterable[Partition]) -> int:
    """Mark these (organisation id, year) partitions stale; answers how many marks."""
    marks = [RollupMark(organisation_id=org, year=year) for org, year in set(partitions)]
    RollupMark.objects.bulk_create(marks, batch_size=2000)
    return len(marks)


def rollups_touch_event(*, organisation_id: int, kind: str, occurred_at: datetime) -> int:
    """A ledger event was written: its organisation's year, if the cells sum its kind."""
    if kind not in SUMMED_KINDS:
        return 0
    return rollups_touch(partitions=[(organisation_id, year_of(occurred_at))])


def rollups_touch_manifest(*, manifest: Manifest) -> int:
    """A manifest changed: its shipper's years of pick-up, receipt and treatment."""
    moments = [getattr(manifest, name) for name in MANIFEST_MOMENTS]
    return rollups_touch(
        partitions=[(manifest.shipper_id, year_of(m)) for m in moments if m is not None]
    )


def rollups_touch_events(*, events: QuerySet[LedgerEvent]) -> int:
    """Many ledger events changed (an import, a seeded year, a deletion): one grouped query."""
    rows = (
        events.order_by()
        .filter(kind__in=SUMMED_KINDS)
        .annotate(year=TruncYear("occurred_at"))
        .values_list("organisation_id", "year")
        .distinct()
    )
    return rollups_touch(partitions=[(org, year_of(year)) for org, year in rows])


def rollups_touch_manifests(*, manifests: QuerySet[Manifest]) -> int:
    """Many manifests changed: each shipper's years of pick-up, receipt and treatment."""
    partitions: set[Partition] = set()
    for name in MANIFEST_MOMENTS:
        rows = (
            manifests.order_by()
            .filter(**{f"{name}__isnull": False})
            .annotate(year=TruncYear(name))
            .values_list("shipper_id", "year")
            .distinct()
        )
        partitions.update((org, year_of(year)) for org, year in rows)
    return rollups_touch(partitions=partitions)

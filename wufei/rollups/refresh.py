"""Refreshing the maintained aggregates: rebuild the marked partitions, or everything.

Readers call `rollups_refresh` before they read cells (cheap when nothing is marked: one
indexed query), the periodic sweep calls it so that readers rarely have work to do, and
`wufei refresh_rollups --all` rebuilds every cell (after a restore, or to check).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Min

from wufei.ledger.models import LedgerEvent
from wufei.rollups.cells import cells_rebuild
from wufei.rollups.marks import year_of
from wufei.rollups.models import CELL_MODELS, RollupLock, RollupMark
from wufei.transfer.models import Manifest

ORGANISATIONS_PER_PASS = 500
MARKS_PER_DELETE = 900


@dataclass(frozen=True)
class RefreshSummary:
    partitions: int = 0
    flow_cells: int = 0
    spine_cells: int = 0


def _lock() -> None:
    """Serialise refreshes (the row is created on first use)."""
    RollupLock.objects.get_or_create(id=1)
    RollupLock.objects.select_for_update().get(id=1)


def _rebuild(org_ids: list[int], first: int, last: int) -> tuple[int, int]:
    flow = spine = 0
    for i in range(0, len(org_ids), ORGANISATIONS_PER_PASS):
        f, s = cells_rebuild(org_ids[i : i + ORGANISATIONS_PER_PASS], first, last)
        flow, spine = flow + f, spine + s
    return flow, spine


def rollups_pending() -> bool:
    """Whether any partition is marked stale."""
    return RollupMark.objects.exists()


@transaction.atomic
def rollups_refresh() -> RefreshSummary:
    """Rebuild the partitions marked stale and delete exactly the marks read.

    Organisations marked for the same span of years are rebuilt together, every year of the
    span (usually one).
    """
    _lock()
    marks = list(RollupMark.objects.values_list("pk", "organisation_id", "year"))
    if not marks:
        return RefreshSummary()
    spans: dict[int, tuple[int, int]] = {}
    for _pk, org, year in marks:
        first, last = spans.get(org, (year, year))
        spans[org] = (min(first, year), max(last, year))
    by_span: dict[tuple[int, int], list[int]] = {}
    for org, span in spans.items():
        by_span.setdefault(span, []).append(org)
    flow = spine = partitions = 0
    for (first, last), orgs in by_span.items():
        f, s = _rebuild(sorted(orgs), first, last)
        flow, spine = flow + f, spine + s
        partitions += len(orgs) * (last - first + 1)
    ids = [pk for pk, _org, _year in marks]
    for i in range(0, len(ids), MARKS_PER_DELETE):
        RollupMark.objects.filter(pk__in=ids[i : i + MARKS_PER_DELETE]).delete()
    return RefreshSummary(partitions=partitions, flow_cells=flow, spine_cells=spine)


def _span() -> tuple[int, int] | None:
    """The first and last year of any ledger event or manifest moment."""
    moments = [
        *LedgerEvent.objects.aggregate(a=Min("occurred_at"), b=Max("occurred_at")).values(),
        *Manifest.objects.aggregate(
            a=Min("picked_up_at"),
            b=Max("picked_up_at"),
            c=Min("received_at"),
            d=Max("received_at"),
            e=Min("treated_at"),
            f=Max("treated_at"),
        ).values(),
    ]
    known = [year_of(m) for m in moments if m is not None]
    if not known:
        return None
    return min(known), max(known)


@transaction.atomic
def rollups_rebuild_all() -> RefreshSummary:
    """Delete every cell and every mark and compute all cells from the raw rows."""
    _lock()
    mark_ids = list(RollupMark.objects.values_list("pk", flat=True))
    for model in CELL_MODELS:
        model._default_manager.all().delete()
    transaction.on_commit(rollups_analyze)
    span = _span()
    flow = spine = partitions = 0
    if span is not None:
        orgs = sorted(
            set(LedgerEvent.objects.values_list("organisation_id", flat=True).distinct())
            | set(Manifest.objects.values_list("shipper_id", flat=True).distinct())
        )
        flow, spine = _rebuild(orgs, *span)
        partitions = len(orgs) * (span[1] - span[0] + 1)
    for i in range(0, len(mark_ids), MARKS_PER_DELETE):
        RollupMark.objects.filter(pk__in=mark_ids[i : i + MARKS_PER_DELETE]).delete()
    return RefreshSummary(partitions=partitions, flow_cells=flow, spine_cells=spine)


def rollups_analyze() -> None:
    """After every cell was replaced, refresh PostgreSQL's statistics of the cell tables:
    until autovacuum gets to them the planner counts the deleted rows too, misjudges the
    year's cells by four and sorts them on disk instead of hashing (bench/RESULTS.md)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in CELL_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

"""Re-run the warning rules when the spine changes, once per transaction and after it commits.

Services of other apps call `alerts_event_later(kind=…, organisation_ids=…)` inside their
transaction. The organisations are collected per event kind and handed to
`alerts_on_event` once the outermost transaction commits (never if it rolls back), so a pick-up
that writes ten ledger events re-runs the stock rules once, not ten times.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from wufei.core.tasks import run_after_commit

_pending = threading.local()


def _flush() -> None:
    batch: dict[str, set[int]] = getattr(_pending, "batch", {})
    _pending.batch = {}
    for kind, organisation_ids in batch.items():
        run_after_commit(_runner(kind, frozenset(organisation_ids)))


def _runner(kind: str, organisation_ids: frozenset[int]) -> Callable[[], None]:
    def run() -> None:
        from wufei.alerts.engine import alerts_on_event

        alerts_on_event(kind=kind, organisation_ids=set(organisation_ids))

    run.__name__ = f"alerts_on_event[{kind}]"
    return run


def alerts_event_later(*, kind: str, organisation_ids: Iterable[int]) -> None:
    """Queue a re-run of the rules triggered by `kind` for these organisations."""
    ids = {i for i in organisation_ids if i is not None}
    if not ids:
        return
    if not connection.in_atomic_block:
        _pending.batch = {kind: ids}
        _flush()
        return
    # A rolled-back transaction drops its on-commit callbacks: start afresh when ours is gone.
    queued = any(entry[1] is _flush for entry in connection.run_on_commit)
    if not queued:
        _pending.batch = {}
        transaction.on_commit(_flush)
    _pending.batch.setdefault(kind, set()).update(ids)

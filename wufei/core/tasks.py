"""Side effects after commit, run in-process (ADR 0007: no broker needed by default).

`run_after_commit(fn)` registers `fn` to run once the current transaction commits (at once when
there is none), so nothing is sent for a change that is rolled back. By default `fn` is handed to
a small thread pool, so the request that committed does not wait; with
`settings.WUFEI_TASKS_EAGER` (tests) it runs synchronously. Either way an error is logged and
never raised into the request: whatever `fn` does must be retried by its own means
(webhook deliveries stay due and `wufei deliver_webhooks` picks them up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wufei-task")


def _run_logged(fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception:
        logger.exception("after-commit task %r failed", getattr(fn, "__name__", fn))


def _run_in_worker(fn: Callable[[], None]) -> None:
    """Run in a pool thread, which opens its own database connections: close them after."""
    close_old_connections()
    try:
        _run_logged(fn)
    finally:
        connections.close_all()


def _dispatch(fn: Callable[[], None]) -> None:
    if settings.WUFEI_TASKS_EAGER:
        _run_logged(fn)
    else:
        _executor.submit(_run_in_worker, fn)


def run_after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` after the current transaction commits; never if it rolls back."""
    transaction.on_commit(lambda: _dispatch(fn))

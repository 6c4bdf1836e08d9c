"""The periodic sweep inside the web process: the embedded default (ADR 0007), no worker needed.

`wufei/wsgi.py` starts one daemon thread per process when `WUFEI_ALERT_SWEEP_SECONDS` > 0; it
sweeps every rule at that interval, then raises the 督办 of overdue plan tasks and projects
(`wufei raise_followups` does the same from cron) and rebuilds the aggregates' stale
partitions (`wufei refresh_rollups`). Several server processes each sweep: the
engine is idempotent and its unique index keeps warnings single, so that costs time, not
correctness.
Deployments with a worker run `wufei sweep_alerts --loop` (or the Celery beat task) and set the
interval to 0.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_started: threading.Thread | None = None
_lock = threading.Lock()


def _sweep_once() -> None:
    from wufei.alerts.engine import alerts_sweep

    close_old_connections()
    try:
        result = alerts_sweep()
        logger.info(
            "periodic sweep: %s raised, %s resolved, %s escalated",
            result.raised,
            result.resolved,
            result.escalated,
        )
    except Exception:
        logger.exception("periodic warning sweep failed")
    try:
        from wufei.plans.followups import plans_followups_hook

        plans_followups_hook()  # overdue tasks and projects get their 督办
    except Exception:
        logger.exception("periodic follow-up run failed")
    try:
        from wufei.rollups.refresh import rollups_refresh

        rollups_refresh()  # readers then rarely find a stale partition to rebuild
    except Exception:
        logger.exception("periodic refresh of the aggregates failed")
    finally:
        connections.close_all()


def alerts_schedule_in_process(
    *,
    interval_s: float,
    sweep: Callable[[], None] = _sweep_once,
    stop: threading.Event | None = None,
) -> threading.Thread | None:
    """Start the sweeping thread unless one runs in this process or the interval is 0."""
    global _started
    if interval_s <= 0:
        return None
    with _lock:
        if _started is not None and _started.is_alive():
            return None
        halt = stop or threading.Event()

        def loop() -> None:
            while not halt.wait(interval_s):
                sweep()

        _started = threading.Thread(target=loop, name="wufei-alert-sweep", daemon=True)
        _started.start()
        return _started

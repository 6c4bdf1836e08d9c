"""Periodic sweeps as a Celery beat task, for deployments that run Celery on Redis.

The embedded default needs no broker (ADR 0007): the web process sweeps in a thread
(`wufei/alerts/schedule.py`) or `wufei sweep_alerts --loop` runs as a worker. A deployment that
already runs Celery sets `WUFEI_CELERY_BROKER_URL` (e.g. redis://127.0.0.1:6379/0), installs
the `celery` extra, sets `WUFEI_ALERT_SWEEP_SECONDS=0` for the web processes and starts

    celery -A wufei.celery_app worker --beat

which sweeps every rule every `WUFEI_CELERY_SWEEP_SECONDS` (default 300).
"""

from __future__ import annotations

import os
from typing import Any

TASK_NAME = "wufei.alerts.sweep"


def run_sweep() -> dict[str, int]:
    """The task body: one sweep of every rule, summarised for the result backend."""
    from django.db import close_old_connections

    from wufei.alerts.engine import alerts_sweep

    close_old_connections()
    result = alerts_sweep()
    return {
        "raised": result.raised,
        "refreshed": result.refreshed,
        "resolved": result.resolved,
        "escalated": result.escalated,
        "failed": len(result.rules_failed),
    }


def celery_app_build(*, broker_url: str, sweep_seconds: float = 300.0) -> Any:
    """A Celery app on `broker_url` (also the result backend) with the sweep task and its
    beat schedule registered."""
    from celery import Celery

    app = Celery("wufei", broker=broker_url, backend=broker_url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="Asia/Shanghai",
        beat_schedule={
            "wufei-alerts-sweep": {"task": TASK_NAME, "schedule": sweep_seconds},
        },
    )
    app.task(name=TASK_NAME)(run_sweep)
    return app


def celery_broker_url() -> str | None:
    return os.environ.get("WUFEI_CELERY_BROKER_URL") or None

"""The sweep as a Celery task on a real Redis broker, run by a real (in-thread) Celery worker.

CI's machine runs Redis on 127.0.0.1:6379 and sets WUFEI_REQUIRE_REDIS=1; elsewhere the test is
skipped when no Redis answers."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
from django.core.management import call_command

from tests.alerts.conftest import FakeRule, Parties, finding
from wufei.alerts.celery_tasks import TASK_NAME, celery_app_build
from wufei.alerts.models import Alert

REDIS = os.environ.get("WUFEI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    if not _redis_answers():
        if os.environ.get("WUFEI_REQUIRE_REDIS") == "1":
            pytest.fail("WUFEI_REQUIRE_REDIS=1 but no Redis answers on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    return REDIS


def test_the_beat_schedule_names_the_sweep_task():
    app = celery_app_build(broker_url="memory://", sweep_seconds=120)
    assert app.conf.beat_schedule["wufei-alerts-sweep"] == {"task": TASK_NAME, "schedule": 120}
    assert TASK_NAME in app.tasks


@pytest.fixture
def catalogs(transactional_db: object) -> None:
    """Regions and catalogs again: an earlier transactional test may have flushed them."""
    call_command("load_catalogs", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_runs_the_sweep_and_raises_the_warning(
    redis_url: str, catalogs: None, fake_rule: FakeRule, parties: Parties
) -> None:
    from celery.contrib.testing.worker import start_worker

    fake_rule.found = [finding(parties.org)]
    app = celery_app_build(broker_url=redis_url)
    app.conf.task_default_queue = f"wufei-test-{uuid.uuid4().hex[:8]}"
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        summary = app.tasks[TASK_NAME].delay().get(timeout=60)
    assert summary["raised"] == 1 and summary["failed"] == 0
    alert = Alert.objects.get(rule=fake_rule.code)
    assert alert.organisation == parties.org

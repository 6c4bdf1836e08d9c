"""Sweeps racing over the same situations leave one alert per situation. Real threads, each
with its own database connection (SQLite serialises writers; PostgreSQL meets the constraint)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.alerts.conftest import FAKE, FakeRule, finding
from tests.core.sqlite_locks import retry_when_table_locked
from tests.registry.factories import make_org
from wufei.alerts.engine import SweepResult, alerts_sweep
from wufei.alerts.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_sweeps_raise_each_situation_once(
    transactional_db: Any, fake_rule: FakeRule
) -> None:
    call_command("load_catalogs", verbosity=0)
    org = make_org(is_producer=True)
    fake_rule.found = [finding(org, f"manifest:{n}") for n in range(5)]
    barrier = threading.Barrier(4)

    def sweep() -> SweepResult:
        try:
            barrier.wait()
            return retry_when_table_locked(lambda: alerts_sweep(rule_codes=[FAKE]))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sweep(), range(4)))
    assert sum(r.raised for r in results) == 5
    assert sum(r.raised + r.refreshed for r in results) == 20
    assert Alert.objects.filter(rule=FAKE).count() == 5

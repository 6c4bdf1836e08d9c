"""Two people taking the last kilograms of a batch at once: one wins, the ledger never goes
negative. Concurrent records on one day get distinct batch codes. Real threads, each with its
own database connection (SQLite: the IMMEDIATE transaction serialises; PostgreSQL: the source
row is locked)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.core.sqlite_locks import retry_when_table_locked
from tests.ledger import ledger_world as lw
from wufei.core.audit import audit_verify
from wufei.core.errors import DomainError
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.selectors import event_remaining_g

pytestmark = pytest.mark.django_db(transaction=True)
KG = lw.KG


@pytest.fixture
def w(transactional_db):
    call_command("load_catalogs", verbosity=0)  # an earlier transactional test may have flushed
    return lw.build_world()


def race(calls: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> tuple[str, Any]:
        try:
            barrier.wait()
            return ("ok", retry_when_table_locked(call))
        except DomainError as exc:
            return ("refused", exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_store_outs_racing_for_the_last_stock_leave_one(w) -> None:
    gen = lw.record(w, EventKind.GENERATE, quantity_g=100 * KG, occurred_at=lw.days_ago(3))
    stored = lw.record(w, EventKind.STORE_IN, source=gen, occurred_at=lw.days_ago(2))
    calls = [
        lambda: lw.record(
            w, EventKind.STORE_OUT, source=stored, quantity_g=60 * KG, occurred_at=lw.days_ago(1)
        )
        for _ in range(4)
    ]
    results = race(calls)
    assert sorted(kind for kind, _ in results) == ["ok", "refused", "refused", "refused"]
    assert {exc.code for kind, exc in results if kind == "refused"} == {"exceeds_stock"}
    assert LedgerEvent.objects.filter(kind=EventKind.STORE_OUT).count() == 1
    assert event_remaining_g(stored) == 40 * KG
    assert audit_verify() is None


def test_concurrent_records_of_one_day_get_distinct_codes(w) -> None:
    moment = lw.days_ago(1)
    calls = [
        lambda: lw.record(w, EventKind.GENERATE, occurred_at=moment).batch_code for _ in range(8)
    ]
    results = race(calls)
    assert [kind for kind, _ in results] == ["ok"] * 8
    codes = sorted(code for _, code in results)
    assert [code[-3:] for code in codes] == [f"{n:03d}" for n in range(1, 9)]

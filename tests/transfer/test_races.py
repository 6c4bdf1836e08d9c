"""Parties racing on the same step leave exactly one result; concurrent creations get distinct,
consecutive numbers. Real threads, each with its own database connection (SQLite and PG)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.core.sqlite_locks import retry_when_table_locked
from tests.transfer.network import as_, build_network, draft, lifecycle
from wufei.core.errors import DomainError
from wufei.domain.manifest_numbers import manifest_number_parse
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.transfer import services as s
from wufei.transfer.models import Manifest, Signature

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tnet(transactional_db):
    call_command("load_catalogs", verbosity=0)
    return build_network()


def race(calls: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Start every call at the same moment on its own thread and connection (an in-memory
    SQLite transaction that meets a lock is retried whole, as the busy timeout would)."""
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


def test_twenty_concurrent_creations_get_twenty_consecutive_numbers(tnet):
    calls = [
        lambda: s.manifest_create(**as_(tnet.alice), draft=draft(tnet)).number for _ in range(20)
    ]
    results = race(calls)
    assert [kind for kind, _ in results] == ["ok"] * 20
    numbers = sorted(value for _, value in results)
    assert len(set(numbers)) == 20
    assert [manifest_number_parse(n).sequence for n in numbers] == list(range(1, 21))
    assert Manifest.objects.count() == 20


def test_two_carrier_users_signing_one_pickup_leave_one_signature(tnet):
    manifest = lifecycle(tnet, until="sign_shipper")
    results = race(
        [
            lambda: s.manifest_sign_pickup(**as_(tnet.kate), manifest=manifest),
            lambda: s.manifest_sign_pickup(**as_(tnet.dave), manifest=manifest),
        ]
    )
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["ok", "refused"]
    refusal = next(value for kind, value in results if kind == "refused")
    assert refusal.status == 409 and refusal.code == "already_signed"
    assert Signature.objects.filter(manifest=manifest, action="sign_pickup").count() == 1
    handed_over = LedgerEvent.objects.filter(manifest=manifest, kind=EventKind.HAND_OVER)
    assert sum(e.quantity_g for e in handed_over) == manifest.lines.get().weight_g


def test_receiver_accepting_twice_concurrently_records_one_receipt(tnet):
    manifest = lifecycle(tnet, until="deliver")
    weight = manifest.lines.get().weight_g

    def accept(user):
        return lambda: s.manifest_receive(
            **as_(user),
            manifest=manifest,
            decision="accept",
            lines=[s.ReceiptLine(position=1, received_weight_g=weight)],
        )

    results = race([accept(tnet.rita), accept(tnet.rudi)])
    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    refusal = next(value for kind, value in results if kind == "refused")
    assert refusal.code == "already_signed"
    receipts = LedgerEvent.objects.filter(manifest=manifest, kind=EventKind.RECEIVE)
    assert receipts.count() == 1 and receipts.get().quantity_g == weight
    assert Manifest.objects.get(pk=manifest.pk).status == "accepted"

"""Concurrent appends queue on the chain head: sequences 1..N without gaps or forks."""

from __future__ import annotations

import functools
import threading

import pytest
from django.db import connection, transaction

from tests.core.sqlite_locks import retry_when_table_locked
from wufei.core.audit import audit_append, audit_verify
from wufei.core.audit_models import AuditEvent

WRITERS = 8
EACH = 5


def _append_one(index: int, n: int) -> None:
    with transaction.atomic():
        audit_append(
            actor=None,
            organisation=None,
            action="race.append",
            subject_type="writer",
            subject_id=str(index),
            payload={"n": n},
        )


def _writer(index: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait()
        for n in range(EACH):
            retry_when_table_locked(functools.partial(_append_one, index, n))
    except BaseException as exc:  # reported to the main thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_leave_one_gapless_chain():
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(i, barrier, errors)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = list(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EACH + 1))
    assert audit_verify() is None

"""The audit log: every event chained to the last, stored as hashed, refused to UPDATE."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.registry import factories as f
from wufei.core.audit import (
    AuditOutsideTransaction,
    audit_append,
    audit_envelope,
    audit_log_discard_all,
    audit_verify,
)
from wufei.core.audit_models import AuditChainHead, AuditEvent
from wufei.domain.hash_chain import GENESIS, link_hash

pytestmark = pytest.mark.django_db


def _append(n: int = 1, **overrides) -> list[AuditEvent]:
    events = []
    for i in range(n):
        fields: dict[str, Any] = {
            "actor": None,
            "organisation": None,
            "action": "manifest.signed",
            "subject_type": "manifest",
            "subject_id": f"M{i}",
            "payload": {"step": i},
        }
        fields.update(overrides)
        events.append(audit_append(**fields))
    return events


def test_events_chain_from_genesis_in_sequence():
    first, second, third = _append(3)
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.entry_hash) == (3, third.entry_hash)
    assert audit_verify() is None


def test_what_is_stored_is_exactly_what_was_hashed():
    user = f.make_user()
    org = f.make_org()
    shanghai = ZoneInfo("Asia/Shanghai")
    event = audit_append(
        actor=user,
        organisation=org,
        action="ledger.recorded",
        subject_type="ledger_event",
        subject_id=42,  # type: ignore[arg-type]  # a caller passing an int is tolerated
        payload={"kg": Decimal("1.500"), "on": date(2025, 10, 1), "名称": "废矿物油"},
        occurred_at=datetime(2025, 10, 1, 8, 30, 15, 123456, tzinfo=shanghai),
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.payload == {"kg": "1.500", "on": "2025-10-01", "名称": "废矿物油"}
    assert stored.subject_id == "42"
    assert link_hash(stored.previous_hash, audit_envelope(stored)) == stored.entry_hash
    envelope = audit_envelope(stored)
    assert envelope["occurred_at"] == "2025-10-01T00:30:15.123456+00:00"
    assert (envelope["actor"], envelope["organisation"]) == (user.pk, org.pk)


def test_append_outside_a_transaction_is_refused(monkeypatch):
    monkeypatch.setattr("wufei.core.audit.connection", SimpleNamespace(in_atomic_block=False))
    with pytest.raises(AuditOutsideTransaction, match=r"transaction\.atomic"):
        _append()


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        _append(occurred_at=datetime(2025, 1, 1, 8, 0))


def test_the_database_refuses_update():
    (event,) = _append()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="manifest.cancelled")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.payload = {"step": 99}
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).payload == {"step": 0}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite refuses UPDATE only (ADR 0008)"
)
def test_postgresql_refuses_delete():
    (event,) = _append()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _drop_triggers() -> None:
    """What an attacker with database access does first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditevent_append_only ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")


def test_verify_chain_names_the_tampered_event(capsys):
    _append(5)
    call_command("verify_chain")
    assert "chain intact: 5 events, head" in capsys.readouterr().out

    _drop_triggers()
    with connection.cursor() as cursor:  # raw SQL, bypassing the application
        cursor.execute(
            "UPDATE core_auditevent SET payload = %s WHERE sequence = 3", ['{"step": 300}']
        )
    broken = audit_verify()
    assert broken is not None
    assert broken.sequence == 3
    assert "content does not match" in broken.reason
    with pytest.raises(CommandError, match=r"#3 \(manifest\.signed manifest:M2"):
        call_command("verify_chain")


def test_rehashing_the_tampered_row_breaks_the_next_link():
    _append(4)
    _drop_triggers()
    event = AuditEvent.objects.get(sequence=2)
    event.payload = {"step": 200}
    forged = link_hash(event.previous_hash, audit_envelope(event))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET payload = %s, entry_hash = %s WHERE sequence = 2",
            ['{"step": 200}', forged],
        )
    broken = audit_verify()
    assert broken is not None and broken.sequence == 3
    assert "previous hash" in broken.reason


def test_a_deleted_event_is_detected():
    _append(4)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE sequence = 2")
    broken = audit_verify()
    assert broken is not None and broken.sequence == 3
    assert "sequence gap" in broken.reason


def test_events_removed_from_the_end_are_detected_by_the_head():
    _append(4)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE sequence = 4")
    broken = audit_verify()
    assert broken is not None and broken.sequence == 3
    assert "head records #4" in broken.reason


def test_verify_streams_in_small_chunks():
    _append(7)
    assert audit_verify(chunk_size=2) is None


def test_empty_chain_is_intact(capsys):
    call_command("verify_chain")
    assert f"chain intact: 0 events, head {GENESIS}" in capsys.readouterr().out


def test_missing_head_is_rebuilt_from_the_last_event():
    _append(2)
    AuditChainHead.objects.all().delete()
    (third,) = _append()
    assert third.sequence == 3
    assert audit_verify() is None


def test_discarding_the_whole_log_restarts_at_genesis():
    """Demo resets only: the chain restarts, and verifies, from an empty table."""
    _append(3)
    audit_log_discard_all()
    assert not AuditEvent.objects.exists()
    (first,) = _append()
    assert (first.sequence, first.previous_hash) == (1, GENESIS)
    assert audit_verify() is None

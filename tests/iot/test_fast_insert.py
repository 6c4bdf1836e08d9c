"""The raw-INSERT path (`wufei.iot.fast_insert`) stores exactly what the ORM path stores: same
rows, same answers, for duplicates within a batch, duplicates of stored messages, rejected
messages, links to manifests/containers/vehicles and trips (with and without a manifest)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.iot.world import fix, hours, in_transit, weighing
from wufei.domain.iot_message import payload_decode
from wufei.iot import services
from wufei.iot.fast_insert import datetime_adapter, fast_insert_supported
from wufei.iot.models import Device, GpsFix, Reading, Trip, Weighing
from wufei.iot.services import DeviceMessage, readings_ingest_many


class _Rollback(Exception):
    pass


def _snapshot() -> dict[str, Any]:
    def trip_key(t: Trip | None) -> Any:
        return None if t is None else (t.vehicle_id, t.manifest_id, t.started_at, t.ended_at)

    return {
        "readings": sorted(
            Reading.objects.values_list(
                "device_id", "message_id", "measured_at", "received_at", "payload"
            ),
            key=lambda r: (r[0], r[1]),
        ),
        "weighings": sorted(
            (
                w.reading.message_id,
                w.device_id,
                w.facility_id,
                w.direction,
                w.plate_number,
                w.vehicle_id,
                w.gross_g,
                w.tare_g,
                w.net_g,
                w.measured_at,
                w.container_id,
                w.manifest_id,
            )
            for w in Weighing.objects.select_related("reading")
        ),
        "fixes": sorted(
            (
                f.reading.message_id,
                f.device_id,
                f.vehicle_id,
                trip_key(f.trip),
                f.measured_at,
                f.latitude,
                f.longitude,
                f.speed_kmh,
            )
            for f in GpsFix.objects.select_related("reading", "trip")
        ),
        "trips": sorted(
            (trip_key(t) for t in Trip.objects.all()), key=lambda k: (k[0], k[2], k[1] or 0)
        ),
        "last_seen": sorted(Device.objects.values_list("serial", "last_seen_at")),
    }


def _batches(iw: Any) -> list[list[DeviceMessage]]:
    m = in_transit(iw)
    code = iw.containers[0].code
    t0 = timezone.now() - hours(10)
    bridge, gps = iw.bridge, iw.gps
    first = [
        DeviceMessage(bridge, weighing("WB-A-1", mid="w-num", manifest=m.number, container=code)),
        DeviceMessage(
            bridge,
            weighing(
                "WB-A-1", mid="w-plate", plate=iw.truck.plate_number, at=m.picked_up_at - hours(1)
            ),
        ),
        DeviceMessage(gps, fix("GPS-1", at=m.picked_up_at + timedelta(minutes=1), mid="g-trip")),
        DeviceMessage(gps, fix("GPS-1", at=t0 + timedelta(minutes=20), mid="g-loose-2")),
        DeviceMessage(gps, fix("GPS-1", at=t0, mid="g-loose-1")),
    ]
    second = [
        DeviceMessage(bridge, weighing("WB-A-1", mid="w-num", manifest=m.number)),  # stored
        DeviceMessage(
            bridge,
            weighing("WB-A-1", mid="w-new", gross_kg="20000.001", tare_kg="0", net_kg="20000.001"),
        ),
        DeviceMessage(bridge, weighing("WB-A-1", mid="w-new")),  # repeat within the batch
        DeviceMessage(bridge, weighing("WB-A-1", mid="w-bad", container="NO-SUCH")),
        DeviceMessage(gps, fix("GPS-1", at=t0 + timedelta(minutes=45), mid="g-loose-3")),
        DeviceMessage(gps, fix("GPS-1", at=t0 + hours(3), mid="g-far")),
        DeviceMessage(gps, fix("GPS-1", at=t0, mid="g-loose-1")),  # stored
        DeviceMessage(gps, fix("GPS-1", at=m.picked_up_at + timedelta(minutes=2), mid="g-trip2")),
        DeviceMessage(iw.other_bridge, weighing("WB-A-1", mid="w-foreign")),  # device_mismatch
    ]
    return [first, second]


def _run(batches: list[list[DeviceMessage]], *, fast: bool) -> tuple[list[Any], dict[str, Any]]:
    now = timezone.now()
    answers: list[Any] = []
    snapshot: dict[str, Any] = {}
    try:
        with transaction.atomic():
            for batch in batches:
                results = readings_ingest_many(messages=batch, now=now, fast=fast, notices={})
                answers.append([r.as_dict() for r in results])
            snapshot = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    return answers, {**snapshot, "now": now}


@pytest.mark.skipif("not fast_insert_supported()")
def test_fast_path_stores_the_same_rows_as_the_orm_path(iw):
    batches = _batches(iw)
    orm_answers, orm = _run(batches, fast=False)
    fast_answers, fast = _run(batches, fast=True)
    assert fast_answers == orm_answers
    assert [r["status"] for r in fast_answers[1]] == [
        "duplicate",
        "created",
        "duplicate",
        "rejected",
        "created",
        "created",
        "duplicate",
        "created",
        "rejected",
    ]
    # received_at and last_seen_at are the run's `now`: compare them relative to it.
    for snap in (orm, fast):
        now = snap.pop("now")
        snap["readings"] = [(*r[:3], r[3] - now, r[4]) for r in snap["readings"]]
        snap["last_seen"] = [(s, None if t is None else t - now) for s, t in snap["last_seen"]]
    assert fast == orm
    assert len(fast["readings"]) == 9
    assert len(fast["weighings"]) == 3 and len(fast["fixes"]) == 6
    by_id = {w[0]: w for w in fast["weighings"]}
    assert by_id["w-num"][11] is not None and by_id["w-num"][10] is not None
    assert by_id["w-plate"][11] == by_id["w-num"][11]
    assert by_id["w-new"][6:9] == (20_000_001, 0, 20_000_001)


@pytest.mark.parametrize("fast", [True, False])
def test_a_message_stored_concurrently_is_a_duplicate(iw, monkeypatch, fast):
    """Another worker stores the message between our check and our insert: ON CONFLICT DO
    NOTHING (fast) or the per-row savepoints (ORM) leave it out and report a duplicate."""
    if fast and not fast_insert_supported():
        pytest.skip("no INSERT … RETURNING on this database")
    msg = weighing("WB-A-1", mid="race")
    readings_ingest_many(messages=[DeviceMessage(iw.bridge, msg)], fast=fast)
    monkeypatch.setattr(services, "_stored_keys", lambda accepted: set())
    results = readings_ingest_many(
        messages=[DeviceMessage(iw.bridge, msg), DeviceMessage(iw.bridge, weighing("WB-A-1"))],
        fast=fast,
    )
    assert [r.status for r in results] == ["duplicate", "created"]
    assert Reading.objects.count() == Weighing.objects.count() == 2


def test_the_secret_is_not_stored_and_decimals_stay_text(iw):
    raw = {**weighing("WB-A-1", mid="s1", gross_kg=15250.5, tare_kg=9999.999), "secret": "x"}
    raw["net_kg"] = "5250.501"
    msg = payload_decode(json.dumps(raw))  # JSON numbers arrive as Decimal
    readings_ingest_many(messages=[DeviceMessage(iw.bridge, msg)])
    payload = Reading.objects.get().payload
    assert "secret" not in payload and payload["tare_kg"] == "9999.999"


def test_datetimes_are_written_as_django_writes_them():
    """The SQLite adapter (cached for fixed offsets) gives Django's own text for every zone,
    including two Berlin times a `fold` apart: equal as values, an hour apart as instants."""
    adapt = datetime_adapter()
    autumn = datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    values = [
        datetime.fromisoformat("2026-01-02T03:04:05.123456+08:00"),
        datetime.fromisoformat("2026-01-01T19:04:05.123456+00:00"),  # the same instant
        datetime(2026, 1, 1, 19, 4, 5, tzinfo=UTC),
        autumn,
        autumn.replace(fold=1),
        autumn,
    ]
    for value in values:
        assert adapt(value) == connection.ops.adapt_datetimefield_value(value)

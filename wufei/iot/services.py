"""Ingest device readings: idempotent on (device, message id), in batches, in any order.

`readings_ingest_many` is the one path every transport takes (HTTP, MQTT, the simulator):
parse and check each message on its own (a bad message is rejected with its reason and never
stored, the others go on), drop repeats within the batch and those already stored, link the
rest to the network (`wufei.iot.linking`) and insert them with a handful of statements in one
transaction: raw multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` on PostgreSQL and SQLite
(`wufei.iot.fast_insert`), where a message a concurrent worker stored first is simply not
returned; elsewhere `bulk_create` in a savepoint, falling back to one savepoint per row. Either
way each message ends up stored once and the loser reports it as a duplicate.
After commit the alerts engine is told what happened.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from wufei.core.errors import ValidationFailed
from wufei.core.tasks import run_after_commit
from wufei.domain.iot_message import Fix, Message, MessageInvalid, Weighed, message_parse
from wufei.iot import fast_insert
from wufei.iot.linking import (
    BatchLinks,
    fix_vehicle,
    links_load,
    message_device_check,
    trips_assign,
    weighing_links,
)
from wufei.iot.models import Device, GpsFix, Reading, Weighing

CREATED, DUPLICATE, REJECTED = "created", "duplicate", "rejected"
SECRET_KEYS = ("secret", "sig")  # never stored with the payload
MAX_BATCH = 1000


# DeviceMessage and IngestResult are named tuples (immutable, and built for every message of
# every batch: a frozen dataclass costs two to three times as much to build).


class DeviceMessage(NamedTuple):
    """A decoded message and the device that authenticated it."""

    device: Device
    message: Any


class IngestResult(NamedTuple):
    message_id: str
    status: str  # created | duplicate | rejected
    code: str = ""
    field: str = ""
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        out = {"id": self.message_id, "status": self.status}
        if self.status == REJECTED:
            out |= {"code": self.code, "field": self.field, "reason": self.reason}
        return out


@dataclass
class _Accepted:
    index: int
    device: Device
    message: Message
    raw: dict[str, Any]
    key: tuple[int, str]  # (device id, message id): the idempotency key, computed once
    vehicle_id: int | None = None
    container_id: int | None = None
    manifest_id: int | None = None


def _raw_id(message: Any) -> str:
    value = message.get("id") if isinstance(message, dict) else None
    return str(value)[:64] if value is not None else ""


def _rejected(message: Any, exc: MessageInvalid) -> IngestResult:
    return IngestResult(_raw_id(message), REJECTED, exc.code, exc.field, exc.reason)


def _stored_payload(raw: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in raw.items() if k not in SECRET_KEYS}
    # Decimals become strings exactly as sent (DjangoJSONEncoder): the raw record stays exact.
    return clean


def reading_ingest(*, device: Device, message: Any) -> IngestResult:
    """Store one message (created) or recognise it (duplicate); a bad one raises."""
    (result,) = readings_ingest_many(messages=[DeviceMessage(device, message)])
    if result.status == REJECTED:
        raise ValidationFailed(
            f"{result.field}: {result.reason}" if result.field else result.reason,
            code=result.code,
            field=result.field or None,
        )
    return result


Notices = dict[str, set[int]]  # event kind → organisation ids concerned


def readings_ingest_many(
    *,
    messages: Sequence[DeviceMessage],
    now: datetime | None = None,
    notices: Notices | None = None,
    fast: bool | None = None,
) -> list[IngestResult]:
    """One result per message, in order; valid new messages stored in one transaction.

    The alerts engine is told after the commit; a caller that ingests continuously (the MQTT
    worker) passes `notices` instead, collects the events of many batches and tells the
    engine once in a while (`alerts_notify`), so that rules do not re-run for every batch.

    `fast` (default: when the database supports it) writes the rows with raw multi-row
    INSERTs (`wufei.iot.fast_insert`) instead of the ORM; both store the same rows."""
    now = now or timezone.now()
    if fast is None:
        fast = fast_insert.fast_insert_supported()
    results: list[IngestResult | None] = [None] * len(messages)
    accepted: list[_Accepted] = []
    seen: set[tuple[int, str]] = set()
    for i, dm in enumerate(messages):
        try:
            parsed = message_parse(dm.message)
            message_device_check(dm.device, parsed)
        except MessageInvalid as exc:
            results[i] = _rejected(dm.message, exc)
            continue
        key = (dm.device.pk, parsed.message_id)
        if key in seen:
            results[i] = IngestResult(parsed.message_id, DUPLICATE)
            continue
        seen.add(key)
        accepted.append(_Accepted(i, dm.device, parsed, dm.message, key))
    if accepted:
        with transaction.atomic():
            for item, status in _store(accepted, now, results, notices, fast=fast):
                results[item.index] = IngestResult(item.message.message_id, status)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def _store(
    accepted: list[_Accepted],
    now: datetime,
    results: list[IngestResult | None],
    notices: Notices | None,
    *,
    fast: bool,
) -> list[tuple[_Accepted, str]]:
    stored = _stored_keys(accepted)
    outcome = [(a, DUPLICATE) for a in accepted if a.key in stored]
    fresh = [a for a in accepted if a.key not in stored]
    links = links_load((a.device, a.message) for a in fresh)
    linked: list[_Accepted] = []
    for a in fresh:
        try:
            _link(links, a)
        except MessageInvalid as exc:
            results[a.index] = _rejected(a.raw, exc)
            continue
        linked.append(a)
    if fast:
        created = _insert_fast(links, linked, now)
    else:
        readings = _insert_readings(linked, now)
        created = [a for a in linked if a.index in readings]
        _insert_projections(links, created, readings)
    done = {a.index for a in created}
    outcome += [(a, DUPLICATE) for a in linked if a.index not in done]
    outcome += [(a, CREATED) for a in created]
    if created:
        _after_store(created, links, now, notices)
    return outcome


def _stored_keys(accepted: list[_Accepted]) -> set[tuple[int, str]]:
    """(device id, message id) of the batch's messages already in the store."""
    if fast_insert.fast_insert_supported():
        return fast_insert.stored_keys([a.key for a in accepted])
    return set(
        Reading.objects.filter(
            device_id__in={a.device.pk for a in accepted},
            message_id__in={a.message.message_id for a in accepted},
        ).values_list("device_id", "message_id")
    )


def _insert_fast(links: BatchLinks, linked: list[_Accepted], now: datetime) -> list[_Accepted]:
    """The same rows as `_insert_readings` + `_insert_projections`, as plain tuples in raw
    multi-row INSERTs; returns the messages inserted (one stored concurrently is left out)."""
    pks = fast_insert.readings_insert(
        [(*a.key, a.message.measured_at, now, _stored_payload(a.raw)) for a in linked]
    )
    created = [a for a in linked if a.key in pks]
    fix_items = [a for a in created if isinstance(a.message.body, Fix)]
    trips = (
        trips_assign(links, [(a.vehicle_id or 0, a.message.measured_at) for a in fix_items])
        if fix_items
        else []
    )
    weighings: list[fast_insert.WeighingRow] = []
    for a in created:
        body = a.message.body
        if isinstance(body, Weighed):
            weighings.append(
                (
                    pks[a.key],
                    a.key[0],
                    a.device.facility_id,
                    body.direction,
                    body.plate,
                    a.vehicle_id,
                    body.gross_g,
                    body.tare_g,
                    body.net_g,
                    a.message.measured_at,
                    a.container_id,
                    a.manifest_id,
                )
            )
    fixes: list[fast_insert.FixRow] = []
    for a, trip in zip(fix_items, trips, strict=True):
        body = a.message.body
        assert isinstance(body, Fix)
        fixes.append(
            (
                pks[a.key],
                a.key[0],
                a.vehicle_id,
                trip.pk,
                a.message.measured_at,
                body.latitude,
                body.longitude,
                body.speed_kmh,
            )
        )
    fast_insert.weighings_insert(weighings)
    fast_insert.fixes_insert(fixes)
    return created


def _link(links: BatchLinks, a: _Accepted) -> None:
    body = a.message.body
    if isinstance(body, Weighed):
        w = weighing_links(links, a.device, a.message.measured_at, body)
        a.vehicle_id, a.container_id, a.manifest_id = w.vehicle_id, w.container_id, w.manifest_id
    else:
        a.vehicle_id = fix_vehicle(links, a.device, body).pk


def _reading(a: _Accepted, now: datetime) -> Reading:
    return Reading(
        device_id=a.device.pk,
        message_id=a.message.message_id,
        measured_at=a.message.measured_at,
        received_at=now,
        payload=_stored_payload(a.raw),
    )


def _insert_readings(linked: list[_Accepted], now: datetime) -> dict[int, Reading]:
    """Reading rows by message index; a message stored concurrently is left out."""
    rows = [_reading(a, now) for a in linked]
    try:
        with transaction.atomic():
            Reading.objects.bulk_create(rows)
        return {a.index: row for a, row in zip(linked, rows, strict=True)}
    except IntegrityError:
        pass
    done: dict[int, Reading] = {}
    for a in linked:
        row = _reading(a, now)
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        done[a.index] = row
    return done


def _insert_projections(
    links: BatchLinks, created: list[_Accepted], readings: dict[int, Reading]
) -> None:
    weighings: list[Weighing] = []
    fix_items = [a for a in created if isinstance(a.message.body, Fix)]
    trips = (
        trips_assign(links, [(a.vehicle_id or 0, a.message.measured_at) for a in fix_items])
        if fix_items
        else []
    )
    fixes: list[GpsFix] = []
    for a in created:
        body, reading = a.message.body, readings[a.index]
        if isinstance(body, Weighed):
            assert a.device.facility_id is not None
            weighings.append(
                Weighing(
                    reading=reading,
                    device_id=a.device.pk,
                    facility_id=a.device.facility_id,
                    direction=body.direction,
                    plate_number=body.plate,
                    vehicle_id=a.vehicle_id,
                    gross_g=body.gross_g,
                    tare_g=body.tare_g,
                    net_g=body.net_g,
                    measured_at=a.message.measured_at,
                    container_id=a.container_id,
                    manifest_id=a.manifest_id,
                )
            )
    for a, trip in zip(fix_items, trips, strict=True):
        body = a.message.body
        assert isinstance(body, Fix) and a.vehicle_id is not None
        fixes.append(
            GpsFix(
                reading=readings[a.index],
                device_id=a.device.pk,
                vehicle_id=a.vehicle_id,
                trip=trip,
                measured_at=a.message.measured_at,
                latitude=body.latitude,
                longitude=body.longitude,
                speed_kmh=body.speed_kmh,
            )
        )
    Weighing.objects.bulk_create(weighings)
    GpsFix.objects.bulk_create(fixes)


def _after_store(
    created: list[_Accepted], links: BatchLinks, now: datetime, notices: Notices | None
) -> None:
    devices = {a.key[0] for a in created}
    Device.objects.filter(pk__in=list(devices)).update(last_seen_at=now)
    spans = {s.manifest_id: s for ss in links.spans.values() for s in ss}
    spans |= {s.manifest_id: s for s in links.manifests.values()}
    by_kind: Notices = {} if notices is None else notices
    for a in created:
        kind = "iot.weighing" if isinstance(a.message.body, Weighed) else "iot.gps"
        orgs = by_kind.setdefault(kind, set())
        orgs.add(a.device.organisation_id)
        vehicle = links.vehicles_by_id.get(a.vehicle_id or 0)
        if vehicle is not None:
            orgs.add(vehicle.organisation_id)
        if a.manifest_id in spans:
            orgs |= spans[a.manifest_id].party_ids
    if notices is None:
        alerts_notify(by_kind)


def alerts_notify(notices: Notices) -> None:
    """Tell the alerts engine, after the current transaction commits (at once outside one)."""
    for kind, orgs in notices.items():
        if orgs:
            run_after_commit(alerts_event(kind, frozenset(orgs)))


def alerts_event(kind: str, organisation_ids: frozenset[int]) -> Any:
    """A callable that tells the alerts engine about `kind` for these organisations."""

    def notify() -> None:
        # The alerts engine is optional (it may not be installed yet): import lazily.
        if importlib.util.find_spec("wufei.alerts.engine") is None:
            return
        from wufei.alerts import engine

        engine.alerts_on_event(kind=kind, organisation_ids=set(organisation_ids))

    notify.__name__ = f"alerts_on_event[{kind}]"
    return notify

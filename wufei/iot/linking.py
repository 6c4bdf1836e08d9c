"""Attach a batch of parsed readings to the network's records, with a few queries per batch.

Weighings find their vehicle (by plate), container (by code) and manifest (by number, or by the
vehicle carrying a manifest of the device's organisation that was picked up or arrived within
±2 h). GPS fixes find their vehicle and their trip: the trip of the manifest the vehicle was
carrying at that moment (picked up ≤ t ≤ arrived, or not yet arrived), created on demand; with
no manifest, a manifest-less trip that the fix extends when it lies within 30 minutes of it,
else a new one. Everything here runs inside the ingest transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q

from wufei.domain.iot_message import Fix, Message, MessageInvalid, Weighed
from wufei.iot.fast_insert import trips_update_span
from wufei.iot.models import Device, DeviceKind, Trip
from wufei.ledger.models import Container
from wufei.registry.models import Vehicle
from wufei.transfer.models import Manifest, ManifestCarrier

MANIFEST_WINDOW = timedelta(hours=2)
TRIP_GAP = timedelta(minutes=30)
SCALE_KINDS = frozenset({DeviceKind.WEIGHBRIDGE.value, DeviceKind.PLATFORM_SCALE.value})


@dataclass
class ManifestSpan:
    manifest_id: int
    vehicle_id: int
    party_ids: frozenset[int]  # shipper, receiver and carrier organisations
    picked_up_at: datetime | None
    arrived_at: datetime | None


@dataclass
class BatchLinks:
    vehicles: dict[str, Vehicle] = field(default_factory=dict)  # plate → vehicle
    vehicles_by_id: dict[int, Vehicle] = field(default_factory=dict)
    containers: dict[str, int] = field(default_factory=dict)  # code → pk
    manifests: dict[str, ManifestSpan] = field(default_factory=dict)  # number → span (any vehicle)
    spans: dict[int, list[ManifestSpan]] = field(default_factory=dict)  # vehicle → spans


def message_device_check(device: Device, message: Message) -> None:
    if message.device != device.serial:
        raise MessageInvalid("device_mismatch", "device", "a device may only send its own readings")
    if not device.is_active:
        raise MessageInvalid("device_inactive", "device", "this device is deactivated")
    if message.type == "gps" and device.kind != DeviceKind.GPS:
        raise MessageInvalid("wrong_device", "type", "only a GPS unit sends gps readings")
    if message.type == "weighing" and device.kind not in SCALE_KINDS:
        raise MessageInvalid("wrong_device", "type", "only a weighbridge or scale sends weighings")
    if message.type == "weighing" and device.facility_id is None:
        raise MessageInvalid("no_facility", "device", "this scale is not assigned to a facility")


def links_load(items: Iterable[tuple[Device, Message]]) -> BatchLinks:
    """Everything the batch refers to, fetched with one query per kind of record."""
    items = list(items)
    links = BatchLinks()
    plates = {m.body.plate for _d, m in items if m.body.plate}
    vehicle_ids = {d.vehicle_id for d, _m in items if d.vehicle_id}
    for v in Vehicle.objects.filter(Q(plate_number__in=plates) | Q(pk__in=vehicle_ids)):
        links.vehicles[v.plate_number] = v
        links.vehicles_by_id[v.pk] = v
    codes = {m.body.container for _d, m in items if isinstance(m.body, Weighed)}
    codes.discard("")
    if codes:
        links.containers = dict(Container.objects.filter(code__in=codes).values_list("code", "pk"))
    numbers = {m.body.manifest for _d, m in items if isinstance(m.body, Weighed)}
    numbers.discard("")
    times = [m.measured_at for _d, m in items]
    if not times:
        return links
    lo, hi = min(times) - MANIFEST_WINDOW, max(times) + MANIFEST_WINDOW
    window = Q(manifest__picked_up_at__lte=hi) & (
        Q(manifest__arrived_at__isnull=True) | Q(manifest__arrived_at__gte=lo)
    )
    wanted = Q(pk__in=[])
    if links.vehicles_by_id:
        wanted |= Q(vehicle_id__in=list(links.vehicles_by_id)) & window
    if numbers:
        wanted |= Q(manifest__number__in=numbers)
    rows = ManifestCarrier.objects.filter(wanted).values_list(
        "manifest_id",
        "vehicle_id",
        "carrier_id",
        "manifest__number",
        "manifest__shipper_id",
        "manifest__receiver_id",
        "manifest__picked_up_at",
        "manifest__arrived_at",
    )
    for mid, vid, carrier, number, shipper, receiver, picked, arrived in rows:
        span = ManifestSpan(mid, vid, frozenset({carrier, shipper, receiver}), picked, arrived)
        links.spans.setdefault(vid, []).append(span)
        old = links.manifests.get(number)
        links.manifests[number] = ManifestSpan(
            mid, vid, span.party_ids | (old.party_ids if old else frozenset()), picked, arrived
        )
    missing = numbers - set(links.manifests)
    if not missing:
        return links
    for mid, number, shipper, receiver, picked, arrived in Manifest.objects.filter(
        number__in=missing
    ).values_list("pk", "number", "shipper_id", "receiver_id", "picked_up_at", "arrived_at"):
        links.manifests[number] = ManifestSpan(
            mid, 0, frozenset({shipper, receiver}), picked, arrived
        )
    return links


def _nearest_manifest(spans: list[ManifestSpan], organisation_id: int, at: datetime) -> int | None:
    """The manifest of this organisation the vehicle carried, picked up or arrived within ±2 h."""
    best: tuple[timedelta, int] | None = None
    for span in spans:
        if organisation_id not in span.party_ids:
            continue
        for moment in (span.picked_up_at, span.arrived_at):
            if moment is None:
                continue
            distance = abs(moment - at)
            if distance <= MANIFEST_WINDOW and (best is None or distance < best[0]):
                best = (distance, span.manifest_id)
    return best[1] if best else None


@dataclass(frozen=True)
class WeighLinks:
    vehicle_id: int | None
    container_id: int | None
    manifest_id: int | None


def weighing_links(links: BatchLinks, device: Device, at: datetime, w: Weighed) -> WeighLinks:
    vehicle = links.vehicles.get(w.plate) if w.plate else None
    container_id = None
    if w.container:
        container_id = links.containers.get(w.container)
        if container_id is None:
            raise MessageInvalid("unknown_container", "container", "no container has this code")
    manifest_id = None
    if w.manifest:
        span = links.manifests.get(w.manifest)
        if span is None or device.organisation_id not in span.party_ids:
            raise MessageInvalid(
                "unknown_manifest", "manifest", "no manifest of this organisation has this number"
            )
        manifest_id = span.manifest_id
    elif vehicle is not None:
        manifest_id = _nearest_manifest(links.spans.get(vehicle.pk, []), device.organisation_id, at)
    return WeighLinks(vehicle.pk if vehicle else None, container_id, manifest_id)


def fix_vehicle(links: BatchLinks, device: Device, fix: Fix) -> Vehicle:
    if device.vehicle_id is not None:
        vehicle = links.vehicles_by_id[device.vehicle_id]
        if fix.plate and fix.plate != vehicle.plate_number:
            raise MessageInvalid("plate_mismatch", "plate", "is not the plate of this GPS unit")
        return vehicle
    found = links.vehicles.get(fix.plate) if fix.plate else None
    if found is None or found.organisation_id != device.organisation_id:
        raise MessageInvalid(
            "unknown_vehicle", "plate", "names no vehicle of this device's organisation"
        )
    return found


def _carried_manifest(spans: list[ManifestSpan], at: datetime) -> ManifestSpan | None:
    """The manifest in transit on this vehicle at `at` (latest pick-up wins)."""
    inside = [
        s
        for s in spans
        if s.picked_up_at is not None
        and s.picked_up_at <= at
        and (s.arrived_at is None or at <= s.arrived_at)
    ]
    return max(inside, key=lambda s: s.picked_up_at or at, default=None)


def trips_assign(links: BatchLinks, fixes: list[tuple[int, datetime]]) -> list[Trip]:
    """The trip of each (vehicle id, time), in the same order; new trips are saved."""
    answer: list[Trip | None] = [None] * len(fixes)
    by_manifest: dict[tuple[int, int], list[int]] = defaultdict(list)
    loose: dict[int, list[int]] = defaultdict(list)
    for i, (vehicle_id, at) in enumerate(fixes):
        spans = links.spans.get(vehicle_id)
        span = _carried_manifest(spans, at) if spans else None
        if span is not None:
            by_manifest[(vehicle_id, span.manifest_id)].append(i)
        else:
            loose[vehicle_id].append(i)
    if by_manifest:
        _manifest_trips(links, fixes, by_manifest, answer)
    if loose:
        _loose_trips(fixes, loose, answer)
    assert all(t is not None for t in answer)
    return [t for t in answer if t is not None]


def _manifest_trips(
    links: BatchLinks,
    fixes: list[tuple[int, datetime]],
    groups: dict[tuple[int, int], list[int]],
    answer: list[Trip | None],
) -> None:
    spans = {(s.vehicle_id, s.manifest_id): s for ss in links.spans.values() for s in ss}
    wanted = Q(pk__in=[])
    for vehicle_id, manifest_id in groups:
        wanted |= Q(vehicle_id=vehicle_id, manifest_id=manifest_id)
    existing = {(t.vehicle_id, t.manifest_id): t for t in Trip.objects.filter(wanted)}
    missing = [key for key in groups if key not in existing]
    if missing:
        Trip.objects.bulk_create(
            [
                Trip(
                    vehicle_id=v,
                    manifest_id=m,
                    started_at=spans[(v, m)].picked_up_at
                    or min(fixes[i][1] for i in groups[(v, m)]),
                    ended_at=spans[(v, m)].arrived_at,
                )
                for v, m in missing
            ],
            ignore_conflicts=True,  # a concurrent worker may have opened it: theirs is as good
        )
        existing = {(t.vehicle_id, t.manifest_id): t for t in Trip.objects.filter(wanted)}
    for key, indexes in groups.items():
        for i in indexes:
            answer[i] = existing[key]


def _trip_within_gap(trips: list[Trip], at: datetime) -> Trip | None:
    """The first of these trips that `at` lies within 30 minutes of."""
    for trip in trips:
        if trip.started_at - TRIP_GAP <= at <= (trip.ended_at or trip.started_at) + TRIP_GAP:
            return trip
    return None


def _loose_trips(
    fixes: list[tuple[int, datetime]], groups: dict[int, list[int]], answer: list[Trip | None]
) -> None:
    """Manifest-less trips: runs of fixes with no gap over 30 minutes."""
    # Lock the vehicles so that two workers do not open two trips for the same run. (SQLite has
    # no row locks: its IMMEDIATE transaction holds the whole database's write lock already.)
    if connection.features.has_select_for_update:
        list(Vehicle.objects.select_for_update().filter(pk__in=list(groups)).values_list("pk"))
    times = [fixes[i][1] for ii in groups.values() for i in ii]
    lo, hi = min(times) - TRIP_GAP, max(times) + TRIP_GAP
    trips: dict[int, list[Trip]] = defaultdict(list)
    for trip in Trip.objects.filter(
        vehicle_id__in=list(groups), manifest__isnull=True, started_at__lte=hi, ended_at__gte=lo
    ):
        trips[trip.vehicle_id].append(trip)
    new: list[Trip] = []
    changed: dict[int, Trip] = {}
    for vehicle_id, indexes in groups.items():
        vehicle_trips = trips[vehicle_id]
        for at, i in sorted((fixes[i][1], i) for i in indexes):
            found = _trip_within_gap(vehicle_trips, at)
            if found is None:
                trip = Trip(vehicle_id=vehicle_id, manifest=None, started_at=at, ended_at=at)
                vehicle_trips.append(trip)
                new.append(trip)
            else:
                trip = found
                if at < trip.started_at:
                    trip.started_at = at
                if trip.ended_at is None or at > trip.ended_at:
                    trip.ended_at = at
                if trip.id is not None:
                    changed[trip.id] = trip
            answer[i] = trip
    if new:
        Trip.objects.bulk_create(new)
    if changed:
        trips_update_span(list(changed.values()))

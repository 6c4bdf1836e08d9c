"""IoT in the demo district: devices, a year of past readings, and four planted problems.

`iot_demo_seed` (called by the demo seeding after the year's manifests exist) installs a
weighbridge at every treatment facility that receives manifests and at the larger producers'
shipping facilities, and a GPS unit on every carrier vehicle of the year; then writes, in bulk,
the weighings those bridges would have taken (out at the producer before pick-up, in at the
plant after arrival, net = the manifest's weight) and GPS tracks for the last fortnight's trips
(the straight line shipper → receiver, with noise). Planted for the warning rules:
  - two weighbridge exits at producers with no manifest (a carrier's truck, no manifest of it
    within 12 h),
  - one trip that leaves the route (its middle third ~8 km off the line),
  - one trip with a long stop (speed 0 half-way, for 40 % of the journey: the longest recent
    trip between places more than 5 km apart).
Device secrets are random and not kept: `wufei simulate_devices` rotates them to drive devices.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from wufei.demo.models import DemoDistrict
from wufei.iot.credentials import secret_generate, secret_hash
from wufei.iot.models import Device, DeviceKind, GpsFix, Reading, Trip, Weighing
from wufei.registry.models import Facility, Vehicle
from wufei.transfer.models import Manifest, ManifestCarrier

GPS_DAYS = 14  # tracks for the last fortnight of the year (enough to browse, fast to write)
PRODUCER_SHARE = 0.1  # the largest tenth of shippers by weight have a weighbridge
BATCH = 2000


@dataclass
class _Trip:
    manifest_id: int
    number: str
    vehicle_id: int
    start: tuple[float, float]
    end: tuple[float, float]
    picked_up_at: datetime
    arrived_at: datetime


@dataclass
class DemoDevices:
    bridges: dict[int, Device]  # facility id → weighbridge
    gps: dict[int, Device]  # vehicle id → GPS unit
    producer_facilities: set[int]


def _serial_bridge(facility_id: int) -> str:
    return f"WB-{facility_id:06d}"


def _serial_gps(vehicle_id: int) -> str:
    return f"GPS-{vehicle_id:06d}"


def _year_manifests(year: int) -> list[dict[str, Any]]:
    return list(
        Manifest.objects.filter(picked_up_at__year=year)
        .annotate(total_g=Sum("lines__weight_g"), received_g=Sum("lines__received_weight_g"))
        .values(
            "pk",
            "number",
            "shipper_id",
            "receiver_id",
            "shipper_facility_id",
            "receiver_facility_id",
            "picked_up_at",
            "arrived_at",
            "total_g",
            "received_g",
        )
        .order_by("picked_up_at", "pk")
    )


def iot_demo_devices(*, year: int) -> DemoDevices:
    """The demo's devices, created if missing (idempotent); secrets of new ones are discarded."""
    manifests = _year_manifests(year)
    district = DemoDistrict.objects.order_by("-pk").first()
    demo_orgs = (
        set(district.members.values_list("organisation_id", flat=True)) if district else set()
    )
    by_shipper: Counter[int] = Counter()
    shipping_facility: dict[int, Counter[int]] = defaultdict(Counter)
    receiving: set[int] = set()
    for m in manifests:
        by_shipper[m["shipper_id"]] += m["total_g"] or 0
        shipping_facility[m["shipper_id"]][m["shipper_facility_id"]] += 1
        receiving.add(m["receiver_facility_id"])
    count = max(5, min(30, int(len(by_shipper) * PRODUCER_SHARE)))
    producers = {
        shipping_facility[org].most_common(1)[0][0] for org, _g in by_shipper.most_common(count)
    }
    wanted_bridges = producers | receiving
    vehicle_ids = set(
        ManifestCarrier.objects.filter(manifest__picked_up_at__year=year).values_list(
            "vehicle_id", flat=True
        )
    ) | set(Vehicle.objects.filter(organisation_id__in=demo_orgs).values_list("pk", flat=True))
    existing = {
        d.serial: d
        for d in Device.objects.filter(
            Q(serial__in=[_serial_bridge(f) for f in wanted_bridges])
            | Q(serial__in=[_serial_gps(v) for v in vehicle_ids])
        )
    }
    new: list[Device] = []
    for f in Facility.objects.filter(pk__in=wanted_bridges).select_related("organisation"):
        if _serial_bridge(f.pk) not in existing:
            new.append(
                Device(
                    organisation_id=f.organisation_id,
                    facility=f,
                    kind=DeviceKind.WEIGHBRIDGE,
                    serial=_serial_bridge(f.pk),
                    name=f"{f.name} 地磅",
                    secret_hash=secret_hash(secret_generate()),
                )
            )
    for v in Vehicle.objects.filter(pk__in=vehicle_ids):
        if _serial_gps(v.pk) not in existing:
            new.append(
                Device(
                    organisation_id=v.organisation_id,
                    vehicle=v,
                    kind=DeviceKind.GPS,
                    serial=_serial_gps(v.pk),
                    name=f"{v.plate_number} 北斗/GPS",
                    secret_hash=secret_hash(secret_generate()),
                )
            )
    Device.objects.bulk_create(new)
    devices = Device.objects.filter(
        Q(serial__in=[_serial_bridge(f) for f in wanted_bridges])
        | Q(serial__in=[_serial_gps(v) for v in vehicle_ids])
    ).select_related("vehicle", "facility")
    return DemoDevices(
        bridges={d.facility_id: d for d in devices if d.facility_id},
        gps={d.vehicle_id: d for d in devices if d.vehicle_id},
        producer_facilities=producers,
    )


def _local(at: datetime) -> str:
    return timezone.localtime(at).isoformat()


class _Writer:
    """Rows in memory, inserted in bulk at the end."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq: Counter[int] = Counter()
        self.readings: list[Reading] = []
        self.weighings: list[Weighing] = []
        self.fixes: list[tuple[Reading, GpsFix]] = []

    def reading(self, device: Device, at: datetime, payload: dict[str, Any]) -> Reading:
        self.seq[device.pk] += 1
        mid = f"{at:%Y%m%d}-{self.seq[device.pk]:06d}"
        r = Reading(
            device=device,
            message_id=mid,
            measured_at=at,
            received_at=at + timedelta(seconds=self.rng.randint(1, 20)),
            payload={"device": device.serial, "id": mid, "at": _local(at), **payload},
        )
        self.readings.append(r)
        return r

    def weighing(
        self,
        device: Device,
        at: datetime,
        direction: str,
        vehicle: Vehicle,
        net_g: int,
        manifest_id: int | None,
        number: str = "",
    ) -> None:
        tare_g = self.rng.randint(6_000, 15_000) * 1000
        payload = {
            "type": "weighing",
            "direction": direction,
            "plate": vehicle.plate_number,
            "gross_kg": str(Decimal(net_g + tare_g) / 1000),
            "tare_kg": str(Decimal(tare_g) / 1000),
            "net_kg": str(Decimal(net_g) / 1000),
            **({"manifest": number} if number else {}),
        }
        r = self.reading(device, at, payload)
        assert device.facility_id is not None
        self.weighings.append(
            Weighing(
                reading=r,
                device=device,
                facility_id=device.facility_id,
                direction=direction,
                plate_number=vehicle.plate_number,
                vehicle=vehicle,
                gross_g=net_g + tare_g,
                tare_g=tare_g,
                net_g=net_g,
                measured_at=at,
                manifest_id=manifest_id,
            )
        )

    def fix(
        self, device: Device, trip: Trip, at: datetime, lat: float, lon: float, speed: float
    ) -> None:
        lat_d = Decimal(f"{lat:.6f}")
        lon_d = Decimal(f"{lon:.6f}")
        speed_d = Decimal(f"{max(speed, 0):.1f}")
        r = self.reading(
            device,
            at,
            {
                "type": "gps",
                "lat": str(lat_d),
                "lon": str(lon_d),
                "speed_kmh": str(speed_d),
            },
        )
        assert device.vehicle_id is not None
        self.fixes.append(
            (
                r,
                GpsFix(
                    reading=r,
                    device=device,
                    vehicle_id=device.vehicle_id,
                    trip=trip,
                    measured_at=at,
                    latitude=lat_d,
                    longitude=lon_d,
                    speed_kmh=speed_d,
                ),
            )
        )

    def save(self) -> None:
        Reading.objects.bulk_create(self.readings, batch_size=BATCH)
        for w in self.weighings:
            w.reading_id = w.reading.pk
        Weighing.objects.bulk_create(self.weighings, batch_size=BATCH)
        fixes = []
        for r, f in self.fixes:
            f.reading_id, f.trip_id = r.pk, f.trip.pk if f.trip else None
            fixes.append(f)
        GpsFix.objects.bulk_create(fixes, batch_size=BATCH)


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (b[0] - a[0]) * 111.32
    dx = (b[1] - a[1]) * 111.32 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def _track(
    w: _Writer, device: Device, trip: Trip, t: _Trip, *, deviate: bool = False, stop: bool = False
) -> None:
    """Fixes every few minutes along the straight line, with noise; or with a planted fault."""
    rng = w.rng
    duration = (t.arrived_at - t.picked_up_at).total_seconds()
    steps = max(4, min(10, int(duration // 600)))
    # the normal to the route, in degrees, for a deviation of about 8 km
    dlat, dlon = t.end[0] - t.start[0], t.end[1] - t.start[1]
    norm = math.hypot(dlat, dlon) or 1.0
    off = (-dlon / norm * 0.072, dlat / norm * 0.072)
    stop_at = (t.start[0] + dlat * 0.5, t.start[1] + dlon * 0.5)
    for k in range(steps + 1):
        f = k / steps
        at = t.picked_up_at + timedelta(seconds=duration * f)
        lat = t.start[0] + dlat * f + rng.uniform(-0.0004, 0.0004)
        lon = t.start[1] + dlon * f + rng.uniform(-0.0004, 0.0004)
        speed = rng.uniform(25, 60)  # driving; time spent at the ends is not on the track
        if deviate and 1 / 3 <= f <= 2 / 3:
            lat, lon = lat + off[0], lon + off[1]
        if stop and 0.3 <= f <= 0.7:
            lat, lon, speed = stop_at[0], stop_at[1], 0.0
        w.fix(device, trip, at, lat, lon, 0.0 if k in (0, steps) else speed)


@transaction.atomic
def iot_demo_seed(*, rng: random.Random, year: int) -> None:
    """Devices and a year of readings for the demo district (see the module docstring).
    Run again, it replaces what it wrote before."""
    iot_demo_reset()
    devices = iot_demo_devices(year=year)
    manifests = _year_manifests(year)
    if not manifests:
        return
    carriers: dict[int, int] = {}
    for mid, vid in (
        ManifestCarrier.objects.filter(manifest_id__in=[m["pk"] for m in manifests])
        .order_by("-position")
        .values_list("manifest_id", "vehicle_id")
    ):
        carriers[mid] = vid  # the first leg wins (ordered last)
    vehicles = Vehicle.objects.in_bulk(set(carriers.values()))
    places = {
        pk: (float(lat), float(lon))
        for pk, lat, lon in Facility.objects.filter(
            pk__in={m["shipper_facility_id"] for m in manifests}
            | {m["receiver_facility_id"] for m in manifests}
        ).values_list("pk", "latitude", "longitude")
    }
    w = _Writer(rng)
    for m in manifests:
        vehicle = vehicles.get(carriers.get(m["pk"], 0))
        if vehicle is None or not m["total_g"]:
            continue
        out = devices.bridges.get(m["shipper_facility_id"])
        if out is not None:
            at = m["picked_up_at"] - timedelta(minutes=rng.randint(10, 40))
            w.weighing(out, at, "out", vehicle, m["total_g"], m["pk"], m["number"])
        inbound = devices.bridges.get(m["receiver_facility_id"])
        if inbound is not None and m["arrived_at"] is not None:
            at = m["arrived_at"] + timedelta(minutes=rng.randint(5, 20))
            w.weighing(inbound, at, "in", vehicle, m["received_g"] or m["total_g"], m["pk"])
    _plant_unmanifested_exits(w, devices, manifests, carriers, vehicles, year)
    _tracks(w, devices, manifests, carriers, places)
    w.save()


def _plant_unmanifested_exits(
    w: _Writer,
    devices: DemoDevices,
    manifests: list[dict[str, Any]],
    carriers: dict[int, int],
    vehicles: dict[int, Vehicle],
    year: int,
) -> None:
    """Two trucks weighed out of a producer's gate with no manifest near that time."""
    busy: dict[int, list[datetime]] = defaultdict(list)
    served: dict[int, list[int]] = defaultdict(list)  # facility → vehicles that call there
    for m in manifests:
        vid = carriers.get(m["pk"])
        if vid is None:
            continue
        busy[vid] += [t for t in (m["picked_up_at"], m["arrived_at"]) if t]
        served[m["shipper_facility_id"]].append(vid)
    producers = sorted(f for f in devices.producer_facilities if f in devices.bridges and served[f])
    for facility_id in producers[:2]:
        vid = served[facility_id][0]
        day = datetime(year, 6, 1, tzinfo=timezone.get_current_timezone())
        while True:
            at = day + timedelta(days=w.rng.randint(0, 150), hours=w.rng.choice((7, 19, 21)))
            if all(abs(at - t) > timedelta(hours=12) for t in busy[vid]):
                break
        net_g = w.rng.randint(1500, 4500) * 1000
        w.weighing(devices.bridges[facility_id], at, "out", vehicles[vid], net_g, None)


def _tracks(
    w: _Writer,
    devices: DemoDevices,
    manifests: list[dict[str, Any]],
    carriers: dict[int, int],
    places: dict[int, tuple[float, float]],
) -> None:
    trips: list[_Trip] = []
    for m in manifests:
        vid = carriers.get(m["pk"])
        if vid is None or vid not in devices.gps or m["arrived_at"] is None:
            continue
        if m["arrived_at"] <= m["picked_up_at"]:
            continue
        trips.append(
            _Trip(
                m["pk"],
                m["number"],
                vid,
                places[m["shipper_facility_id"]],
                places[m["receiver_facility_id"]],
                m["picked_up_at"],
                m["arrived_at"],
            )
        )
    if not trips:
        return
    last = trips[-1].picked_up_at - timedelta(days=GPS_DAYS)
    recent = [t for t in trips if t.picked_up_at >= last]
    # planted, among recent trips more than 5 km long: the longest stops half-way for most
    # of its time, the median one leaves the route
    far = sorted(
        (t for t in recent if km_between(t.start, t.end) > 5),
        key=lambda t: (t.arrived_at - t.picked_up_at, t.manifest_id),
    )
    stopping = far[-1] if far else None
    deviating = far[len(far) // 2] if len(far) > 1 else None
    chosen = {id(t): t for t in recent}
    rows = {
        id(t): Trip(
            vehicle_id=t.vehicle_id,
            manifest_id=t.manifest_id,
            started_at=t.picked_up_at,
            ended_at=t.arrived_at,
        )
        for t in chosen.values()
    }
    Trip.objects.bulk_create(list(rows.values()), batch_size=BATCH)
    for key, t in chosen.items():
        _track(
            w, devices.gps[t.vehicle_id], rows[key], t, deviate=t is deviating, stop=t is stopping
        )


DEMO_SERIALS = r"^(WB|GPS)-[0-9]{6}$"  # what iot_demo_devices names its devices


@transaction.atomic
def iot_demo_reset() -> None:
    """Delete the demo's devices, their readings and trips (before the demo district is reset:
    readings protect the manifests, vehicles and facilities they refer to)."""
    devices = Device.objects.filter(serial__regex=DEMO_SERIALS)
    trip_ids = set(
        GpsFix.objects.filter(device__in=devices).values_list("trip_id", flat=True).distinct()
    )
    GpsFix.objects.filter(Q(device__in=devices) | Q(trip_id__in=trip_ids)).delete()
    Weighing.objects.filter(device__in=devices).delete()
    Reading.objects.filter(device__in=devices).delete()
    Trip.objects.filter(pk__in=trip_ids).delete()
    devices.delete()

"""Device warnings: waste leaving without a manifest, vehicles off the route or stopping."""

from __future__ import annotations

import itertools
import math
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from tests.transfer import network as n
from wufei.alerts.models import Alert, AlertStatus, CloseReason
from wufei.alerts.rulebook import RULES
from wufei.alerts.rules import iot_rules  # noqa: F401  (registers the rules)
from wufei.domain.alert_track import EARTH_RADIUS_KM
from wufei.iot.models import Device, DeviceKind, GpsFix, Reading, Trip, WeighDirection, Weighing

KG = 1000
KM_PER_DEG = math.pi * EARTH_RADIUS_KM / 180
_ids = itertools.count(1)


@pytest.fixture
def w(db):
    w = n.build_network()
    # the receiver 0.2° (22 km) due north of the shipper
    w.kiln.latitude = w.gen.latitude + Decimal("0.2")
    w.kiln.save()
    w.scale = Device.objects.create(
        organisation=w.shipper,
        facility=w.gen,
        kind=DeviceKind.WEIGHBRIDGE,
        serial="WB-1",
        secret_hash="x",
    )
    w.gps = Device.objects.create(
        organisation=w.carrier,
        vehicle=w.truck,
        kind=DeviceKind.GPS,
        serial="GPS-1",
        secret_hash="x",
    )
    return w


def reading(device: Device, at: datetime) -> Reading:
    return Reading.objects.create(
        device=device, message_id=f"m{next(_ids)}", measured_at=at, received_at=at, payload={}
    )


def weighing(w, *, net_kg: int, at: datetime, plate: str) -> Weighing:
    return Weighing.objects.create(
        reading=reading(w.scale, at),
        device=w.scale,
        facility=w.gen,
        direction=WeighDirection.OUT,
        plate_number=plate,
        gross_g=net_kg * KG + 10_000 * KG,
        tare_g=10_000 * KG,
        net_g=net_kg * KG,
        measured_at=at,
    )


def fix(w, trip: Trip, at: datetime, lat: Decimal, lon: Decimal, speed: str = "40") -> GpsFix:
    return GpsFix.objects.create(
        reading=reading(w.gps, at),
        device=w.gps,
        vehicle=w.truck,
        trip=trip,
        measured_at=at,
        latitude=lat.quantize(Decimal("0.000001")),
        longitude=lon.quantize(Decimal("0.000001")),
        speed_kmh=Decimal(speed),
    )


def find(code: str, ids: frozenset[int] | None = None) -> list:
    return list(RULES[code].find(now=timezone.now(), thresholds={}, organisation_ids=ids))


# --- transfer_without_manifest: weighbridge -------------------------------------------------


def test_weighing_out_without_manifest_is_critical(w):
    out = weighing(w, net_kg=60, at=timezone.now() - timedelta(hours=1), plate="浙A99999")
    (found,) = find("transfer_without_manifest")
    assert found.key == f"weighing:{out.pk}" and found.severity == "critical"
    assert found.organisation_id == w.shipper.pk and found.facility_id == w.gen.pk
    assert found.facts["net_t"] == "0.060"
    assert "浙A99999" in RULES["transfer_without_manifest"].describe(found.facts)


def test_small_weighings_are_silent(w):
    weighing(w, net_kg=50, at=timezone.now(), plate="浙A99999")
    assert find("transfer_without_manifest") == []


def test_a_manifest_of_that_vehicle_picked_up_within_two_hours_covers_it(w):
    m = n.lifecycle(w, until="pickup")
    assert m.picked_up_at is not None
    weighing(w, net_kg=250, at=m.picked_up_at - timedelta(minutes=90), plate=w.truck.plate_number)
    assert find("transfer_without_manifest") == []
    late = weighing(
        w, net_kg=250, at=m.picked_up_at - timedelta(hours=3), plate=w.truck.plate_number
    )
    other = weighing(w, net_kg=250, at=m.picked_up_at, plate="浙A00000")
    assert {f.key for f in find("transfer_without_manifest")} == {
        f"weighing:{late.pk}",
        f"weighing:{other.pk}",
    }


def test_weighing_scope_and_handled_alerts(w, django_assert_max_num_queries):
    out = weighing(w, net_kg=60, at=timezone.now(), plate="浙A99999")
    assert find("transfer_without_manifest", frozenset({w.carrier.pk})) == []
    with django_assert_max_num_queries(5):
        assert len(find("transfer_without_manifest", frozenset({w.shipper.pk}))) == 1
    Alert.objects.create(
        rule="transfer_without_manifest",
        key=f"weighing:{out.pk}",
        severity="critical",
        status=AlertStatus.CLOSED,
        close_reason=CloseReason.HANDLED,
        organisation=w.shipper,
        region=w.shipper.region,
        raised_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    assert find("transfer_without_manifest") == []


# --- transfer_without_manifest: a carrier's trip ----------------------------------------------


def metres_north(lat: Decimal, metres: int) -> Decimal:
    return lat + Decimal(metres / 1000 / KM_PER_DEG)


def test_trip_without_manifest_from_a_producer(w):
    trip = Trip.objects.create(vehicle=w.truck, started_at=timezone.now())
    fix(w, trip, timezone.now(), metres_north(w.gen.latitude, 150), w.gen.longitude)
    (found,) = find("transfer_without_manifest")
    assert found.key == f"trip:{trip.pk}" and found.organisation_id == w.carrier.pk
    assert found.facility_id in (w.gen.pk, w.store.pk)
    with translation.override("en"):
        assert "set off" in RULES["transfer_without_manifest"].describe(found.facts)


def test_trip_starting_away_from_producers_is_silent(w):
    trip = Trip.objects.create(vehicle=w.truck, started_at=timezone.now())
    fix(w, trip, timezone.now(), metres_north(w.gen.latitude, 250), w.gen.longitude)
    assert find("transfer_without_manifest") == []


# --- route_deviation and unexplained_stop ---------------------------------------------------


@pytest.fixture
def transit(w):
    m = n.lifecycle(w, until="pickup")
    w.trip = Trip.objects.create(vehicle=w.truck, manifest=m, started_at=timezone.now())
    w.manifest = m
    return w


def east_of_route(w, km: float) -> tuple[Decimal, Decimal]:
    lat = w.gen.latitude + Decimal("0.1")
    dlon = km / (KM_PER_DEG * math.cos(math.radians(float(lat))))
    return lat, w.gen.longitude + Decimal(str(round(dlon, 6)))


def test_route_deviation_above_five_km(transit, django_assert_max_num_queries):
    w = transit
    fix(w, w.trip, timezone.now() - timedelta(minutes=5), w.gen.latitude, w.gen.longitude)
    fix(w, w.trip, timezone.now(), *east_of_route(w, 5.1))
    with django_assert_max_num_queries(3):
        (found,) = find("route_deviation")
    assert found.key == f"trip:{w.trip.pk}" and found.severity == "high"
    assert found.organisation_id == w.carrier.pk and found.facts["km"] == "5.1"
    assert found.evidence[0].id == w.manifest.number
    assert w.manifest.number in RULES["route_deviation"].describe(found.facts)
    assert find("route_deviation", frozenset({w.shipper.pk})) == []


def test_route_within_five_km_is_silent(transit):
    w = transit
    fix(w, w.trip, timezone.now(), *east_of_route(w, 4.9))
    assert find("route_deviation") == []


def stand(w, minutes: int, lat: Decimal, lon: Decimal) -> None:
    start = timezone.now() - timedelta(minutes=minutes + 2)
    fix(w, w.trip, start - timedelta(minutes=1), lat, lon, speed="50")
    for minute in range(minutes + 1):
        fix(w, w.trip, start + timedelta(minutes=minute), lat, lon, speed="0.5")
    fix(w, w.trip, start + timedelta(minutes=minutes + 1), lat, lon, speed="50")


def test_stop_of_31_minutes_midway(transit, django_assert_max_num_queries):
    w = transit
    stand(w, 31, w.gen.latitude + Decimal("0.1"), w.gen.longitude)
    with django_assert_max_num_queries(3):
        (found,) = find("unexplained_stop")
    assert found.severity == "medium" and found.facts["minutes"] == 31
    assert "31" in RULES["unexplained_stop"].describe(found.facts)


def test_stop_of_29_minutes_is_silent(transit):
    w = transit
    stand(w, 29, w.gen.latitude + Decimal("0.1"), w.gen.longitude)
    assert find("unexplained_stop") == []


def test_long_stop_at_the_receiver_is_silent(transit):
    w = transit
    stand(w, 60, metres_north(w.kiln.latitude, -500), w.kiln.longitude)
    assert find("unexplained_stop") == []

"""The demo seeding of devices and readings, and the simulator (direct mode), on the small
transfer network: idempotent, weighings tied to their manifests, two unmanifested exits."""

from __future__ import annotations

import random

from django.core.management import call_command
from django.utils import timezone

from tests.transfer.network import lifecycle
from wufei.iot.demo import iot_demo_seed
from wufei.iot.models import Device, GpsFix, Reading, Trip, Weighing
from wufei.iot.selectors import trip_track


def test_demo_seed_writes_devices_readings_and_planted_exits(iw):
    m = lifecycle(iw)  # treated: picked up and arrived this year
    year = timezone.localtime(m.picked_up_at).year
    iot_demo_seed(rng=random.Random(1), year=year)
    assert Device.objects.filter(serial__startswith="WB-0").count() == 2  # producer + plant
    assert Device.objects.filter(serial__startswith="GPS-0").exists()
    tied = Weighing.objects.filter(manifest=m)
    assert set(tied.values_list("direction", flat=True)) == {"out", "in"}
    assert all(w.net_g == w.gross_g - w.tare_g for w in Weighing.objects.all())
    exits = Weighing.objects.filter(manifest__isnull=True, direction="out")
    assert exits.count() == 1  # one producer weighbridge in this small network (two in the demo)
    trip = Trip.objects.get(manifest=m)
    track = trip_track(trip=trip)
    assert len(track) >= 5 and track == sorted(track, key=lambda f: f.measured_at)
    before = (Reading.objects.count(), GpsFix.objects.count())
    iot_demo_seed(rng=random.Random(1), year=year)  # again: replaces, does not add
    assert (Reading.objects.count(), GpsFix.objects.count()) == before


def test_simulator_writes_through_the_service(iw):
    m = lifecycle(iw)
    year = timezone.localtime(m.picked_up_at).year
    call_command("simulate_devices", rate=400, duration=0.25, year=year, verbosity=0)
    assert Reading.objects.count() == 100
    assert GpsFix.objects.filter(measured_at__lte=timezone.now()).count() == GpsFix.objects.count()

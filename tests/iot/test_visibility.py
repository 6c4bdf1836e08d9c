"""Who sees devices, readings and trips: another organisation's are 404, page and API."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests.iot.world import fix, in_transit, post, weighing
from tests.registry.factories import api_client
from wufei.iot.models import Trip


def _browser(user):
    c = Client()
    c.force_login(user)
    return c


def test_members_see_their_devices_and_not_others(iw):
    post("WB-B-1", iw.other_secret, weighing("WB-B-1", mid="secret-b"))
    alice = _browser(iw.alice)
    assert alice.get("/iot/").status_code == 200
    assert b"WB-A-1" in alice.get("/iot/").content
    assert b"WB-B-1" not in alice.get("/iot/").content
    assert alice.get("/iot/devices/WB-A-1/").status_code == 200
    assert alice.get("/iot/devices/WB-B-1/").status_code == 404
    assert b"secret-b" not in alice.get("/iot/weighings/").content
    bob = _browser(iw.bob)
    assert b"secret-b" in bob.get("/iot/devices/WB-B-1/").content


def test_api_hides_other_organisations_devices(iw):
    post("WB-B-1", iw.other_secret, weighing("WB-B-1", mid="secret-b"))
    alice = api_client(iw.alice)
    serials = {d["serial"] for d in alice.get("/api/v1/iot/devices/").json()}
    assert "WB-A-1" in serials and "WB-B-1" not in serials
    assert alice.get("/api/v1/iot/devices/WB-B-1/readings").status_code == 404
    bob = api_client(iw.bob).get("/api/v1/iot/devices/WB-B-1/readings")
    assert [r["id"] for r in bob.json()] == ["secret-b"]


def test_regulators_see_devices_in_their_region(iw):
    in_region = {d["serial"] for d in api_client(iw.reg108).get("/api/v1/iot/devices/").json()}
    assert {"WB-A-1", "WB-B-1"} <= in_region  # 330108
    assert "WB-P-1" not in in_region  # the plant is in 330109
    assert _browser(iw.reg109).get("/iot/devices/WB-A-1/").status_code == 404


def test_trip_page_draws_the_track_for_parties_only(iw):
    m = in_transit(iw)
    post(
        "GPS-1",
        iw.gps_secret,
        [
            fix("GPS-1", at=m.picked_up_at + timedelta(minutes=k), lat=f"30.{k}", lon=f"120.{k}")
            for k in range(3)
        ],
    )
    trip = Trip.objects.get()
    page = _browser(iw.kate).get(f"/iot/trips/{trip.pk}/")
    assert page.status_code == 200 and b"<polyline" in page.content
    assert _browser(iw.alice).get(f"/iot/trips/{trip.pk}/").status_code == 200  # shipper
    assert _browser(iw.bob).get(f"/iot/trips/{trip.pk}/").status_code == 404
    assert _browser(iw.kate).get("/iot/devices/GPS-1/").status_code == 200

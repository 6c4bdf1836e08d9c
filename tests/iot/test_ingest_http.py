"""Ingest through POST /api/v1/iot/readings: idempotency, order, authentication, validation."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.iot.world import fix, hours, in_transit, post, weighing
from wufei.iot.models import GpsFix, Reading, Trip, Weighing
from wufei.iot.selectors import trip_track


def test_same_message_twice_is_stored_once(iw):
    msg = weighing("WB-A-1", mid="dup-1")
    first = post("WB-A-1", iw.bridge_secret, msg)
    second = post("WB-A-1", iw.bridge_secret, msg)
    assert first.status_code == second.status_code == 200
    assert first.json()["results"] == [{"id": "dup-1", "status": "created"}]
    assert second.json()["results"] == [{"id": "dup-1", "status": "duplicate"}]
    assert Reading.objects.filter(message_id="dup-1").count() == 1
    assert Weighing.objects.count() == 1


def test_duplicates_within_one_batch_are_stored_once(iw):
    msg = weighing("WB-A-1", mid="same")
    answer = post("WB-A-1", iw.bridge_secret, [msg, msg, weighing("WB-A-1")]).json()
    assert [r["status"] for r in answer["results"]] == ["created", "duplicate", "created"]
    assert Reading.objects.count() == 2


def test_grams_are_exact(iw):
    post(
        "WB-A-1",
        iw.bridge_secret,
        weighing("WB-A-1", gross_kg="20000.001", tare_kg=9999.999, net_kg="10000.002"),
    )
    w = Weighing.objects.get()
    assert (w.gross_g, w.tare_g, w.net_g) == (20_000_001, 9_999_999, 10_000_002)
    # the raw payload keeps the decimals as sent, not as floats
    assert w.reading.payload["tare_kg"] == "9999.999"


def test_fixes_delivered_in_reverse_come_back_in_time_order(iw):
    m = in_transit(iw)
    t0 = m.picked_up_at + timedelta(minutes=5)
    sent = [
        fix("GPS-1", at=t0 + timedelta(minutes=k), mid=f"f{k}", lat=f"30.{k}") for k in (2, 1, 0)
    ]
    for one in sent:
        assert post("GPS-1", iw.gps_secret, one).json()["created"] == 1
    trip = Trip.objects.get()
    assert trip.manifest == m and trip.vehicle == iw.truck
    assert [f.reading.message_id for f in trip_track(trip=trip)] == ["f0", "f1", "f2"]


def test_fixes_without_manifest_group_by_gaps(iw):
    t0 = timezone.now() - hours(10)
    times = [t0, t0 + timedelta(minutes=20), t0 + timedelta(minutes=45), t0 + hours(2)]
    post("GPS-1", iw.gps_secret, [fix("GPS-1", at=t) for t in reversed(times)])
    trips = list(Trip.objects.order_by("started_at"))
    assert len(trips) == 2
    assert trips[0].manifest is None
    assert (trips[0].started_at, trips[0].ended_at) == (times[0], times[2])
    assert trips[1].fixes.count() == 1


def test_a_device_cannot_post_for_another(iw):
    answer = post("WB-A-1", iw.bridge_secret, weighing("WB-B-1", mid="x1"))
    assert answer.status_code == 200
    assert answer.json()["results"][0]["code"] == "device_mismatch"
    assert not Reading.objects.exists()
    # nor with the other device's serial but its own secret
    assert post("WB-B-1", iw.bridge_secret, weighing("WB-B-1")).status_code == 401
    assert post("WB-A-1", "wrong", weighing("WB-A-1")).status_code == 401
    assert not Reading.objects.exists()


def test_user_tokens_do_not_authenticate_a_device(iw):
    from tests.registry.factories import api_client

    answer = api_client(iw.alice).post(
        "/api/v1/iot/readings", [weighing("WB-A-1")], content_type="application/json"
    )
    assert answer.status_code == 401
    assert not Reading.objects.exists()


def test_bad_messages_are_rejected_with_reasons_and_not_stored(iw):
    bad = [
        weighing("WB-A-1", mid="b1", net_kg="1"),  # gross - tare != net
        weighing("WB-A-1", mid="b2", gross_kg="1.0001", tare_kg="0", net_kg="1.0001"),
        {**weighing("WB-A-1", mid="b3"), "at": "2024-05-01T10:00:00"},  # no zone
        weighing("WB-A-1", mid="b4", direction="sideways"),
        {**weighing("WB-A-1", mid="b5"), "type": "smell"},
        fix("WB-A-1", at=timezone.now(), mid="b6"),  # a weighbridge sends no GPS
        weighing("WB-A-1", mid="b7", container="NO-SUCH-CODE"),
        weighing("WB-A-1", mid="b8", manifest="99999999999999"),
        "not an object",
    ]
    good = weighing("WB-A-1", mid="ok")
    answer = post("WB-A-1", iw.bridge_secret, [*bad, good]).json()
    codes = [(r["id"], r["status"], r.get("code")) for r in answer["results"]]
    assert codes == [
        ("b1", "rejected", "inconsistent"),
        ("b2", "rejected", "not_exact"),
        ("b3", "rejected", "no_zone"),
        ("b4", "rejected", "bad_choice"),
        ("b5", "rejected", "bad_type"),
        ("b6", "rejected", "wrong_device"),
        ("b7", "rejected", "unknown_container"),
        ("b8", "rejected", "unknown_manifest"),
        ("", "rejected", "not_an_object"),
        ("ok", "created", None),
    ]
    assert all(r["reason"] for r in answer["results"][:-1])
    assert list(Reading.objects.values_list("message_id", flat=True)) == ["ok"]


def test_not_json_and_too_many(iw):
    from django.test import Client

    bad = Client().post(
        "/api/v1/iot/readings",
        "{nope",
        content_type="application/json",
        HTTP_X_DEVICE_SERIAL="WB-A-1",
        HTTP_X_DEVICE_SECRET=iw.bridge_secret,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "bad_json"
    many = post("WB-A-1", iw.bridge_secret, [weighing("WB-A-1") for _ in range(1001)])
    assert many.status_code == 400 and many.json()["code"] == "too_many"


def test_weighing_attaches_to_manifest_and_container(iw):
    m = in_transit(iw)
    code = iw.containers[0].code
    # by number and container code
    post("WB-A-1", iw.bridge_secret, weighing("WB-A-1", mid="n", manifest=m.number, container=code))
    # by plate within two hours of the pick-up
    post(
        "WB-A-1",
        iw.bridge_secret,
        weighing("WB-A-1", mid="p", plate=iw.truck.plate_number, at=m.picked_up_at - hours(1)),
    )
    # the same plate a day earlier matches nothing
    post(
        "WB-A-1",
        iw.bridge_secret,
        weighing("WB-A-1", mid="far", plate=iw.truck.plate_number, at=m.picked_up_at - hours(24)),
    )
    by_id = {w.reading.message_id: w for w in Weighing.objects.select_related("reading")}
    assert by_id["n"].manifest == m and by_id["n"].container == iw.containers[0]
    assert by_id["p"].manifest == m and by_id["p"].vehicle == iw.truck
    assert by_id["far"].manifest is None and by_id["far"].vehicle == iw.truck
    # another organisation's weighbridge may not claim the manifest
    answer = post("WB-B-1", iw.other_secret, weighing("WB-B-1", manifest=m.number)).json()
    assert answer["results"][0]["code"] == "unknown_manifest"


def test_gps_of_a_vehicle_in_transit_joins_the_manifest_trip(iw):
    m = in_transit(iw)
    post(
        "GPS-1",
        iw.gps_secret,
        [
            fix("GPS-1", at=m.picked_up_at + timedelta(minutes=1)),
            fix("GPS-1", at=m.picked_up_at - hours(3)),
        ],
    )
    fixes = list(GpsFix.objects.select_related("trip").order_by("measured_at"))
    assert fixes[0].trip is not None and fixes[0].trip.manifest is None
    assert fixes[1].trip is not None and fixes[1].trip.manifest == m
    assert Trip.objects.count() == 2


def test_openapi_documents_the_device_headers(db):
    from tests.registry.factories import api_client, make_user

    schema = api_client(make_user()).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/iot/readings"]["post"]
    assert {p["name"] for p in operation["parameters"]} == {"X-Device-Serial", "X-Device-Secret"}
    assert "security" not in operation or operation["security"] == []

"""A transfer network (tests.transfer.network) with devices: a weighbridge at the producer,
one at the plant, a GPS unit on the carrier's truck, and a stranger's weighbridge."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.registry import factories as f
from tests.transfer.network import build_network, lifecycle
from wufei.accounts.viewer import viewer_for
from wufei.iot.devices import device_register
from wufei.iot.models import DeviceKind

_ids = itertools.count(1)


def build_iot_world() -> SimpleNamespace:
    w = build_network()
    admin = viewer_for(w.admin)
    w.bridge, w.bridge_secret = device_register(
        viewer=admin,
        organisation=w.shipper,
        kind=DeviceKind.WEIGHBRIDGE,
        serial="WB-A-1",
        facility=w.gen,
        name="地磅",
    )
    w.plant_bridge, w.plant_secret = device_register(
        viewer=admin,
        organisation=w.plant,
        kind=DeviceKind.WEIGHBRIDGE,
        serial="WB-P-1",
        facility=w.kiln,
    )
    w.gps, w.gps_secret = device_register(
        viewer=admin,
        organisation=w.carrier,
        kind=DeviceKind.GPS,
        serial="GPS-1",
        vehicle=w.truck,
    )
    w.other_org = f.make_org(name="乙公司", is_producer=True)
    w.other_fac = f.make_facility(w.other_org, code="B-GEN")
    w.other_bridge, w.other_secret = device_register(
        viewer=admin,
        organisation=w.other_org,
        kind=DeviceKind.WEIGHBRIDGE,
        serial="WB-B-1",
        facility=w.other_fac,
    )
    w.bob = f.make_user("bob")
    f.make_member(w.bob, w.other_org)
    return w


def iso(at: datetime) -> str:
    return timezone.localtime(at).isoformat()


def weighing(
    serial: str, *, at: datetime | None = None, mid: str | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "device": serial,
        "id": mid or f"m{next(_ids)}",
        "at": iso(at or timezone.now()),
        "type": "weighing",
        "direction": "out",
        "plate": "",
        "gross_kg": "15250.5",
        "tare_kg": "10000",
        "net_kg": "5250.5",
        **fields,
    }


def fix(
    serial: str, *, at: datetime, mid: str | None = None, lat: str = "30.2", lon: str = "120.2"
) -> dict[str, Any]:
    return {
        "device": serial,
        "id": mid or f"g{next(_ids)}",
        "at": iso(at),
        "type": "gps",
        "lat": lat,
        "lon": lon,
        "speed_kmh": "42.5",
    }


def post(serial: str, secret: str, body: Any) -> Any:
    import json

    return Client().post(
        "/api/v1/iot/readings",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_DEVICE_SERIAL=serial,
        HTTP_X_DEVICE_SECRET=secret,
    )


def in_transit(w: SimpleNamespace) -> Any:
    """A manifest of the network picked up by w.truck and not yet delivered."""
    m = lifecycle(w, until="pickup")
    m.refresh_from_db()
    return m


def hours(n: float) -> timedelta:
    return timedelta(hours=n)

"""Drive the demo district's devices: journeys shipper → receiver with weighings at both ends.

Each journey takes a manifest route of the demo year (or, when a manifest is in transit now,
that manifest) and replays it on a compressed clock: GPS fixes along the straight line with
noise, a weighing out at the shipper's weighbridge when it starts and in at the receiver's
when it ends. The clock is set so that the run ends at the present moment, so nothing is
measured in the future.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wufei.iot.demo import DemoDevices, km_between
from wufei.iot.models import Device
from wufei.registry.models import Facility, Vehicle
from wufei.transfer.models import Manifest, ManifestCarrier


@dataclass
class Journey:
    vehicle: Vehicle
    gps: Device
    start: tuple[float, float]
    end: tuple[float, float]
    out_bridge: Device | None
    in_bridge: Device | None
    net_g: int
    minutes: int
    number: str = ""
    step: int = 0


class Simulation:
    def __init__(
        self, *, devices: DemoDevices, rng: random.Random, year: int, step_minutes: int = 2
    ) -> None:
        self.rng = rng
        self.devices = devices
        self.step = timedelta(minutes=step_minutes)
        self.seq = 0
        self.routes = self._routes(year)

    def _routes(self, year: int) -> list[dict[str, Any]]:
        fields = ("pk", "number", "shipper_facility_id", "receiver_facility_id")
        in_transit: list[dict[str, Any]] = list(
            Manifest.objects.filter(status="in_transit").values(*fields)[:200]
        )
        year_routes: list[dict[str, Any]] = list(
            Manifest.objects.filter(picked_up_at__year=year).values(*fields).order_by("pk")
        )
        past = self.rng.sample(year_routes, min(500, len(year_routes)))
        for r in past:
            r["number"] = ""  # a replayed route, not that manifest
        routes = in_transit + past
        vehicle_of = dict(
            ManifestCarrier.objects.filter(
                manifest_id__in=[r["pk"] for r in routes], position=1
            ).values_list("manifest_id", "vehicle_id")
        )
        places = {
            pk: (float(lat), float(lon))
            for pk, lat, lon in Facility.objects.filter(
                pk__in={r["shipper_facility_id"] for r in routes}
                | {r["receiver_facility_id"] for r in routes}
            ).values_list("pk", "latitude", "longitude")
        }
        out = []
        for r in routes:
            vid = vehicle_of.get(r["pk"])
            if vid in self.devices.gps:
                r |= {
                    "vehicle_id": vid,
                    "a": places[r["shipper_facility_id"]],
                    "b": places[r["receiver_facility_id"]],
                }
                out.append(r)
        return out

    def journey(self) -> Journey:
        r = self.rng.choice(self.routes)
        gps = self.devices.gps[r["vehicle_id"]]
        assert gps.vehicle is not None
        km = km_between(r["a"], r["b"])
        return Journey(
            vehicle=gps.vehicle,
            gps=gps,
            start=r["a"],
            end=r["b"],
            out_bridge=self.devices.bridges.get(r["shipper_facility_id"]),
            in_bridge=self.devices.bridges.get(r["receiver_facility_id"]),
            net_g=self.rng.randint(500, 8000) * 1000,
            minutes=max(20, int(km / 35 * 60)),
            number=r["number"],
        )

    def _id(self) -> str:
        self.seq += 1
        return f"sim-{timezone.now():%Y%m%d%H%M%S}-{self.seq}"

    def weighing(self, bridge: Device, j: Journey, at: datetime, direction: str) -> dict[str, Any]:
        tare = Decimal(self.rng.randint(6000, 15000))
        net = Decimal(j.net_g) / 1000
        message = {
            "device": bridge.serial,
            "id": self._id(),
            "at": timezone.localtime(at).isoformat(),
            "type": "weighing",
            "direction": direction,
            "plate": j.vehicle.plate_number,
            "gross_kg": str(net + tare),
            "tare_kg": str(tare),
            "net_kg": str(net),
        }
        if j.number and direction == "out":
            message["manifest"] = j.number
        return message

    def fix(self, j: Journey, at: datetime) -> dict[str, Any]:
        f = min(1.0, j.step * self.step.total_seconds() / 60 / j.minutes)
        lat = j.start[0] + (j.end[0] - j.start[0]) * f + self.rng.uniform(-0.0004, 0.0004)
        lon = j.start[1] + (j.end[1] - j.start[1]) * f + self.rng.uniform(-0.0004, 0.0004)
        speed = 0.0 if f in (0.0, 1.0) else self.rng.uniform(25, 60)
        return {
            "device": j.gps.serial,
            "id": self._id(),
            "at": timezone.localtime(at).isoformat(),
            "type": "gps",
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "speed_kmh": f"{speed:.1f}",
        }

    def messages(self, *, count: int, fleet: int = 20) -> Iterator[tuple[Device, dict[str, Any]]]:
        """`count` messages on a clock that ends now, from `fleet` vehicles at a time."""
        if not self.routes:
            return
        journeys: list[Journey] = []
        used: set[int] = set()
        for _ in range(fleet * 3):
            j = self.journey()
            if j.vehicle.pk not in used:
                used.add(j.vehicle.pk)
                journeys.append(j)
            if len(journeys) == fleet:
                break
        ticks = count // max(1, len(journeys)) + 1
        at = timezone.now() - self.step * ticks
        sent = 0
        while sent < count:
            at += self.step
            for n, j in enumerate(journeys):
                if sent >= count:
                    return
                if j.step == 0 and j.out_bridge is not None:
                    out = self.weighing(j.out_bridge, j, at - timedelta(minutes=1), "out")
                    yield j.out_bridge, out
                    sent += 1
                yield j.gps, self.fix(j, at)
                sent += 1
                j.step += 1
                if j.step * self.step.total_seconds() / 60 > j.minutes:
                    if j.in_bridge is not None and sent < count:
                        back = self.weighing(j.in_bridge, j, at + timedelta(minutes=1), "in")
                        yield j.in_bridge, back
                        sent += 1
                    fresh = self.journey()  # the same truck takes another route
                    fresh.vehicle, fresh.gps, fresh.number = j.vehicle, j.gps, ""
                    journeys[n] = fresh

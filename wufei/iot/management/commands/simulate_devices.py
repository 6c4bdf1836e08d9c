"""`wufei simulate_devices [--mqtt | --http URL] [--rate N] [--duration S] [--seed N]`

Registers the demo district's devices (idempotently: a weighbridge at each receiving plant and
the larger producers, a GPS unit per carrier vehicle) and sends their readings: over MQTT
(WUFEI_MQTT_URL or --url), over HTTP to a running server, or straight through the ingest
service. Over MQTT or HTTP the devices need their secrets, which are never kept: the
simulator rotates them (the demo's devices only).
"""

from __future__ import annotations

import json
import random
import time
import urllib.request
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from wufei.accounts.viewer import Viewer
from wufei.domain.demo_plan import DEFAULT_YEAR
from wufei.iot.conf import mqtt_url
from wufei.iot.demo import iot_demo_devices
from wufei.iot.devices import device_rotate_secret
from wufei.iot.models import Device
from wufei.iot.services import DeviceMessage, readings_ingest_many
from wufei.iot.simulator import Simulation

SYSTEM = Viewer(user_id=None, is_admin=True)


class Command(BaseCommand):
    help = "Simulate the demo district's weighbridges and GPS units."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--mqtt", action="store_true", help="Publish to the MQTT broker.")
        target.add_argument(
            "--http", metavar="URL", help="POST to URL (e.g. http://127.0.0.1:8000)."
        )
        parser.add_argument("--url", default=None, help="Broker URL (default WUFEI_MQTT_URL).")
        parser.add_argument("--rate", type=float, default=50.0, help="Messages per second.")
        parser.add_argument("--duration", type=float, default=10.0, help="Seconds to run.")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - a simulation, not a secret
        devices = iot_demo_devices(year=options["year"])
        sim = Simulation(devices=devices, rng=rng, year=options["year"])
        if not sim.routes:
            raise CommandError("No demo manifests to drive: run `wufei seed_demo` first.")
        count = int(options["rate"] * options["duration"])
        stream = sim.messages(count=count)
        secrets: dict[int, str] = {}
        if options["mqtt"] or options["http"]:
            every = list(devices.bridges.values()) + list(devices.gps.values())
            secrets = {d.pk: device_rotate_secret(viewer=SYSTEM, device=d) for d in every}
            self.stdout.write(f"rotated the secrets of {len(secrets)} demo devices")
        started = time.monotonic()
        if options["mqtt"]:
            sent = self._mqtt(
                options["url"] or mqtt_url(), stream, secrets, options["rate"], started
            )
        elif options["http"]:
            sent = self._http(options["http"], stream, secrets, options["rate"], started)
        else:
            sent = self._direct(stream, options["rate"], started)
        self.stdout.write(f"sent {sent} messages in {time.monotonic() - started:.1f} s")

    @staticmethod
    def _pace(sent: int, rate: float, started: float) -> None:
        ahead = sent / rate - (time.monotonic() - started)
        if ahead > 0:
            time.sleep(ahead)

    def _mqtt(
        self, url: str | None, stream: Any, secrets: dict[int, str], rate: float, started: float
    ) -> int:
        if not url:
            raise CommandError("No broker: set WUFEI_MQTT_URL or pass --url.")
        from wufei.iot.mqtt_publish import Publisher

        publisher = Publisher(url=url, client_id=f"wufei-sim-{random.getrandbits(32):08x}")
        sent = 0
        for device, message in stream:
            publisher.publish(serial=device.serial, secret=secrets[device.pk], message=message)
            sent += 1
            self._pace(sent, rate, started)
        if not publisher.wait_all(60):
            self.stderr.write("some messages were not acknowledged by the broker")
        publisher.close()
        return sent

    def _http(
        self, base: str, stream: Any, secrets: dict[int, str], rate: float, started: float
    ) -> int:
        sent = 0
        chunk: dict[Device, list[dict[str, Any]]] = defaultdict(list)

        def flush() -> None:
            for device, messages in chunk.items():
                if not base.startswith(("http://", "https://")):
                    raise CommandError("--http takes an http:// or https:// URL.")
                request = urllib.request.Request(  # noqa: S310 - scheme checked above
                    base.rstrip("/") + "/api/v1/iot/readings",
                    data=json.dumps(messages, cls=DjangoJSONEncoder).encode(),
                    headers={
                        "Content-Type": "application/json",
                        "X-Device-Serial": device.serial,
                        "X-Device-Secret": secrets[device.pk],
                    },
                )
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                    answer.read()
            chunk.clear()

        for device, message in stream:
            chunk[device].append(message)
            sent += 1
            if sent % max(1, int(rate)) == 0:
                flush()
            self._pace(sent, rate, started)
        flush()
        return sent

    def _direct(self, stream: Any, rate: float, started: float) -> int:
        sent, batch = 0, []
        for device, message in stream:
            batch.append(DeviceMessage(device, message))
            sent += 1
            if len(batch) >= max(1, int(rate)):
                readings_ingest_many(messages=batch)
                batch = []
            self._pace(sent, rate, started)
        if batch:
            readings_ingest_many(messages=batch)
        return sent

"""`wufei ingest_mqtt`: store device readings arriving over MQTT (wufei/iot/PROTOCOL.md).

Needs WUFEI_MQTT_URL (or MQTT_URL); without it devices post over HTTP and this command says so.
Run one worker per client id: the broker keeps that id's session (and unacknowledged messages)
across restarts of the worker or of the broker. `--workers N` (default 1) runs N worker
processes on an MQTT 5 shared subscription, client ids `<client-id>-0` … `<client-id>-N-1`
(wufei/iot/worker_pool.py); keep N fixed between restarts (PROTOCOL.md, "Several workers").
`--pipeline` splits each worker into a paho receiver and a storing writer process
(wufei/iot/pipeline.py); if the writer dies the command exits non-zero.
"""

from __future__ import annotations

import json
import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.iot.conf import mqtt_url
from wufei.iot.mqtt_worker import IngestWorker, WorkerStats
from wufei.iot.pipeline import PipelineWorker, WriterDied
from wufei.iot.worker_pool import WorkerPool


class Command(BaseCommand):
    help = "Consume device readings from MQTT (QoS 1, persistent session, ack after commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=None, help="Broker URL (default: WUFEI_MQTT_URL).")
        parser.add_argument("--client-id", default="wufei-ingest")
        parser.add_argument("--batch", type=int, default=500, help="Messages per transaction.")
        parser.add_argument("--linger-ms", type=int, default=100)
        parser.add_argument("--duration", type=float, default=None, help="Stop after S seconds.")
        parser.add_argument(
            "--idle-exit", type=float, default=None, help="Stop after S idle seconds."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Worker processes on a shared subscription (default 1; about one per core).",
        )
        parser.add_argument(
            "--pipeline",
            action="store_true",
            help="Receive and store in two processes per worker (wufei/iot/pipeline.py).",
        )
        parser.add_argument(
            "--writers",
            type=int,
            default=1,
            help="With --pipeline: writer processes per receiver (default 1).",
        )
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"] or mqtt_url()
        if not url:
            raise CommandError(
                "No broker: set WUFEI_MQTT_URL (e.g. mqtt://127.0.0.1:1883). Devices can post "
                "to /api/v1/iot/readings over HTTP without one."
            )
        if int(options["verbosity"]) > 1:
            logging.basicConfig(level=logging.INFO)
        if options["workers"] < 1 or options["writers"] < 1:
            raise CommandError("--workers and --writers must be at least 1")
        if options["workers"] > 1:
            self._pool(url, options)
            return
        if options["pipeline"]:
            stats = self._pipeline(url, options)
            self._report(stats, options)
            return
        worker = IngestWorker(
            url=url,
            client_id=options["client_id"],
            batch_size=options["batch"],
            linger=options["linger_ms"] / 1000,
        )
        try:
            stats = worker.run(duration=options["duration"], idle_exit=options["idle_exit"])
        except KeyboardInterrupt:
            worker.stop()
            stats = worker.stats
        self._report(stats, options)

    def _pipeline(self, url: str, options: dict[str, Any]) -> WorkerStats:
        worker = PipelineWorker(
            url=url,
            client_id=options["client_id"],
            batch_size=options["batch"],
            linger=options["linger_ms"] / 1000,
            writers=options["writers"],
        )
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_a: worker.stop_event.set())
        try:
            return worker.run(duration=options["duration"], idle_exit=options["idle_exit"])
        except WriterDied as exc:
            raise CommandError(f"{exc}; stopped without acknowledging its batch") from exc

    def _report(self, stats: WorkerStats, options: dict[str, Any]) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(stats.as_dict()))
        else:
            self.stdout.write(
                f"received {stats.received}, created {stats.created}, duplicate "
                f"{stats.duplicate}, rejected {stats.rejected}, unauthenticated "
                f"{stats.unauthenticated}"
            )

    def _pool(self, url: str, options: dict[str, Any]) -> None:
        pool = WorkerPool(
            url=url,
            workers=options["workers"],
            client_id=options["client_id"],
            batch_size=options["batch"],
            linger=options["linger_ms"] / 1000,
            duration=options["duration"],
            idle_exit=options["idle_exit"],
            pipeline=options["pipeline"],
            writers=options["writers"],
        )
        runs = pool.run()
        keys = ("received", "created", "duplicate", "rejected", "unauthenticated")
        totals = {k: sum(int(r[k]) for r in runs) for k in keys}
        totals["restarts"] = pool.restarts
        if options["json"]:
            self.stdout.write(json.dumps(totals))
        else:
            self.stdout.write(", ".join(f"{k} {v}" for k, v in totals.items()))

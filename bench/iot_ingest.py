"""MQTT ingest against the broker's own delivery rate, and a loss test across restarts.

    .venv/bin/python bench/iot_ingest.py                       # SQLite, 20,000 messages
    .venv/bin/python bench/iot_ingest.py --messages 50000 --pg # PostgreSQL (throwaway database)

In one run:
  1. start a private mosquitto (persistence on, in a temporary directory, on a free port);
  2. open two persistent sessions subscribed to wufei/devices/+/readings (QoS 1): "bench-sub"
     and "bench-ingest"; a publisher process then publishes N device messages (half weighings
     from 10 weighbridges, half GPS fixes from 10 GPS units, each with its device secret) at
     QoS 1, so the broker holds N for each session;
  3. broker rate: a bare paho subscriber (MQTT 5, same receive maximum) connects as
     "bench-sub" and only counts the N messages (auto-acknowledged): N / seconds from connect
     to the last message;
  4. our rate: what `wufei ingest_mqtt --workers W` runs, in a child process on a throwaway
     database: W = 1 one `IngestWorker` ("bench-ingest", plain subscription); W ≥ 2 the
     `WorkerPool` (sessions "bench-ingest-<i>" on the shared subscription, N/W queued for
     each). It authenticates each message, validates, stores Reading + Weighing/GpsFix (+ trips)
     in batches of 500 and acknowledges after each commit: N / seconds from the first connect
     to the last commit;
  5. prints ours/broker (target ≥ 0.9);
  6. loss test: a publisher streams M messages at a steady rate; the ingest worker is killed
     (SIGKILL) at about a third and restarted, and the broker is stopped and restarted at about
     two thirds (SIGTERM: mosquitto saves its store); then it checks stored == M and no
     duplicates (PASS/FAIL). With W ≥ 2 the kills (one worker, then all) and the broker
     restart are two separate streams: mosquitto 2.0.11 drops messages for a shared
     subscription published between its restart and a worker's reconnect (PROTOCOL.md).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from throwaway import on_throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wufei"
DEVICES = 10
WRITERS = int(os.environ.get("BENCH_WRITERS", "1"))  # set by --writers (pipelined mode)


# -- child processes -------------------------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.base")
    import django

    django.setup()


def child_setup() -> dict[str, Any]:
    """Migrate the throwaway database; register 10 weighbridges and 10 GPS units."""
    _django()
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command

    from wufei.accounts.viewer import Viewer
    from wufei.iot.devices import device_register
    from wufei.registry.models import Facility, Organisation, Vehicle
    from wufei.registry.regions import region_load_shipped, region_resolve

    call_command("migrate", verbosity=0)
    region_load_shipped()
    region = region_resolve("330108")
    org = Organisation.objects.create(
        uscc="91330108MA2B00001X",
        name="基准测试企业",
        region=region,
        is_treatment=True,  # normal traffic: receipts at a plant, no warning to raise
    )
    system = Viewer(user_id=None, is_admin=True)
    devices = []
    for n in range(DEVICES):
        fac = Facility.objects.create(
            organisation=org,
            code=f"F{n}",
            name=f"设施{n}",
            kind="treatment",
            region=region,
            latitude=Decimal("30.2"),
            longitude=Decimal("120.2"),
        )
        truck = Vehicle.objects.create(
            organisation=org,
            plate_number=f"浙A9{n:04d}",
            kind="货车",
            transport_certificate=f"C{n}",
            payload_t=Decimal(8),
            valid_until=date(2099, 1, 1),
        )
        bridge, s1 = device_register(
            viewer=system, organisation=org, kind="weighbridge", serial=f"WB-{n}", facility=fac
        )
        gps, s2 = device_register(
            viewer=system, organisation=org, kind="gps", serial=f"GPS-{n}", vehicle=truck
        )
        devices += [("weighing", bridge.serial, s1), ("gps", gps.serial, s2)]
    return {"devices": devices}


def message(kind: str, serial: str, n: int, prefix: str) -> dict[str, Any]:
    day, hour, minute, second = 1 + n // 86400 % 28, n // 3600 % 24, n // 60 % 60, n % 60
    at = f"2026-01-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}+08:00"
    if kind == "weighing":
        return {
            "device": serial,
            "id": f"{prefix}{n}",
            "at": at,
            "type": "weighing",
            "direction": "in",
            "plate": "",
            "gross_kg": f"{15000 + n % 997}.5",
            "tare_kg": "10000",
            "net_kg": f"{5000 + n % 997}.5",
        }
    return {
        "device": serial,
        "id": f"{prefix}{n}",
        "at": at,
        "type": "gps",
        "lat": f"30.{200000 + n % 5000}",
        "lon": f"120.{200000 + n % 7000}",
        "speed_kmh": "40.5",
    }


def child_publish(
    url: str, count: int, prefix: str, rate: float, devices: list[Any]
) -> dict[str, Any]:
    """Publish `count` messages at QoS 1 (rate 0 = as fast as the broker takes them)."""
    from wufei.iot.mqtt_publish import Publisher

    pub = Publisher(url=url, client_id=f"bench-pub-{prefix}")
    started = time.monotonic()
    for n in range(count):
        kind, serial, secret = devices[n % len(devices)]
        pub.publish(serial=serial, secret=secret, message=message(kind, serial, n, prefix))
        if rate:
            ahead = (n + 1) / rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    ok = pub.wait_all(timeout=300)
    pub.close()
    return {"published": count, "acknowledged": ok, "seconds": time.monotonic() - started}


def child_ingest(
    url: str,
    client_id: str,
    idle_exit: float,
    batch: int,
    workers: int,
    pipeline: bool,
    writers: int = 1,
) -> dict[str, Any]:
    """What `wufei ingest_mqtt [--workers N] [--pipeline]` runs: one IngestWorker (or
    PipelineWorker), or the pool of N on the shared subscription. Seconds from the first
    connect to the last commit of any worker."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    _django()
    from wufei.iot.mqtt_worker import IngestWorker
    from wufei.iot.pipeline import PipelineWorker
    from wufei.iot.worker_pool import WorkerPool

    started = time.monotonic()
    if workers == 1:
        worker: IngestWorker | PipelineWorker
        if pipeline:
            worker = PipelineWorker(url=url, client_id=client_id, batch_size=batch, writers=writers)
        else:
            worker = IngestWorker(url=url, client_id=client_id, batch_size=batch)
        signal.signal(signal.SIGTERM, lambda *_a: worker.stop_event.set())
        runs = [worker.run(duration=600, idle_exit=idle_exit).as_dict()]
        restarts = 0
    else:
        pool = WorkerPool(
            url=url,
            workers=workers,
            client_id=client_id,
            batch_size=batch,
            duration=600,
            idle_exit=idle_exit,
            pipeline=pipeline,
            writers=writers,
        )
        runs = pool.run()
        restarts = pool.restarts
    out: dict[str, Any] = {
        k: sum(r[k] for r in runs)
        for k in ("received", "created", "duplicate", "rejected", "batches", "connects")
    }
    first = min((r["started_at"] for r in runs if r["started_at"]), default=started)
    last = max((r["last_at"] for r in runs if r["last_at"]), default=first)
    out["seconds"] = last - first
    out["per_worker_created"] = [r["created"] for r in runs]
    out["restarts"] = restarts
    return out


def child_direct(count: int, prefix: str, batch: int, devices: list[Any]) -> dict[str, Any]:
    """The storage alone: the same messages through `readings_ingest_many`, no MQTT."""
    _django()
    from wufei.iot.models import Device
    from wufei.iot.services import DeviceMessage, readings_ingest_many

    by_serial = {d.serial: d for d in Device.objects.all()}
    messages = [
        DeviceMessage(
            by_serial[devices[n % len(devices)][1]],
            message(devices[n % len(devices)][0], devices[n % len(devices)][1], n, prefix),
        )
        for n in range(count)
    ]
    started = time.monotonic()
    created = 0
    for start in range(0, count, batch):
        results = readings_ingest_many(messages=messages[start : start + batch], notices={})
        created += sum(1 for r in results if r.status == "created")
    return {"created": created, "seconds": time.monotonic() - started}


def child_reset() -> dict[str, Any]:
    """Empty the readings (and their weighings, fixes, trips) between the two ingest modes, so
    that the second one stores the same messages anew rather than finding duplicates."""
    _django()
    from django.db import connection

    from wufei.iot.models import GpsFix, Reading, Trip, Weighing

    for model in (GpsFix, Weighing, Trip, Reading):
        model.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"reset": True}


def child_count(prefix: str) -> dict[str, Any]:
    _django()
    from wufei.iot.models import Reading

    rows = Reading.objects.filter(message_id__startswith=prefix)
    return {"stored": rows.count(), "distinct": rows.values("message_id").distinct().count()}


# -- parent ----------------------------------------------------------------------------------


def spawn(mode: str, db_url: str, *args: str) -> subprocess.Popen[str]:
    """A child in its own process group (a pool's workers die with it: `kill_group`)."""
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, __file__, "--mode", mode, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the child and every worker process it forked (same process group)."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def worker_pids(proc: subprocess.Popen[str]) -> list[int]:
    """The worker processes a pool child forked (Linux /proc)."""
    path = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def result(proc: subprocess.Popen[str], timeout: float = 900) -> dict[str, Any]:
    out, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{err[-3000:]}")
    parsed: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return parsed


def open_session(url: str, client_id: str, topic: str | None = None) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    from wufei.iot.conf import TOPIC_FILTER, broker_address

    addr = broker_address(url)
    done = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.on_connect = lambda c, *a: c.subscribe(topic or TOPIC_FILTER, qos=1)
    client.on_subscribe = lambda *a: done.set()
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    client.connect(addr.host, addr.port, clean_start=False, properties=props)
    client.loop_start()
    assert done.wait(10), "could not subscribe"
    client.disconnect()
    client.loop_stop()


def bare_subscriber(url: str, client_id: str, count: int, receive_max: int) -> float:
    """Seconds from connect to the `count`-th message, acknowledging automatically."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    from wufei.iot.conf import broker_address

    addr = broker_address(url)
    got = [0]
    done = threading.Event()
    last = [0.0]

    def on_message(c: Any, u: Any, msg: Any) -> None:
        got[0] += 1
        if got[0] >= count:
            last[0] = time.monotonic()
            done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.on_message = on_message
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = receive_max
    started = time.monotonic()
    client.connect(addr.host, addr.port, clean_start=False, properties=props)
    client.loop_start()
    ok = done.wait(600)
    client.disconnect()
    client.loop_stop()
    if not ok:
        raise RuntimeError(f"bare subscriber got {got[0]} of {count}")
    return last[0] - started


def ingest_sessions(url: str, client_id: str, workers: int) -> None:
    """Open the persistent session(s) `wufei ingest_mqtt --workers N` will use, so that the
    broker queues for them from now on (one plain session, or N on the shared subscription)."""
    from wufei.iot.conf import SHARED_TOPIC_FILTER, worker_client_id

    if workers == 1:
        open_session(url, client_id)
    else:
        for i in range(workers):
            open_session(url, worker_client_id(client_id, i), SHARED_TOPIC_FILTER)


def end_sessions(url: str, client_id: str, workers: int) -> None:
    """End the session(s) of a finished phase (clean start, expiry 0). Every session on the
    shared subscription is a member of group "wufei" and gets its round-robin share whether
    connected or not: a stale one would swallow the next phase's messages."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from wufei.iot.conf import broker_address, worker_client_id

    addr = broker_address(url)
    ids = [client_id] if workers == 1 else [worker_client_id(client_id, i) for i in range(workers)]
    for cid in ids:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=cid, protocol=mqtt.MQTTv5)
        client.connect(addr.host, addr.port, clean_start=True)
        client.loop_start()
        time.sleep(0.2)
        client.disconnect()
        client.loop_stop()


def writer_pids(proc: subprocess.Popen[str], workers: int) -> list[int]:
    """The writer processes of a pipelined ingest child (its children, or its workers')."""
    if workers == 1:
        return worker_pids(proc)
    out: list[int] = []
    for pid in worker_pids(proc):
        path = Path(f"/proc/{pid}/task/{pid}/children")
        out += [int(p) for p in path.read_text().split()] if path.exists() else []
    return out


def spawn_ingest(
    db_url: str,
    url: str,
    client_id: str,
    idle_exit: float,
    batch: int,
    workers: int,
    pipeline: bool = False,
) -> subprocess.Popen[str]:
    return spawn(
        "ingest",
        db_url,
        "--url",
        url,
        "--client-id",
        client_id,
        "--idle-exit",
        str(idle_exit),
        "--batch",
        str(batch),
        "--workers",
        str(workers),
        *(["--pipeline", "--writers", str(WRITERS)] if pipeline else []),
    )


def run_database(
    db_url: str, messages: int, loss_messages: int, batch: int, workers: int, pipeline: bool
) -> dict[str, Any]:
    from wufei.iot.private_broker import PrivateBroker

    setup = result(spawn("setup", db_url))
    devices = json.dumps(setup["devices"])
    out: dict[str, Any] = {"workers": workers}
    with PrivateBroker() as broker:
        url = broker.url
        open_session(url, "bench-sub")
        ingest_sessions(url, "bench-ingest", workers)
        if pipeline:
            ingest_sessions(url, "bench-pipe", workers)
        pub = result(
            spawn(
                "publish",
                db_url,
                "--url",
                url,
                "--count",
                str(messages),
                "--prefix",
                "r-",
                "--rate",
                "0",
                "--devices",
                devices,
            )
        )
        assert pub["acknowledged"], "the broker did not take every message"
        out["publish_rate"] = messages / pub["seconds"]
        broker_s = bare_subscriber(url, "bench-sub", messages, min(65535, batch * 4))
        out["broker_rate"] = messages / broker_s
        ingest = result(spawn_ingest(db_url, url, "bench-ingest", 2, batch, workers))
        out["ingest"] = {
            k: ingest[k]
            for k in ("created", "duplicate", "rejected", "batches", "per_worker_created")
        }
        out["ingest_rate"] = ingest["created"] / ingest["seconds"] if ingest["seconds"] else 0
        out["ratio"] = out["ingest_rate"] / out["broker_rate"]
        end_sessions(url, "bench-ingest", workers)
        if pipeline:
            result(spawn("reset", db_url))
            piped = result(spawn_ingest(db_url, url, "bench-pipe", 2, batch, workers, True))
            rate = piped["created"] / piped["seconds"] if piped["seconds"] else 0
            out["pipeline"] = {
                "ingest": {k: piped[k] for k in ("created", "duplicate", "rejected", "batches")},
                "ingest_rate": rate,
                "ratio": rate / out["broker_rate"],
            }
            end_sessions(url, "bench-pipe", workers)
        direct = result(
            spawn(
                "direct",
                db_url,
                "--count",
                str(messages),
                "--prefix",
                "d-",
                "--batch",
                str(batch),
                "--devices",
                devices,
            )
        )
        out["direct_rate"] = direct["created"] / direct["seconds"]
        out["loss"] = loss_tests(broker, db_url, loss_messages, devices, batch, workers)
        if pipeline:
            out["loss"] += loss_tests(
                broker, db_url, loss_messages, devices, batch, workers, pipeline=True
            )
    return out


def loss_test(
    broker: Any,
    db_url: str,
    count: int,
    devices: str,
    batch: int,
    workers: int,
    *,
    prefix: str = "loss-",
    kills: bool = True,
    broker_restart: bool = True,
    pipeline: bool = False,
) -> dict[str, Any]:
    """Stream `count` messages; kill workers and/or restart the broker along the way.

    With several workers the broker deals messages round-robin to every session of the
    shared subscription, online or not: a killed worker's share waits in its session until
    the pool restarts it under the same client id. So the kills are: one worker alone (the
    pool restarts it), then the whole pool (restarted).

    Pipelined (`--pipeline`), first a writer process alone is SIGKILLed: its receiver must
    exit non-zero without acknowledging (one worker: we check the exit code and restart it,
    as the service manager would; several: the pool restarts that worker); then every process
    is SIGKILLed and restarted, then the broker restarted (one worker)."""
    url = broker.url
    client_id = f"bench-{prefix.rstrip('-')}"
    ingest_sessions(url, client_id, workers)
    rate = max(200.0, count / 10)  # about ten seconds of traffic
    worker = spawn_ingest(db_url, url, client_id, 15, batch, workers, pipeline)
    publisher = spawn(
        "publish",
        db_url,
        "--url",
        url,
        "--count",
        str(count),
        "--prefix",
        prefix,
        "--rate",
        str(rate),
        "--devices",
        devices,
    )
    span = count / rate
    events = []
    if kills and pipeline:
        time.sleep(span / 6)
        deadline = time.monotonic() + 10
        while not (writers := writer_pids(worker, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)  # (the child is still starting Django)
        if writers:
            os.kill(writers[0], signal.SIGKILL)
            if workers == 1:
                try:
                    code = worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    code = None
                events.append(f"writer SIGKILL (receiver exit {code})")
                if code in (0, None):
                    raise RuntimeError(f"the receiver did not stop non-zero: {code}")
                worker = spawn_ingest(db_url, url, client_id, 15, batch, workers, pipeline)
            else:
                events.append("one writer SIGKILL (pool restarts its worker)")
        time.sleep(span / 6)
    elif kills and workers > 1:
        time.sleep(span / 6)
        pids = worker_pids(worker)
        if pids:
            os.kill(pids[0], signal.SIGKILL)  # one worker: the pool restarts it
            events.append("one worker SIGKILL (pool restarts it)")
        time.sleep(span / 6)
    else:
        time.sleep(span / 3)
    if kills and pipeline and workers == 1:
        writers = worker_pids(worker)
        os.kill(worker.pid, signal.SIGKILL)  # the receiver alone: its writers must end too
        worker.wait()
        deadline = time.monotonic() + 15
        while any(Path(f"/proc/{pid}").exists() for pid in writers):
            if time.monotonic() > deadline:
                raise RuntimeError(f"writers {writers} outlived their receiver")
            time.sleep(0.05)
        events.append("receiver SIGKILL (its writers ended)")
        worker = spawn_ingest(db_url, url, client_id, 15, batch, workers, pipeline)
    elif kills:
        kill_group(worker)  # SIGKILL every worker: what they stored unacknowledged comes again
        if os.environ.get("BENCH_DEBUG"):
            print(worker.communicate()[1][-5000:], file=sys.stderr)
        events.append(f"{'all workers' if workers > 1 else 'worker'} SIGKILL")
        worker = spawn_ingest(db_url, url, client_id, 15, batch, workers, pipeline)
    time.sleep(span / 3)
    if broker_restart:
        broker.stop()  # SIGTERM: mosquitto saves the sessions and queued messages
        time.sleep(1.0)
        broker.start()
        events.append("broker restart")
    published = result(publisher)
    out, err = worker.communicate(timeout=900)
    if os.environ.get("BENCH_DEBUG"):
        print(err[-5000:], file=sys.stderr)
    stats = json.loads(out.strip().splitlines()[-1])
    counted = result(spawn("count", db_url, "--prefix", prefix))
    end_sessions(url, client_id, workers)
    ok = published["acknowledged"] and counted["stored"] == count == counted["distinct"]
    return {
        "mode": "pipeline" if pipeline else "classic",
        "published": count,
        **counted,
        "events": events,
        "last_run": {k: stats[k] for k in ("created", "duplicate", "connects", "restarts")},
        "verdict": "PASS" if ok else "FAIL",
    }


def loss_tests(
    broker: Any,
    db_url: str,
    count: int,
    devices: str,
    batch: int,
    workers: int,
    pipeline: bool = False,
) -> list[dict[str, Any]]:
    """One worker: kills and a broker restart in one stream. Several: the kills and the broker
    restart separately, because they do not hold the same (mosquitto 2.0.11 drops messages
    for a shared subscription between its restart and a member's reconnect)."""
    p = "p" if pipeline else ""
    run = functools.partial(
        loss_test, broker, db_url, count, devices, batch, workers, pipeline=pipeline
    )
    if workers == 1:
        return [run(prefix=f"loss{p}-")]
    return [
        run(prefix=f"loss{p}-", broker_restart=False),
        run(prefix=f"lossb{p}-", kills=False),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--loss-messages", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--workers", type=int, default=1, help="ingest worker processes (shared subscription)"
    )
    parser.add_argument("--pg", action="store_true", help="PostgreSQL (DATABASE_URL or local)")
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="also measure `ingest_mqtt --pipeline` (same run, same baseline) and loss-test it",
    )
    parser.add_argument(
        "--writers", type=int, default=1, help="writer processes per receiver with --pipeline"
    )
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--devices", help=argparse.SUPPRESS)
    parser.add_argument("--client-id", help=argparse.SUPPRESS)
    parser.add_argument("--idle-exit", type=float, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        if args.mode == "setup":
            answer = child_setup()
        elif args.mode == "publish":
            answer = child_publish(
                args.url, args.count, args.prefix, args.rate, json.loads(args.devices)
            )
        elif args.mode == "direct":
            answer = child_direct(args.count, args.prefix, args.batch, json.loads(args.devices))
        elif args.mode == "ingest":
            answer = child_ingest(
                args.url,
                args.client_id,
                args.idle_exit,
                args.batch,
                args.workers,
                args.pipeline,
                args.writers,
            )
        elif args.mode == "reset":
            answer = child_reset()
        else:
            answer = child_count(args.prefix)
        print(json.dumps(answer))
        return
    from wufei.iot.private_broker import mosquitto_available

    global WRITERS
    WRITERS = args.writers

    if not mosquitto_available():
        sys.exit("mosquitto is not installed (/usr/sbin/mosquitto or WUFEI_MOSQUITTO)")
    print(
        f"iot_ingest: {args.messages} messages, batch {args.batch}, {args.workers} worker(s), "
        f"pipeline {'on, ' + str(args.writers) + ' writer(s)' if args.pipeline else 'off'}; "
        f"loss test "
        f"{args.loss_messages}; python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    runs: list[tuple[str, dict[str, Any]]] = []
    if args.pg:
        base = os.environ.get("DATABASE_URL") or PG_DEFAULT
        runs.append(
            (
                "postgresql",
                on_throwaway_postgres(
                    "wufei_bench_iot",
                    base,
                    lambda url: run_database(
                        url,
                        args.messages,
                        args.loss_messages,
                        args.batch,
                        args.workers,
                        args.pipeline,
                    ),
                ),
            )
        )
    else:
        with tempfile.TemporaryDirectory(prefix="wufei-bench-iot-") as tmp:
            runs.append(
                (
                    "sqlite",
                    run_database(
                        f"sqlite:///{tmp}/bench.sqlite3",
                        args.messages,
                        args.loss_messages,
                        args.batch,
                        args.workers,
                        args.pipeline,
                    ),
                )
            )
    failed = False
    for name, r in runs:
        print(
            f"[{name}] publisher {r['publish_rate']:,.0f} msg/s · broker → bare subscriber "
            f"{r['broker_rate']:,.0f} msg/s · broker → ingest_mqtt {r['ingest_rate']:,.0f} "
            f"msg/s with {r['workers']} worker(s) · ratio ours/broker {r['ratio']:.2f} "
            f"(target ≥ 0.9)"
        )
        if "pipeline" in r:
            pr = r["pipeline"]
            print(
                f"[{name}] broker → ingest_mqtt --pipeline {pr['ingest_rate']:,.0f} msg/s · "
                f"ratio ours/broker {pr['ratio']:.2f} (target ≥ 0.9) · {pr['ingest']}"
            )
        print(
            f"[{name}] ingest {r['ingest']}; storage alone (readings_ingest_many in "
            f"process, no MQTT) {r['direct_rate']:,.0f} msg/s"
        )
        for loss in r["loss"]:
            print(
                f"[{name}] loss test ({loss['mode']}): published {loss['published']}, "
                f"stored {loss['stored']}, "
                f"distinct {loss['distinct']} across {', '.join(loss['events'])}; last run "
                f"{loss['last_run']} → {loss['verdict']}"
            )
            failed = failed or loss["verdict"] != "PASS"
    print(json.dumps(runs))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

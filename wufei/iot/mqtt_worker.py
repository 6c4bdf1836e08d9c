"""The MQTT ingest worker behind `wufei ingest_mqtt`: nothing acknowledged before it is stored.

It subscribes to `wufei/devices/+/readings` at QoS 1 in a persistent MQTT 5 session (fixed
client id, clean_start False, session expiry), with manual acknowledgements. paho's network
thread only queues what arrives; the main thread takes up to `batch_size` messages (or what
came within `linger` seconds), authenticates each against the topic's device, stores the batch
with `readings_ingest_many` in one transaction, and only then sends the PUBACKs. A crash, a
database error or a broker restart before that leaves the messages unacknowledged, so the
broker delivers them again and the idempotent store recognises any it already has.
A PUBACK is only sent on the connection the message came in on (a message id means nothing on
the next one; the broker redelivers instead). Reconnection uses paho's back-off (1 s → 30 s).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import DatabaseError, connection
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from wufei.domain.iot_message import MessageInvalid, payload_decode
from wufei.iot.conf import TOPIC_FILTER, broker_address, serial_from_topic
from wufei.iot.credentials import secret_matches
from wufei.iot.models import Device
from wufei.iot.services import (
    DeviceMessage,
    Notices,
    alerts_event,
    alerts_notify,
    readings_ingest_many,
)

logger = logging.getLogger(__name__)

SESSION_EXPIRY_S = 7 * 24 * 3600  # the broker keeps our queue for a week of downtime
DEVICE_CACHE_S = 30.0  # a deactivated device or rotated secret takes effect within this
ALERTS_EVERY_S = 5.0  # the alerts engine re-runs its IoT rules at most this often

ClientT = TypeVar("ClientT", bound=mqtt.Client)


class Incoming(NamedTuple):
    """A message as paho handed it over. (A named tuple: a writer makes one for every message,
    and a frozen dataclass costs several times as much to build.)"""

    topic: str
    payload: bytes
    mid: int
    qos: int
    generation: int  # which connection it arrived on


@dataclass
class WorkerStats:
    received: int = 0
    created: int = 0
    duplicate: int = 0
    rejected: int = 0
    unauthenticated: int = 0
    batches: int = 0
    db_retries: int = 0
    connects: int = 0
    started_at: float | None = None  # time.monotonic() (one clock for all processes on Linux)
    first_at: float | None = None
    last_at: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _CachedDevice:
    device: Device | None
    loaded: float
    verified: set[str] = field(default_factory=set)


class DeviceCache:
    """Devices by serial, refreshed every 30 s, with the secrets already checked."""

    def __init__(self, ttl: float = DEVICE_CACHE_S) -> None:
        self.ttl = ttl
        self._entries: dict[str, _CachedDevice] = {}

    def preload(self, serials: set[str]) -> None:
        now = time.monotonic()
        stale = {
            s for s in serials if (e := self._entries.get(s)) is None or now - e.loaded > self.ttl
        }
        if not stale:
            return
        found = {d.serial: d for d in Device.objects.filter(serial__in=stale, is_active=True)}
        for serial in stale:
            self._entries[serial] = _CachedDevice(found.get(serial), now)

    def authenticate(self, serial: str, secret: Any) -> Device | None:
        entry = self._entries.get(serial)
        if entry is None or entry.device is None or not isinstance(secret, str):
            return None
        if secret in entry.verified:
            return entry.device
        if secret_matches(secret, entry.device.secret_hash):
            entry.verified.add(secret)
            return entry.device
        return None


class BatchStorage:
    """Authenticate, validate and store batches of raw MQTT messages; tell the alerts engine.

    What every ingest worker does after paho has handed it the messages: `IngestWorker` in
    its main thread, the writer process of the pipelined worker (wufei/iot/pipeline.py)."""

    def __init__(self, *, alerts_every: float = ALERTS_EVERY_S) -> None:
        self.stats = WorkerStats()
        self.alerts_every = alerts_every
        self._notices: Notices = {}
        self._notified_at = time.monotonic()
        self._alerts_thread: threading.Thread | None = None
        self.devices = DeviceCache()
        self.stop_event = threading.Event()

    def _notify(self, *, force: bool) -> None:
        """Hand the collected events to the alerts engine: at most every `alerts_every` s and
        one run at a time (events keep collecting while a run is busy), so that a slow rule
        set delays alerts but never queues up work or holds back ingestion."""
        if force and self._alerts_thread is not None:
            self._alerts_thread.join()
        busy = self._alerts_thread is not None and self._alerts_thread.is_alive()
        due = time.monotonic() - self._notified_at >= self.alerts_every
        if not self._notices or busy or not (due or force):
            return
        notices, self._notices = self._notices, {}
        self._notified_at = time.monotonic()
        if settings.WUFEI_TASKS_EAGER or force:
            alerts_notify(notices)  # tests, and the last events when the worker stops
            return
        self._alerts_thread = threading.Thread(
            target=self._alerts_run, args=(notices,), name="wufei-iot-alerts", daemon=True
        )
        self._alerts_thread.start()

    @staticmethod
    def _alerts_run(notices: Notices) -> None:
        try:
            for kind, orgs in notices.items():
                alerts_event(kind, frozenset(orgs))()
        finally:
            connection.close()  # this thread's own connection

    def _messages(self, batch: list[Incoming]) -> list[DeviceMessage]:
        decoded: list[tuple[str, Any]] = []
        for incoming in batch:
            serial = serial_from_topic(incoming.topic)
            try:
                body = payload_decode(incoming.payload)
            except MessageInvalid as exc:
                self.stats.rejected += 1
                logger.warning("dropped a message on %s: %s", incoming.topic, exc)
                continue
            for message in body if isinstance(body, list) else [body]:
                decoded.append((serial or "", message))
        self.devices.preload({s for s, _m in decoded if s})
        out: list[DeviceMessage] = []
        for serial, message in decoded:
            secret = message.get("secret") if isinstance(message, dict) else None
            device = self.devices.authenticate(serial, secret)
            if device is None:
                self.stats.unauthenticated += 1
                logger.warning(
                    "dropped a message on device topic %r: unknown device or wrong secret", serial
                )
                continue
            out.append(DeviceMessage(device, message))
        return out

    def _store(self, batch: list[Incoming]) -> bool:
        """Store the batch; on a database error wait and retry (nothing is acknowledged)."""
        delay = 0.5
        while not self.stop_event.is_set():
            if not connection.in_atomic_block:  # (tests run the worker inside a transaction)
                connection_keep_or_drop()
            try:
                results = readings_ingest_many(
                    messages=self._messages(batch), notices=self._notices
                )
            except DatabaseError:
                logger.exception("storing a batch failed; retrying in %.1f s", delay)
                self.stats.db_retries += 1
                connection.close()
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            now = time.monotonic()
            self.stats.first_at = self.stats.first_at or now
            self.stats.last_at = now
            self.stats.batches += 1
            self.stats.received += len(batch)
            for r in results:
                if r.status == "created":
                    self.stats.created += 1
                elif r.status == "duplicate":
                    self.stats.duplicate += 1
                else:
                    self.stats.rejected += 1
                    logger.warning("rejected message %s: %s %s", r.message_id, r.field, r.reason)
            return True
        return False


def connection_keep_or_drop() -> None:
    """Before a batch: drop the database connection if it is broken or, with CONN_MAX_AGE > 0,
    older than that; otherwise keep it.

    Not `close_old_connections()` as such: with CONN_MAX_AGE = 0 (our SQLite setting, made for
    web requests) it closes the connection after every batch, and closing SQLite's last
    connection checkpoints the whole write-ahead log into the database file, then the next
    batch reconnects: ≈ 16 ms, a third of what a 500-message batch costs to store. A worker's
    connection is meant to live; an error still drops it (here, and in `_store`)."""
    if connection.settings_dict["CONN_MAX_AGE"] != 0:
        connection.close_if_unusable_or_obsolete()
    elif connection.connection is not None and connection.errors_occurred:
        if connection.is_usable():
            connection.errors_occurred = False
        else:
            connection.close()


def ingest_client(worker: Any, client_id: str, client_class: type[ClientT]) -> ClientT:
    """A paho client as every ingest receiver uses it: MQTT 5, manual acknowledgements (sent
    after the commit), reconnecting, nothing queued while offline, the worker's callbacks."""
    client = client_class(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv5,
        manual_ack=True,
    )
    if worker.address.username:
        client.username_pw_set(worker.address.username, worker.address.password)
    if worker.address.tls:
        client.tls_set()
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    client.max_queued_messages_set(0)
    client.on_connect = worker._on_connect
    client.on_disconnect = worker._on_disconnect
    client.on_message = worker._on_message
    return client


class IngestWorker(BatchStorage):
    def __init__(
        self,
        *,
        url: str,
        client_id: str = "wufei-ingest",
        batch_size: int = 500,
        linger: float = 0.1,
        topic: str = TOPIC_FILTER,
        alerts_every: float = ALERTS_EVERY_S,
    ) -> None:
        super().__init__(alerts_every=alerts_every)
        self.address = broker_address(url)
        self.batch_size = batch_size
        self.linger = linger
        self.topic = topic
        self._inbox: queue.Queue[Incoming] = queue.Queue()
        self._generation = 0
        self.connected = threading.Event()
        self._closed = False
        self.client = self._client(client_id)

    def _client(self, client_id: str) -> mqtt.Client:
        return ingest_client(self, client_id, mqtt.Client)

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT connection refused: %s", reason)
            return
        self._generation += 1
        self.stats.connects += 1
        logger.info("MQTT connected (session present: %s)", flags.session_present)
        client.subscribe(self.topic, qos=1)
        self.connected.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        self.connected.clear()
        if not self.stop_event.is_set():
            logger.warning("MQTT disconnected (%s); reconnecting with back-off", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self._inbox.put(Incoming(msg.topic, msg.payload, msg.mid, msg.qos, self._generation))

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_S
        props.ReceiveMaximum = min(65535, max(100, self.batch_size * 4))
        self.client.connect_async(
            self.address.host, self.address.port, keepalive=30, clean_start=False, properties=props
        )
        self.client.loop_start()

    def stop(self, *, graceful: bool = True) -> None:
        self.stop_event.set()
        if self._closed:
            return
        self._closed = True
        if graceful:
            self.client.disconnect()
        self.client.loop_stop()

    def run(
        self,
        *,
        duration: float | None = None,
        idle_exit: float | None = None,
        crash_after_batches: int | None = None,
    ) -> WorkerStats:
        """Consume until stopped, `duration` elapsed, or `idle_exit` seconds passed without a
        message (after the first). `crash_after_batches` (tests) stores one more batch and
        drops the connection without acknowledging it, as a killed worker would."""
        self.start()
        started = time.monotonic()
        self.stats.started_at = started
        last_message = started
        try:
            while not self.stop_event.is_set():
                now = time.monotonic()
                if duration is not None and now - started >= duration:
                    break
                if (
                    idle_exit is not None
                    and self.stats.received
                    and now - last_message >= idle_exit
                ):
                    break
                batch = self._take_batch()
                if not batch:
                    continue
                last_message = time.monotonic()
                crash = (
                    crash_after_batches is not None and self.stats.batches >= crash_after_batches
                )
                stored = self._store(batch)
                last_message = time.monotonic()  # a slow commit is not idleness
                if not stored:
                    continue
                if crash:
                    self.stop(graceful=False)
                    self.client.disconnect()  # after loop_stop: the socket closes, no PUBACKs sent
                    return self.stats
                self._ack(batch)
                self._notify(force=False)
        finally:
            self.stop()  # (a no-op after the simulated crash above)
            self._notify(force=True)
        return self.stats

    def _take_batch(self) -> list[Incoming]:
        try:
            first = self._inbox.get(timeout=0.05)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.linger
        while len(batch) < self.batch_size:
            try:
                batch.append(self._inbox.get_nowait())
                continue
            except queue.Empty:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(self._inbox.get(timeout=remaining))
            except queue.Empty:
                break
        return batch

    def _ack(self, batch: list[Incoming]) -> None:
        generation = self._generation
        for incoming in batch:
            if incoming.qos > 0 and incoming.generation == generation:
                self.client.ack(incoming.mid, incoming.qos)

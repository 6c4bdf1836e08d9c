"""`wufei ingest_mqtt --pipeline`: paho's receive and our storage in two processes.

One `IngestWorker` pays paho's pure-Python packet handling (≈ the whole cost of a bare
subscriber) and the storage one after the other under one GIL. Here they overlap:

- the **receiver** (this process) runs paho with manual acknowledgements in the same
  persistent MQTT 5 session as `IngestWorker` (QoS 1, clean_start False, session expiry). Its
  paho callback only appends `(topic, payload, mid)` to a list; every `flush` seconds (5 ms)
  the main thread hands the list over a pipe to the writer, tagged with the connection
  generation the messages arrived on. No JSON, no database here.
- the **writer** (a forked child) authenticates, validates and stores batches exactly as
  `IngestWorker` does (`BatchStorage`: up to `batch_size` messages or `linger` seconds, one
  transaction per batch, retried on a database error), and only after the commit sends back
  `(generation, mids)`.
- the receiver PUBACKs those mids, and only if they came on the current connection (a mid
  means nothing on the next one: the broker redelivers instead). A disconnect bumps the
  generation first, so an acknowledgement is never sent on a connection the message did not
  arrive on.

So a message is acknowledged only once its row is committed, as before. If the receiver is
killed, the writer reads EOF, finishes the batch it holds (its messages come again and are
recognised as duplicates) and exits. If the writer dies, the receiver disconnects without
acknowledging anything more and raises `WriterDied` (the command exits non-zero; the pool or
the service manager restarts both). The writer ignores SIGTERM/SIGINT: the receiver stops it
through the pipe once the batches in flight are answered.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import paho.mqtt.client as mqtt
from django.db import connections
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from wufei.iot.conf import TOPIC_FILTER, broker_address
from wufei.iot.mqtt_worker import (
    ALERTS_EVERY_S,
    SESSION_EXPIRY_S,
    BatchStorage,
    Incoming,
    WorkerStats,
)

logger = logging.getLogger(__name__)

FLUSH_S = 0.005  # the receiver hands what it has to the writer this often

Raw = tuple[str, bytes, int]  # topic, payload, mid


class WriterDied(RuntimeError):
    """The writer process ended without being asked to: nothing more is acknowledged."""


def _writer_main(
    conn: Connection,
    batch_size: int,
    linger: float,
    alerts_every: float,
    crash_after_batches: int | None = None,
) -> None:
    """The writer process: store what the receiver sends, answer the mids committed.
    `crash_after_batches` (tests): commit one more batch, then die without answering it."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the receiver ends us via the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    storage = BatchStorage(alerts_every=alerts_every)
    finished = False
    while not finished:
        try:
            if not conn.poll(0.05):
                storage._notify(force=False)
                continue
            chunk = conn.recv()
        except (EOFError, OSError):
            break  # the receiver is gone: nothing to acknowledge to
        if chunk is None:
            break
        batch: list[Incoming] = []
        deadline = time.monotonic() + linger
        while True:
            generation, raws = chunk
            batch += [Incoming(t, p, m, 1, generation) for t, p, m in raws]
            if len(batch) >= batch_size:
                break
            try:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not conn.poll(remaining):
                    break
                chunk = conn.recv()
            except (EOFError, OSError):
                finished = True
                break
            if chunk is None:
                finished = True
                break
        if not storage._store(batch):
            break
        if crash_after_batches is not None and storage.stats.batches > crash_after_batches:
            os._exit(1)  # as a killed writer: committed, never answered
        try:
            conn.send(("ack", _by_generation(batch)))
        except (BrokenPipeError, OSError):
            break
        storage._notify(force=False)
    storage._notify(force=True)
    connections.close_all()
    with contextlib.suppress(BrokenPipeError, OSError):
        conn.send(("stats", storage.stats.as_dict()))
    conn.close()


def _by_generation(batch: list[Incoming]) -> list[tuple[int, list[int]]]:
    out: dict[int, list[int]] = {}
    for incoming in batch:
        out.setdefault(incoming.generation, []).append(incoming.mid)
    return list(out.items())


class PipelineWorker:
    """The receiver; `run` forks the writer and returns the writer's counts."""

    def __init__(
        self,
        *,
        url: str,
        client_id: str = "wufei-ingest",
        batch_size: int = 500,
        linger: float = 0.1,
        topic: str = TOPIC_FILTER,
        alerts_every: float = ALERTS_EVERY_S,
        flush: float = FLUSH_S,
        crash_after_batches: int | None = None,
    ) -> None:
        self.address = broker_address(url)
        self.batch_size = batch_size
        self.linger = linger
        self.topic = topic
        self.alerts_every = alerts_every
        self.flush = flush
        self.crash_after_batches = crash_after_batches
        self.stop_event = threading.Event()
        self.connected = threading.Event()
        self.stats = WorkerStats()
        self.writer: Any = None  # multiprocessing.Process
        self._lock = threading.Lock()
        self._buffer: list[Raw] = []
        self._generation = 0
        self._received = 0
        self.acked = 0
        self.client = self._client(client_id)

    def _client(self, client_id: str) -> mqtt.Client:
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if self.address.username:
            client.username_pw_set(self.address.username, self.address.password)
        if self.address.tls:
            client.tls_set()
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.max_queued_messages_set(0)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    # -- paho's network thread ------------------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT connection refused: %s", reason)
            return
        with self._lock:
            self._generation += 1
            self._buffer = []  # (already dropped on disconnect; the broker sends them again)
        self.stats.connects += 1
        logger.info("MQTT connected (session present: %s)", flags.session_present)
        client.subscribe(self.topic, qos=1)
        self.connected.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        with self._lock:  # from now on no acknowledgement of that connection's messages
            self._generation += 1
            self._buffer = []
        self.connected.clear()
        if not self.stop_event.is_set():
            logger.warning("MQTT disconnected (%s); reconnecting with back-off", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            self._buffer.append((msg.topic, msg.payload, msg.mid))

    # -- main thread ----------------------------------------------------------------------

    def _take(self) -> tuple[int, list[Raw]]:
        with self._lock:
            raws, self._buffer = self._buffer, []
            return self._generation, raws

    def _ack(self, answers: list[tuple[int, list[int]]]) -> None:
        with self._lock:  # a disconnect (which bumps the generation) waits for us
            for generation, mids in answers:
                if generation != self._generation:
                    continue
                for mid in mids:
                    self.client.ack(mid, 1)
                self.acked += len(mids)

    def start_writer(self) -> Connection:
        connections.close_all()  # never share a database connection across fork
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe(duplex=True)
        self.writer = context.Process(
            target=_writer_main,
            args=(
                theirs,
                self.batch_size,
                self.linger,
                self.alerts_every,
                self.crash_after_batches,
            ),
            name="wufei-ingest-writer",
            daemon=False,
        )
        self.writer.start()
        theirs.close()
        return mine

    def writer_pid(self) -> int | None:
        return None if self.writer is None else self.writer.pid

    def run(self, *, duration: float | None = None, idle_exit: float | None = None) -> WorkerStats:
        """Receive until stopped (`stop_event`, SIGTERM in the command), `duration` elapsed,
        or `idle_exit` seconds without a message (after the first) with every batch answered.
        Raises `WriterDied` if the writer ends unasked (after disconnecting, acking nothing
        more)."""
        conn = self.start_writer()
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_S
        props.ReceiveMaximum = min(65535, max(100, self.batch_size * 4))
        started = time.monotonic()
        self.stats.started_at = started
        self.client.connect_async(
            self.address.host, self.address.port, keepalive=30, clean_start=False, properties=props
        )
        self.client.loop_start()
        sent = answered = 0
        last_message = started
        writer_stats: dict[str, Any] | None = None
        died = False
        try:
            while not self.stop_event.is_set():
                generation, raws = self._take()
                now = time.monotonic()
                if raws:
                    conn.send((generation, raws))
                    sent += len(raws)
                    self._received += len(raws)
                    last_message = now
                while conn.poll(0):
                    kind, body = conn.recv()
                    if kind != "ack":
                        raise EOFError  # the writer only sends its stats when asked to end
                    self._ack(body)
                    answered += sum(len(mids) for _g, mids in body)
                    last_message = max(last_message, time.monotonic())
                if duration is not None and now - started >= duration:
                    break
                if (
                    idle_exit is not None
                    and self._received
                    and answered >= sent
                    and now - last_message >= idle_exit
                ):
                    break
                if not raws and not self.writer.is_alive():
                    raise EOFError
                time.sleep(self.flush)
            # ask the writer to finish; acknowledge what it commits until then
            conn.send(None)
            while True:
                kind, body = conn.recv()
                if kind == "stats":
                    writer_stats = body
                    break
                self._ack(body)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            died = True
        finally:
            with self._lock:
                self._generation += 1  # nothing more is acknowledged
            self.stop_event.set()
            if not died:
                self.client.disconnect()
            self.client.loop_stop()
            if died:
                self.client.disconnect()  # after loop_stop: the socket just closes
            conn.close()
            self.writer.join(timeout=None if not died else 5)
        if died:
            raise WriterDied(f"the ingest writer process ended (exit {self.writer.exitcode})")
        stats = WorkerStats(**(writer_stats or {}))
        stats.started_at = started
        stats.connects = self.stats.connects
        return stats

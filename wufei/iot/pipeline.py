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

`--writers K` forks K writers; a device's messages always go to the same one. The receiver's
paho client (`BufferedClient`) reads the socket in large blocks instead of paho's one `recv()`
per header byte, takes a plain QoS 1 PUBLISH without paho's MQTT 5 properties parser and
sends a batch's PUBACKs in one write: ≈ 22 µs of CPU per message instead of ≈ 55 (paho alone
≈ 75), so the writer is the slower stage by far.

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
import struct
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import paho.mqtt.client as mqtt
from django.db import connections
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from wufei.iot.conf import TOPIC_FILTER, broker_address
from wufei.iot.mqtt_worker import (
    ALERTS_EVERY_S,
    SESSION_EXPIRY_S,
    BatchStorage,
    Incoming,
    WorkerStats,
    ingest_client,
)

logger = logging.getLogger(__name__)

FLUSH_S = 0.005  # the receiver hands what it has to the writer this often
_UINT16 = struct.Struct("!H")
_PUBACK = struct.Struct("!BBH")  # packet type, remaining length (2), message id

Raw = tuple[str, bytes, int]  # topic, payload, mid


class BufferedClient(mqtt.Client):
    """paho 2.1 reads each packet's header one `recv()` at a time and waits in `select()`
    before every packet: two to four system calls and a loop turn per message. This client
    reads whatever the kernel holds in one `recv()` and lets paho take its bytes from that,
    and keeps parsing while bytes are buffered (they would be invisible to `select()`).
    Two more shortcuts, each checked against paho's own result (tests/iot/test_mqtt_receiver):
    a plain QoS 1 PUBLISH skips paho's MQTT 5 properties parser (`_handle_publish`), and the
    PUBACKs of a committed batch go out as one write (`ack_many`). Everything else is paho."""

    _READ_SIZE = 256 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rbuf = b""
        self._rpos = 0

    def _sock_recv(self, bufsize: int) -> bytes:
        pos = self._rpos
        if pos >= len(self._rbuf):
            data = super()._sock_recv(self._READ_SIZE)  # BlockingIOError when empty
            if not data:
                return data  # the connection closed
            self._rbuf, pos = data, 0
        end = pos + bufsize
        self._rpos = end
        return self._rbuf[pos:end]

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        rc = super().loop_read(max_packets)
        while (
            rc == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS
            and self._sock is not None
            and self._rpos < len(self._rbuf)
        ):
            rc = super().loop_read(max_packets)
        return rc

    def _sock_close(self) -> None:
        self._rbuf, self._rpos = b"", 0  # a new connection starts with nothing buffered
        super()._sock_close()

    def _handle_publish(self) -> mqtt.MQTTErrorCode:
        """A QoS 1 PUBLISH without properties (what devices send), manually acknowledged,
        taken without paho's MQTT 5 `Properties`: building one (a table of 27 property names)
        and parsing nothing into it costs ≈ 20 µs per message, a third of what the receiver
        costs. `on_message` gets the same message with `properties` None (as paho gives for
        MQTT 3; we read none); anything else (QoS 0/2, properties, MQTT 3) goes to paho."""
        packet = self._in_packet["packet"]
        header = self._in_packet["command"]
        if self._protocol != mqtt.MQTTv5 or not self._manual_ack or (header & 0x06) != 0x02:
            return super()._handle_publish()
        if len(packet) < 2:
            return super()._handle_publish()
        (topic_length,) = _UINT16.unpack_from(packet, 0)
        properties_at = 2 + topic_length + 2  # topic, then the message id
        if topic_length == 0 or len(packet) <= properties_at or packet[properties_at] != 0:
            return super()._handle_publish()  # no topic (an alias), or properties to parse
        (mid,) = _UINT16.unpack_from(packet, 2 + topic_length)
        topic = bytes(packet[2 : 2 + topic_length])
        message = mqtt.MQTTMessage(mid, topic)
        message.dup = (header & 0x08) != 0
        message.qos = 1
        message.retain = (header & 0x01) != 0
        message.payload = bytes(packet[properties_at + 1 :])
        self._easy_log(
            mqtt.MQTT_LOG_DEBUG,
            "Received PUBLISH (d%d, q%d, r%d, m%d), '%s', properties=%s, ...  (%d bytes)",
            message.dup,
            message.qos,
            message.retain,
            mid,
            topic.decode(errors="replace"),
            None,
            len(message.payload),
        )
        message.timestamp = time.monotonic()
        self._handle_on_message(message)
        return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS

    def ack_many(self, mids: list[int]) -> None:
        """PUBACK these QoS 1 messages as one write: `ack()` queues one packet per message,
        wakes paho's thread through its socket pair for each and sends each with its own
        `send()` — two system calls per message where one per batch does."""
        if mids:
            packets = b"".join(_PUBACK.pack(mqtt.PUBACK, 2, mid) for mid in mids)
            self._packet_queue(mqtt.PUBACK, packets, 0, 1)


class WriterDied(RuntimeError):
    """The writer process ended without being asked to: nothing more is acknowledged."""


def _writer_main(
    conn: Connection,
    batch_size: int,
    linger: float,
    alerts_every: float,
    crash_after_batches: int | None = None,
    inherited: tuple[Connection, ...] = (),
) -> None:
    """The writer process: store what the receiver sends, answer the mids committed.
    `crash_after_batches` (tests): commit one more batch, then die without answering it.
    `inherited`: the pipe ends fork copied that are not ours (the receiver's end above all:
    held open here, it would hide the receiver's death from us)."""
    for other in inherited:
        other.close()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the receiver ends us via the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    storage = BatchStorage(alerts_every=alerts_every)
    pending: list[Incoming] = []
    finished = False  # asked to end: store and answer what is pending first
    while True:
        if not pending:
            if finished:
                break
            try:
                if not conn.poll(0.05):
                    storage._notify(force=False)
                    continue
                chunk = conn.recv()
            except (EOFError, OSError):
                break  # the receiver is gone: nothing to acknowledge to
            if chunk is None:
                break
            pending = _incoming(chunk)
        deadline = time.monotonic() + linger
        while not finished and len(pending) < batch_size:
            try:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not conn.poll(remaining):
                    break
                chunk = conn.recv()
            except (EOFError, OSError):
                pending = []  # the receiver is gone; the broker sends these again
                break
            if chunk is None:
                finished = True
                break
            pending += _incoming(chunk)
        if not pending:
            break
        batch, pending = pending[:batch_size], pending[batch_size:]
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


def _incoming(chunk: tuple[int, list[Raw]]) -> list[Incoming]:
    generation, raws = chunk
    return [Incoming(t, p, m, 1, generation) for t, p, m in raws]


def _by_generation(batch: list[Incoming]) -> list[tuple[int, list[int]]]:
    out: dict[int, list[int]] = {}
    for incoming in batch:
        out.setdefault(incoming.generation, []).append(incoming.mid)
    return list(out.items())


class PipelineWorker:
    """The receiver; `run` forks the writer(s) and returns their summed counts.

    With `writers` K > 1, each message goes to writer `hash(topic) % K`: all messages of a
    device to the same writer (no two transactions race over one device's trips), the
    writers storing in parallel (PostgreSQL) or at least validating in parallel (SQLite)."""

    def __init__(
        self,
        *,
        url: str,
        client_id: str = "wufei-ingest",
        batch_size: int = 500,
        linger: float = 0.1,
        topic: str = TOPIC_FILTER,
        alerts_every: float = ALERTS_EVERY_S,
        writers: int = 1,
        flush: float = FLUSH_S,
        crash_after_batches: int | None = None,
    ) -> None:
        if writers < 1:
            raise ValueError("writers must be at least 1")
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
        self.writers: list[Any] = []  # multiprocessing.Process
        self._k = writers
        self._lock = threading.Lock()
        self._buffers: list[list[Raw]] = [[] for _ in range(writers)]
        self._generation = 0
        self._received = 0
        self.acked = 0
        self.client = self._client(client_id)

    @property
    def writer(self) -> Any:
        return self.writers[0] if self.writers else None

    def _client(self, client_id: str) -> BufferedClient:
        return ingest_client(self, client_id, BufferedClient)

    # -- paho's network thread ------------------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT connection refused: %s", reason)
            return
        with self._lock:
            self._generation += 1
            self._buffers = [[] for _ in range(self._k)]
        self.stats.connects += 1
        logger.info("MQTT connected (session present: %s)", flags.session_present)
        client.subscribe(self.topic, qos=1)
        self.connected.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        with self._lock:  # from now on no acknowledgement of that connection's messages
            self._generation += 1
            self._buffers = [[] for _ in range(self._k)]  # the broker sends them again
        self.connected.clear()
        if not self.stop_event.is_set():
            logger.warning("MQTT disconnected (%s); reconnecting with back-off", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        topic = msg.topic
        with self._lock:
            self._buffers[hash(topic) % self._k].append((topic, msg.payload, msg.mid))

    # -- main thread ----------------------------------------------------------------------

    def _take(self) -> tuple[int, list[list[Raw]]]:
        with self._lock:
            buffers, self._buffers = self._buffers, [[] for _ in range(self._k)]
            return self._generation, buffers

    def _ack(self, answers: list[tuple[int, list[int]]]) -> int:
        answered = 0
        with self._lock:  # a disconnect (which bumps the generation) waits for us
            for generation, mids in answers:
                answered += len(mids)
                if generation != self._generation:
                    continue
                self.client.ack_many(mids)
                self.acked += len(mids)
        return answered

    def start_writers(self) -> list[Connection]:
        connections.close_all()  # never share a database connection across fork
        context = multiprocessing.get_context("fork")
        pipes = [context.Pipe(duplex=True) for _ in range(self._k)]
        conns = []
        for index, (mine, theirs) in enumerate(pipes):
            inherited = tuple(c for pair in pipes for c in pair if c is not theirs)
            writer = context.Process(
                target=_writer_main,
                args=(
                    theirs,
                    self.batch_size,
                    self.linger,
                    self.alerts_every,
                    self.crash_after_batches,
                    inherited,
                ),
                name=f"wufei-ingest-writer-{index}",
                daemon=False,
            )
            writer.start()
            theirs.close()
            self.writers.append(writer)
            conns.append(mine)
        return conns

    def writer_pid(self) -> int | None:
        return None if self.writer is None else self.writer.pid

    def run(self, *, duration: float | None = None, idle_exit: float | None = None) -> WorkerStats:
        """Receive until stopped (`stop_event`, SIGTERM in the command), `duration` elapsed,
        or `idle_exit` seconds without a message (after the first) with every batch answered.
        Raises `WriterDied` if a writer ends unasked (after disconnecting, acknowledging
        nothing more)."""
        conns = self.start_writers()
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
        writer_stats: list[dict[str, Any]] = []
        died = False
        try:
            while not self.stop_event.is_set():
                generation, buffers = self._take()
                now = time.monotonic()
                for conn, raws in zip(conns, buffers, strict=True):
                    if raws:
                        conn.send((generation, raws))
                        sent += len(raws)
                        self._received += len(raws)
                        last_message = now
                for conn in conns:
                    while conn.poll(0):
                        kind, body = conn.recv()
                        if kind != "ack":
                            raise EOFError  # a writer sends its stats only when asked to end
                        answered += self._ack(body)
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
                if not all(w.is_alive() for w in self.writers):
                    raise EOFError  # (its pipe may still hold answers: they are not acted on)
                time.sleep(self.flush)
            # ask the writers to finish; acknowledge what they commit until then
            for conn in conns:
                conn.send(None)
            for conn in conns:
                while True:
                    kind, body = conn.recv()
                    if kind == "stats":
                        writer_stats.append(body)
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
            for conn in conns:
                conn.close()  # a surviving writer reads EOF and ends
            for writer in self.writers:
                writer.join(timeout=None if not died else 10)
        if died:
            codes = [w.exitcode for w in self.writers]
            raise WriterDied(f"an ingest writer process ended (exit codes {codes})")
        return _merged(writer_stats, started, self.stats.connects)


def _merged(runs: list[dict[str, Any]], started: float, connects: int) -> WorkerStats:
    stats = WorkerStats(started_at=started, connects=connects)
    for run in runs:
        for key in ("received", "created", "duplicate", "rejected", "unauthenticated"):
            setattr(stats, key, getattr(stats, key) + run[key])
        for key in ("batches", "db_retries"):
            setattr(stats, key, getattr(stats, key) + run[key])
        firsts = [t for t in (stats.first_at, run["first_at"]) if t is not None]
        lasts = [t for t in (stats.last_at, run["last_at"]) if t is not None]
        stats.first_at = min(firsts) if firsts else None
        stats.last_at = max(lasts) if lasts else None
    return stats

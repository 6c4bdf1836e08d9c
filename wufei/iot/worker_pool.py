"""`wufei ingest_mqtt --workers N`: N ingest processes on one MQTT 5 shared subscription.

One Python process pays both paho's packet handling and the storage under one GIL, so one
worker drains the broker slower than a bare subscriber does. N processes (one per core) each
run an `IngestWorker` with its own database connection and its own persistent session
(client id `<client-id>-<i>`, i = 0…N-1, clean_start False) subscribed to
`$share/wufei/wufei/devices/+/readings`: the broker hands each message to one of them, and
each acknowledges only after its own commit.

What holds (checked against mosquitto 2.0.11, bench/iot_ingest.py and PROTOCOL.md):
- a worker killed: mosquitto keeps dealing messages round-robin to every session of the
  group, online or not, and keeps a dead worker's share (and its unacknowledged messages) in
  that worker's session — nothing is lost, but that share waits until a worker with the same
  client id comes back. This supervisor restarts a dead worker at once under the same client
  id (after a 1 s pause).
- the broker restarted: what was queued or in flight survives (persistence on), but
  mosquitto 2.0.11 does not put the restored shared subscriptions back until a member
  reconnects and subscribes again: a message published in that window (a device that
  reconnects before the workers) is acknowledged to the device and dropped. One worker on a
  plain persistent subscription (the default) loses nothing there.
If N is lowered, the sessions of the dropped ids keep their queue until they expire (7 days):
run the old N once until idle (`--idle-exit`) before lowering it.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import time
from multiprocessing.connection import Connection
from typing import Any

from django.db import connections

from wufei.iot.conf import SHARED_TOPIC_FILTER, worker_client_id
from wufei.iot.mqtt_worker import IngestWorker
from wufei.iot.pipeline import PipelineWorker

logger = logging.getLogger(__name__)
RESTART_PAUSE_S = 1.0


def _worker_main(options: dict[str, Any], index: int, answer: Connection) -> None:
    """One worker process: its own connection (closed before the fork), its own session.
    With `pipeline`, a `PipelineWorker` (which forks its own writer; if that writer dies the
    worker exits non-zero and is restarted like any dead worker)."""
    worker: IngestWorker | PipelineWorker
    common = {
        "url": options["url"],
        "client_id": worker_client_id(options["client_id"], index),
        "batch_size": options["batch_size"],
        "linger": options["linger"],
        "topic": SHARED_TOPIC_FILTER,
    }
    if options.get("pipeline"):
        worker = PipelineWorker(**common, writers=options.get("writers", 1))
    else:
        worker = IngestWorker(**common)
    signal.signal(signal.SIGTERM, lambda *_a: worker.stop_event.set())
    signal.signal(signal.SIGINT, lambda *_a: worker.stop_event.set())
    stats = worker.run(duration=options["duration"], idle_exit=options["idle_exit"])
    answer.send(stats.as_dict())
    answer.close()


class WorkerPool:
    """Start N worker processes, restart any that dies, stop them all on SIGTERM/SIGINT."""

    def __init__(
        self,
        *,
        url: str,
        workers: int,
        client_id: str = "wufei-ingest",
        batch_size: int = 500,
        linger: float = 0.1,
        duration: float | None = None,
        idle_exit: float | None = None,
        pipeline: bool = False,
        writers: int = 1,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.options = {
            "url": url,
            "client_id": client_id,
            "batch_size": batch_size,
            "linger": linger,
            "duration": duration,
            "idle_exit": idle_exit,
            "pipeline": pipeline,
            "writers": writers,
        }
        self.context = multiprocessing.get_context("fork")
        self.stopping = False
        self.restarts = 0
        self._procs: dict[int, tuple[Any, Connection]] = {}
        self.results: dict[int, list[dict[str, Any]]] = {i: [] for i in range(workers)}

    def _spawn(self, index: int) -> None:
        receive, send = self.context.Pipe(duplex=False)
        proc = self.context.Process(
            target=_worker_main,
            args=(self.options, index, send),
            name=f"wufei-ingest-{index}",
            daemon=False,
        )
        proc.start()
        send.close()
        self._procs[index] = (proc, receive)

    def pids(self) -> list[int]:
        return [p.pid for p, _r in self._procs.values() if p.pid is not None]

    def _collect(self, index: int) -> bool:
        """Reap worker `index`; True if it finished normally (it sent its stats)."""
        proc, receive = self._procs.pop(index)
        finished = False
        if receive.poll():  # also true at EOF (a killed worker): recv then raises
            with contextlib.suppress(EOFError):
                self.results[index].append(receive.recv())
                finished = True
        receive.close()
        proc.join()
        return finished

    def run(self) -> list[dict[str, Any]]:
        """Run until every worker has finished (duration/idle exit) or a signal stops them;
        the stats of every worker run (a restarted worker contributes several)."""
        connections.close_all()  # never share a database connection across fork
        previous = {
            sig: signal.signal(sig, lambda *_a: self.stop())
            for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            for index in range(self.workers):
                self._spawn(index)
            while self._procs:
                time.sleep(0.2)
                for index, (proc, receive) in list(self._procs.items()):
                    if proc.is_alive() and not receive.poll():
                        continue
                    proc.join(timeout=5)
                    exitcode = proc.exitcode
                    if self._collect(index) or self.stopping:
                        continue
                    logger.warning(
                        "ingest worker %s died (exit %s); restarting it", index, exitcode
                    )
                    self.restarts += 1
                    time.sleep(RESTART_PAUSE_S)
                    self._spawn(index)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return [stats for runs in self.results.values() for stats in runs]

    def stop(self) -> None:
        self.stopping = True
        for proc, _r in self._procs.values():
            if proc.is_alive():
                proc.terminate()  # SIGTERM: the worker finishes its batch and disconnects

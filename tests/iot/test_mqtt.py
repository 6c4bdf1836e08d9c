"""MQTT end to end against a private mosquitto on a free port: QoS 1, persistent session,
acknowledgements only after the commit, so a worker killed mid-stream loses nothing."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.iot.world import weighing
from wufei.iot.models import Reading
from wufei.iot.mqtt_publish import Publisher
from wufei.iot.mqtt_worker import IngestWorker
from wufei.iot.private_broker import PrivateBroker, mosquitto_available


@pytest.fixture
def broker():
    if not mosquitto_available():
        if os.environ.get("WUFEI_REQUIRE_MQTT") == "1":
            pytest.fail("WUFEI_REQUIRE_MQTT=1 but /usr/sbin/mosquitto is missing")
        pytest.skip("mosquitto is not installed (/usr/sbin/mosquitto); set WUFEI_MOSQUITTO")
    with PrivateBroker() as b:
        yield b


def _open_session(url: str, client_id: str) -> None:
    """Connect once so that the broker keeps a session (and queues for it) from now on."""
    worker = IngestWorker(url=url, client_id=client_id)
    worker.run(duration=0.5)


def _publish(url: str, secret: str, n: int, *, prefix: str = "q") -> None:
    publisher = Publisher(url=url, client_id=f"pub-{prefix}")
    t0 = timezone.now() - timedelta(hours=1)
    for k in range(n):
        publisher.publish(
            serial="WB-A-1",
            secret=secret,
            message=weighing("WB-A-1", mid=f"{prefix}{k}", at=t0 + timedelta(seconds=k)),
        )
    assert publisher.wait_all(30), "the broker did not acknowledge every message"
    publisher.close()


def test_published_messages_are_stored_once(iw, broker):
    _open_session(broker.url, "t-e2e")
    _publish(broker.url, iw.bridge_secret, 200)
    bad = Publisher(url=broker.url, client_id="pub-bad")
    bad.publish(serial="WB-A-1", secret="wrong", message=weighing("WB-A-1", mid="intruder"))
    bad.publish_raw("wufei/devices/WB-A-1/readings", b"{not json")
    assert bad.wait_all(10)
    bad.close()
    stats = IngestWorker(url=broker.url, client_id="t-e2e", batch_size=64).run(
        duration=20, idle_exit=1.0
    )
    assert Reading.objects.count() == 200
    assert not Reading.objects.filter(message_id="intruder").exists()
    assert (stats.created, stats.unauthenticated) == (200, 1)


def test_worker_killed_mid_stream_loses_nothing_and_duplicates_nothing(iw, broker):
    _open_session(broker.url, "t-crash")
    _publish(broker.url, iw.bridge_secret, 300, prefix="c")
    first = IngestWorker(url=broker.url, client_id="t-crash", batch_size=50, linger=0.5)
    first.run(duration=20, crash_after_batches=2)  # stores 3 batches, acknowledges 2
    stored_before = Reading.objects.count()
    assert 0 < stored_before < 300
    second = IngestWorker(url=broker.url, client_id="t-crash", batch_size=50)
    stats = second.run(duration=30, idle_exit=1.0)
    assert Reading.objects.count() == 300
    assert Reading.objects.values("message_id").distinct().count() == 300
    assert stats.duplicate >= 1  # the stored-but-unacknowledged batch came again


def test_broker_restart_keeps_the_queue(iw, broker):
    _open_session(broker.url, "t-restart")
    _publish(broker.url, iw.bridge_secret, 100, prefix="r")
    broker.stop()  # SIGTERM: mosquitto writes its persistence file
    broker.start()
    stats = IngestWorker(url=broker.url, client_id="t-restart").run(duration=20, idle_exit=1.0)
    assert Reading.objects.count() == 100
    assert stats.created == 100


def test_no_broker_configured_means_http_only(monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.delenv("WUFEI_MQTT_URL", raising=False)
    monkeypatch.delenv("MQTT_URL", raising=False)
    with pytest.raises(CommandError, match="No broker"):
        call_command("ingest_mqtt")


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_shared_subscription_store_each_message_once(broker):
    """`ingest_mqtt --workers 2`: two processes, two sessions of group "wufei"; the broker
    deals the messages between them, each is stored once; a killed worker is restarted."""
    import signal
    import threading

    from django.core.management import call_command

    from tests.iot.world import build_iot_world
    from wufei.iot.conf import SHARED_TOPIC_FILTER, worker_client_id
    from wufei.iot.worker_pool import WorkerPool

    call_command("load_catalogs", verbosity=0)  # an earlier transactional test flushed them
    iw = build_iot_world()
    for i in range(2):  # the sessions exist before the messages: the broker queues for them
        IngestWorker(
            url=broker.url, client_id=worker_client_id("t-pool", i), topic=SHARED_TOPIC_FILTER
        ).run(duration=0.5)
    _publish(broker.url, iw.bridge_secret, 300, prefix="p")
    pool = WorkerPool(url=broker.url, workers=2, client_id="t-pool", duration=30, idle_exit=2)
    killed: list[int] = []

    def kill_one() -> None:
        deadline = timezone.now() + timedelta(seconds=10)
        while not pool.pids() and timezone.now() < deadline:
            threading.Event().wait(0.05)
        if pool.pids():
            killed.append(pool.pids()[0])
            os.kill(killed[0], signal.SIGKILL)

    threading.Thread(target=kill_one).start()
    runs = pool.run()
    assert Reading.objects.count() == 300
    assert Reading.objects.values("message_id").distinct().count() == 300
    assert killed and pool.restarts == 1
    assert sum(r["created"] for r in runs) == 300

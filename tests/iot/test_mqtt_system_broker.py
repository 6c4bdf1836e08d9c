"""The same end-to-end path against the broker the deployment names (WUFEI_MQTT_URL), not a
private one: CI runs this against the machine's Mosquitto on 127.0.0.1:1883."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.iot.world import weighing
from wufei.iot.conf import mqtt_url
from wufei.iot.models import Reading
from wufei.iot.mqtt_publish import Publisher
from wufei.iot.mqtt_worker import IngestWorker


@pytest.fixture
def url():
    found = mqtt_url()
    if not found:
        if os.environ.get("WUFEI_REQUIRE_MQTT") == "1" and os.environ.get("DATABASE_URL"):
            pytest.fail("CI's PostgreSQL run must name its broker in WUFEI_MQTT_URL")
        pytest.skip("no broker configured (WUFEI_MQTT_URL)")
    return found


def test_readings_published_to_the_configured_broker_are_stored_once(iw, url):
    run = uuid.uuid4().hex[:10]
    client_id = f"wufei-test-{run}"
    IngestWorker(url=url, client_id=client_id).run(duration=0.5)  # open the session
    publisher = Publisher(url=url, client_id=f"{client_id}-pub")
    began = timezone.now() - timedelta(hours=1)
    for k in range(50):
        message = weighing("WB-A-1", mid=f"{run}-{k}", at=began + timedelta(seconds=k))
        publisher.publish(serial="WB-A-1", secret=iw.bridge_secret, message=message)
        if k % 10 == 0:  # delivered twice: stored once
            publisher.publish(serial="WB-A-1", secret=iw.bridge_secret, message=message)
    assert publisher.wait_all(30), "the broker did not acknowledge every message"
    publisher.close()
    IngestWorker(url=url, client_id=client_id).run(duration=20, idle_exit=1.5)
    mine = Reading.objects.filter(message_id__startswith=f"{run}-")
    assert mine.count() == 50
    assert mine.values("message_id").distinct().count() == 50

"""Publish device messages to the broker at QoS 1 (the simulator, the tests and the bench).

A device's side of the protocol: one JSON message per publish on
`wufei/devices/<serial>/readings`, carrying the device secret. paho keeps every message until
the broker acknowledges it and sends it again after a reconnect, so `wait_all` returning means
the broker has taken responsibility for each one.
"""

from __future__ import annotations

import json
import time
from typing import Any

import paho.mqtt.client as mqtt
from django.core.serializers.json import DjangoJSONEncoder
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from wufei.iot.conf import TOPIC_TEMPLATE, broker_address


class Publisher:
    def __init__(self, *, url: str, client_id: str, max_inflight: int = 1000) -> None:
        address = broker_address(url)
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5
        )
        if address.username:
            self.client.username_pw_set(address.username, address.password)
        if address.tls:
            self.client.tls_set()
        self.client.max_inflight_messages_set(max_inflight)
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(min_delay=1, max_delay=5)
        self._pending: list[mqtt.MQTTMessageInfo] = []
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600
        self.client.connect_async(
            address.host, address.port, keepalive=30, clean_start=False, properties=props
        )
        self.client.loop_start()

    def publish(self, *, serial: str, secret: str, message: dict[str, Any]) -> None:
        payload = json.dumps({**message, "secret": secret}, cls=DjangoJSONEncoder)
        info = self.client.publish(TOPIC_TEMPLATE.format(serial=serial), payload, qos=1)
        self._pending.append(info)

    def publish_raw(self, topic: str, payload: bytes | str) -> None:
        info = self.client.publish(topic, payload, qos=1)
        self._pending.append(info)

    def wait_all(self, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            # `is_published()` raises for a message queued while disconnected; paho sends it
            # after the reconnect and then sets the flag read here.
            self._pending = [i for i in self._pending if not getattr(i, "_published", False)]
            if self._pending:
                time.sleep(0.02)
        return not self._pending

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

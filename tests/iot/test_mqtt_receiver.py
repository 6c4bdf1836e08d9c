"""The pipelined receiver's paho client (`BufferedClient`): its own handling of a plain QoS 1
PUBLISH hands `on_message` what paho's would, and `ack_many` queues exactly the bytes of one
paho `ack()` per message. No broker: packets are fed to the client as paho's reader would."""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from wufei.iot.pipeline import BufferedClient

TOPIC = b"wufei/devices/WB-A-1/readings"
PAYLOAD = '{"device": "WB-A-1", "plate": "浙A12345"}'.encode()


def _client(cls: type[mqtt.Client], *, protocol: Any = mqtt.MQTTv5) -> mqtt.Client:
    return cls(CallbackAPIVersion.VERSION2, client_id="t", protocol=protocol, manual_ack=True)


def _publish(command: int, mid: int, properties: bytes, topic: bytes = TOPIC) -> bytearray:
    """A PUBLISH packet's variable header and payload, as paho's reader hands it over."""
    body = struct.pack("!H", len(topic)) + topic
    if command & 0x06:
        body += struct.pack("!H", mid)
    return bytearray(body + properties + PAYLOAD)


def _received(
    handle: Callable[[Any], Any], command: int, packet: bytearray, **kw: Any
) -> mqtt.MQTTMessage:
    client = _client(BufferedClient, **kw)
    got: list[mqtt.MQTTMessage] = []
    client.on_message = lambda _c, _u, message: got.append(message)
    client._in_packet = {**client._in_packet, "command": command, "packet": packet}
    assert handle(client) == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS
    (message,) = got
    return message


def _fields(message: mqtt.MQTTMessage) -> tuple[Any, ...]:
    return (message.topic, message.payload, message.mid, message.qos, message.dup, message.retain)


@pytest.mark.parametrize(
    ("command", "properties", "protocol"),
    [
        (mqtt.PUBLISH | 0x02, b"\x00", mqtt.MQTTv5),  # QoS 1, no properties: our path
        (mqtt.PUBLISH | 0x02 | 0x08 | 0x01, b"\x00", mqtt.MQTTv5),  # redelivered, retained
        (mqtt.PUBLISH | 0x02, b"\x05\x02\x00\x00\x00\x3c", mqtt.MQTTv5),  # properties: paho
        (mqtt.PUBLISH, b"\x00", mqtt.MQTTv5),  # QoS 0: paho
        (mqtt.PUBLISH | 0x02, b"", mqtt.MQTTv311),  # MQTT 3: paho
    ],
)
def test_publish_is_handed_over_as_paho_does(command, properties, protocol):
    packet = _publish(command, 4711, properties)
    ours = _received(BufferedClient._handle_publish, command, bytearray(packet), protocol=protocol)
    paho = _received(mqtt.Client._handle_publish, command, bytearray(packet), protocol=protocol)
    assert _fields(ours) == _fields(paho)
    assert type(ours.payload) is bytes
    if protocol == mqtt.MQTTv5 and properties == b"\x00" and command & 0x06:
        assert ours.properties is None  # not parsed (there are none)
    elif paho.properties is None:  # MQTT 3
        assert ours.properties is None
    else:
        assert ours.properties is not None
        assert ours.properties.json() == paho.properties.json()


def test_ack_many_queues_the_bytes_of_one_ack_per_message():
    mids = [1, 2, 300, 65535]
    ours, paho = _client(BufferedClient), _client(mqtt.Client)
    assert isinstance(ours, BufferedClient)
    ours.ack_many(mids)
    ours.ack_many([])  # nothing queued
    for mid in mids:
        paho.ack(mid, 1)
    assert len(ours._out_packet) == 1
    assert ours._out_packet[0]["packet"] == b"".join(p["packet"] for p in paho._out_packet)

"""Where the MQTT broker is: `WUFEI_MQTT_URL` or `MQTT_URL` (e.g. mqtt://127.0.0.1:1883).

Unset means no broker: devices post over HTTP, `wufei ingest_mqtt` refuses to start and
`wufei simulate_devices` writes through the service. Read from the environment (not from the
settings files) so that a broker can be added to a running deployment without a code change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

TOPIC_FILTER = "wufei/devices/+/readings"
# MQTT 5 shared subscription: the broker hands each message to one member of group "wufei"
# (`wufei ingest_mqtt --workers N`).
SHARED_TOPIC_FILTER = f"$share/wufei/{TOPIC_FILTER}"


def worker_client_id(client_id: str, index: int) -> str:
    """The client id (persistent session) of worker `index` of `ingest_mqtt --workers N`."""
    return f"{client_id}-{index}"


TOPIC_TEMPLATE = "wufei/devices/{serial}/readings"


def mqtt_url() -> str | None:
    return os.environ.get("WUFEI_MQTT_URL") or os.environ.get("MQTT_URL") or None


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool


def broker_address(url: str) -> BrokerAddress:
    """mqtt://[user:pass@]host[:1883] or mqtts://…[:8883]."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise ValueError(f"not an MQTT URL: {url!r} (use mqtt://host:1883)")
    tls = parts.scheme in ("mqtts", "ssl")
    return BrokerAddress(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


def serial_from_topic(topic: str) -> str | None:
    parts = topic.split("/")
    if len(parts) == 4 and parts[0] == "wufei" and parts[1] == "devices" and parts[3] == "readings":
        return parts[2] or None
    return None

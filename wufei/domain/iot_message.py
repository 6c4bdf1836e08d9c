"""Parse one device message (wufei/iot/PROTOCOL.md) into typed values, or say what is wrong.

Plain Python so that both the HTTP endpoint and the MQTT worker share exactly one reading of
the format. Masses become integer grams with `Decimal` arithmetic: a number given in kilograms
with more than three decimals is refused rather than rounded (no silent loss of a gram), and a
JSON float is never trusted (parse payloads with `json.loads(..., parse_float=Decimal)`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

MESSAGE_ID_MAX = 64
PLATE_MAX = 12
GRAMS_PER_KG = Decimal(1000)
MAX_KG = Decimal(1_000_000)  # 1,000 t: no weighbridge weighs more
DIRECTIONS = ("in", "out")
DEGREES_KEPT = Decimal("0.000001")  # 6 decimal places of latitude and longitude
SPEED_KEPT = Decimal("0.1")
_NUMBER_TYPES = (int, str, Decimal)  # what a number may arrive as (bool excepted)


class MessageInvalid(ValueError):
    """A message refused as a whole, with a machine code, a field and an English reason."""

    def __init__(self, code: str, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.code = code
        self.field = field
        self.reason = reason


# The parsed values are named tuples, immutable like frozen dataclasses but three times
# cheaper to build: an ingest worker builds two for every message.


class Weighed(NamedTuple):
    direction: str
    plate: str
    gross_g: int
    tare_g: int
    net_g: int
    container: str
    manifest: str


class Fix(NamedTuple):
    plate: str
    latitude: Decimal
    longitude: Decimal
    speed_kmh: Decimal


class Message(NamedTuple):
    device: str
    message_id: str
    measured_at: datetime
    type: str
    body: Weighed | Fix


# `json.loads(raw, parse_float=Decimal)` would build a new decoder for every payload.
_DECODER = json.JSONDecoder(parse_float=Decimal)


def payload_decode(raw: bytes | bytearray | str) -> Any:
    """JSON with every non-integer number as a Decimal (never a float). Bytes and text are
    taken exactly as `json.loads` takes them (encoding detected; a BOM in text refused)."""
    try:
        if isinstance(raw, bytes | bytearray):
            text = raw.decode(json.detect_encoding(raw), "surrogatepass")
        elif raw.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", raw, 0)
        else:
            text = raw
        return _DECODER.decode(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MessageInvalid("bad_json", "", f"not valid JSON ({exc})") from None


def _text(m: Mapping[str, Any], key: str, *, required: bool, max_len: int) -> str:
    value = m.get(key)
    if value is None or value == "":
        if required:
            raise MessageInvalid("missing", key, "is required")
        return ""
    if not isinstance(value, str):
        raise MessageInvalid("wrong_type", key, "must be a string")
    value = value.strip()
    if len(value) > max_len:
        raise MessageInvalid("too_long", key, f"is longer than {max_len} characters")
    return value


def _decimal(m: Mapping[str, Any], key: str) -> Decimal:
    value = m.get(key)
    if value is None:
        raise MessageInvalid("missing", key, "is required")
    if isinstance(value, bool) or not isinstance(value, _NUMBER_TYPES):
        raise MessageInvalid("wrong_type", key, "must be a number or a decimal string")
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise MessageInvalid("not_a_number", key, f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise MessageInvalid("not_a_number", key, "must be finite")
    return number


def kilograms_to_grams(m: Mapping[str, Any], key: str) -> int:
    """`key` in kilograms → exact integer grams; more than 3 decimals is refused, not rounded."""
    kg = _decimal(m, key)
    if kg < 0 or kg > MAX_KG:
        raise MessageInvalid("out_of_range", key, f"must lie between 0 and {MAX_KG} kg")
    grams = kg * GRAMS_PER_KG
    if grams != grams.to_integral_value():
        raise MessageInvalid("not_exact", key, "has more than 3 decimals (finer than a gram)")
    return int(grams)


def _measured_at(m: Mapping[str, Any]) -> datetime:
    """The instant, in UTC. (The zone as sent stays in the stored payload. Two datetimes whose
    zones are different objects compare ≈ 20× slower than two in UTC, and storing a batch
    compares its times thousands of times: finding its manifests and trips.)"""
    raw = m.get("at")
    if not isinstance(raw, str) or not raw:
        raise MessageInvalid("missing", "at", "is required (ISO 8601 time with zone)")
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise MessageInvalid("bad_time", "at", f"{raw!r} is not an ISO 8601 time") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise MessageInvalid("no_zone", "at", "must carry a time zone (e.g. +08:00 or Z)")
    return at.astimezone(UTC)


def _weighed(m: Mapping[str, Any]) -> Weighed:
    direction = _text(m, "direction", required=True, max_len=16)
    if direction not in DIRECTIONS:
        raise MessageInvalid("bad_choice", "direction", "must be 'in' or 'out'")
    gross = kilograms_to_grams(m, "gross_kg")
    tare = kilograms_to_grams(m, "tare_kg")
    net = kilograms_to_grams(m, "net_kg")
    if gross - tare != net:
        raise MessageInvalid("inconsistent", "net_kg", "must equal gross_kg − tare_kg exactly")
    manifest = m.get("manifest")
    if isinstance(manifest, int) and not isinstance(manifest, bool):
        manifest = str(manifest)
    return Weighed(
        direction=direction,
        plate=_text(m, "plate", required=False, max_len=PLATE_MAX),
        gross_g=gross,
        tare_g=tare,
        net_g=net,
        container=_text(m, "container", required=False, max_len=64),
        manifest=_text({"manifest": manifest}, "manifest", required=False, max_len=20),
    )


def _fix(m: Mapping[str, Any]) -> Fix:
    lat = _decimal(m, "lat")
    lon = _decimal(m, "lon")
    speed = _decimal(m, "speed_kmh")
    if not -90 <= lat <= 90:
        raise MessageInvalid("out_of_range", "lat", "must lie between -90 and 90")
    if not -180 <= lon <= 180:
        raise MessageInvalid("out_of_range", "lon", "must lie between -180 and 180")
    if not 0 <= speed < 10000:
        raise MessageInvalid("out_of_range", "speed_kmh", "must lie between 0 and 9999.9")
    return Fix(
        plate=_text(m, "plate", required=False, max_len=PLATE_MAX),
        latitude=lat.quantize(DEGREES_KEPT),
        longitude=lon.quantize(DEGREES_KEPT),
        speed_kmh=speed.quantize(SPEED_KEPT),
    )


def message_parse(m: Any) -> Message:
    """The typed message, or MessageInvalid naming the first wrong field."""
    if not isinstance(m, Mapping):
        raise MessageInvalid("not_an_object", "", "a message must be a JSON object")
    device = _text(m, "device", required=True, max_len=64)
    raw_id = m.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    message_id = _text({"id": raw_id}, "id", required=True, max_len=MESSAGE_ID_MAX)
    at = _measured_at(m)
    kind = m.get("type")
    body: Weighed | Fix
    if kind == "weighing":
        body = _weighed(m)
    elif kind == "gps":
        body = _fix(m)
    else:
        raise MessageInvalid("bad_type", "type", "must be 'weighing' or 'gps'")
    return Message(device=device, message_id=message_id, measured_at=at, type=kind, body=body)

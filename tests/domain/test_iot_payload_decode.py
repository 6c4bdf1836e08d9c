"""`payload_decode` keeps one JSON decoder instead of building one per payload; it must answer
exactly as `json.loads(raw, parse_float=Decimal)`: the same values, or the same refusal."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from typing import Any

import pytest

from wufei.domain.iot_message import MessageInvalid, payload_decode

CASES: list[bytes | str] = [
    b'{"gross_kg": 15250.50, "tare_kg": "10000", "n": 3}',
    '{"lat": 30.2081230, "list": [1, 2.0e3, -0.0]}',
    '[{"id": "a"}, {"id": "b"}]',
    codecs.BOM_UTF8 + b'{"id": 1}',  # bytes: json.loads strips a UTF-8 BOM
    '\ufeff{"id": 1}',  # text: json.loads refuses it
    '{"plate": "浙A12345"}'.encode(),
    '{"plate": "浙A12345"}'.encode("utf-16"),
    b"{not json",
    b"\xc3\x28",
    b"",
    "",
    b'{"a": NaN}',
]


def _reference(raw: bytes | str) -> Any:
    try:
        return json.loads(raw, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        return ("bad_json", f"not valid JSON ({exc})")


def _ours(raw: bytes | str) -> Any:
    try:
        return payload_decode(raw)
    except MessageInvalid as exc:
        return (exc.code, exc.reason)


@pytest.mark.parametrize("raw", CASES)
def test_payload_decode_answers_as_json_loads(raw):
    ours, reference = _ours(raw), _reference(raw)
    assert repr(ours) == repr(reference)  # (repr: NaN is not equal to itself)
